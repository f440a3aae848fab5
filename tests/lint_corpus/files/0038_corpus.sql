-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE invoices18 ADD CONSTRAINT region_nn CHECK (region IS NOT NULL) NOT VALID;
ALTER TABLE invoices18 VALIDATE CONSTRAINT region_nn;
ALTER TABLE invoices18 ALTER COLUMN region SET NOT NULL;
ALTER TABLE invoices18 DROP CONSTRAINT region_nn;
