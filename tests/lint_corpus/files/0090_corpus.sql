-- expect: rename-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE events98 ADD CONSTRAINT label_nn CHECK (label IS NOT NULL) NOT VALID;
ALTER TABLE events98 VALIDATE CONSTRAINT label_nn;
ALTER TABLE events98 ALTER COLUMN label SET NOT NULL;
ALTER TABLE events98 DROP CONSTRAINT label_nn;

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE devices71 RENAME COLUMN label TO label_old;
