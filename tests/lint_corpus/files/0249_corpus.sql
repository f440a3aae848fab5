-- expect: constraint-without-not-valid, create-without-if-not-exists, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE shipments87 ADD CONSTRAINT shipments87_ref_fk FOREIGN KEY (ref) REFERENCES parents (id);

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA products74_s;
