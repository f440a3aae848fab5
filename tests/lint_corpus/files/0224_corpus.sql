-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN products58.kind IS 'never RENAME TO or DROP COLUMN this';
