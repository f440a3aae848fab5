-- expect: drop-schema-cascade, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE tickets43 ADD CONSTRAINT tickets43_status_fk FOREIGN KEY (status) REFERENCES parents (id) NOT VALID;
ALTER TABLE tickets43 VALIDATE CONSTRAINT tickets43_status_fk;

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS payments1_s CASCADE;
