-- expect: rename-table, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE coupons95 RENAME TO coupons95_old;

-- step: UPDATE {t} SET {c} = {n};
UPDATE shipments96 SET email = 143;

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE reviews16 DROP COLUMN label';
END
$$;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE invoices34 ADD CONSTRAINT invoices34_owner_id_chk CHECK (owner_id > 205) NOT VALID;
