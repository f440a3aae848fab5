-- expect: delete-without-where
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t};
DELETE FROM accounts5;

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN carts11.ref IS 'never RENAME TO or DROP COLUMN this';
