-- expect: constraint-without-not-valid, drop-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE sessions50 DROP COLUMN ref;

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE shipments61 ADD CONSTRAINT label_nn CHECK (label IS NOT NULL) NOT VALID;
ALTER TABLE shipments61 VALIDATE CONSTRAINT label_nn;
ALTER TABLE shipments61 ALTER COLUMN label SET NOT NULL;
ALTER TABLE shipments61 DROP CONSTRAINT label_nn;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE products24 ADD CONSTRAINT products24_status_chk CHECK (status > 413);
