-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE invoices77 ADD CONSTRAINT owner_id_nn CHECK (owner_id IS NOT NULL) NOT VALID;
ALTER TABLE invoices77 VALIDATE CONSTRAINT owner_id_nn;
ALTER TABLE invoices77 ALTER COLUMN owner_id SET NOT NULL;
ALTER TABLE invoices77 DROP CONSTRAINT owner_id_nn;
