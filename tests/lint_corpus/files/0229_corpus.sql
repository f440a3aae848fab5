-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE payments19 ADD CONSTRAINT label_nn CHECK (label IS NOT NULL) NOT VALID;
ALTER TABLE payments19 VALIDATE CONSTRAINT label_nn;
ALTER TABLE payments19 ALTER COLUMN label SET NOT NULL;
ALTER TABLE payments19 DROP CONSTRAINT label_nn;
