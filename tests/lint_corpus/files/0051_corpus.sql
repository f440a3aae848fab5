-- expect: constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE payments9 ADD CONSTRAINT payments9_owner_id_fk FOREIGN KEY (owner_id) REFERENCES parents (id);
