-- expect: rename-table
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE coupons95 RENAME TO coupons95_old;
