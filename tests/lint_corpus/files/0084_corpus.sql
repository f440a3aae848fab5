-- expect: delete-without-where, rename-table
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE carts76 ADD COLUMN total_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN carts76.total_flag IS 'Added.';

-- step: DELETE FROM {t};
DELETE FROM coupons39;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE reviews57 RENAME TO reviews57_old;
