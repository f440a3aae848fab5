-- expect: rename-table
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE accounts81 RENAME TO accounts81_old;

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN reviews60.status IS 'never RENAME TO or DROP COLUMN this';
