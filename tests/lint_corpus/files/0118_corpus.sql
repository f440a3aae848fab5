-- expect: constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE events25 ADD CONSTRAINT events25_region_fk FOREIGN KEY (region) REFERENCES parents (id);
