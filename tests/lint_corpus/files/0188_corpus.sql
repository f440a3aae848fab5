-- expect: constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE products52 DROP COLUMN ref';
END
$$;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE events3 ADD CONSTRAINT events3_status_fk FOREIGN KEY (status) REFERENCES parents (id);
