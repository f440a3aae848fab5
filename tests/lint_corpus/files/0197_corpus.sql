-- expect: foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE sessions41 ADD CONSTRAINT sessions41_owner_id_fk FOREIGN KEY (owner_id) REFERENCES parents (id) NOT VALID;
ALTER TABLE sessions41 VALIDATE CONSTRAINT sessions41_owner_id_fk;
