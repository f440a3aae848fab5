-- expect: truncate
SET LOCAL lock_timeout = '5s';

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE carts74 DROP COLUMN owner_id';
END
$$;

-- step: TRUNCATE {t};
TRUNCATE shipments77;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE coupons1 ADD CONSTRAINT coupons1_email_chk CHECK (email > 132) NOT VALID;

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE alerts38 DROP COLUMN label';
END
$$;
