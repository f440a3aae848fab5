-- expect: foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE shipments44 ADD CONSTRAINT shipments44_total_fk FOREIGN KEY (total) REFERENCES parents (id) NOT VALID;
ALTER TABLE shipments44 VALIDATE CONSTRAINT shipments44_total_fk;
