-- expect: constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE carts37 ADD CONSTRAINT carts37_email_fk FOREIGN KEY (email) REFERENCES parents (id);

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE reviews72 DROP COLUMN owner_id';
END
$$;
