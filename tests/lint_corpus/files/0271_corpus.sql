-- expect: constraint-without-not-valid
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE shipments61 ADD CONSTRAINT shipments61_email_chk CHECK (email > 354);
