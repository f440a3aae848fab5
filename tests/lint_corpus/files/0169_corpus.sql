-- expect: truncate, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL payments2;

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN orders50.email IS 'never RENAME TO or DROP COLUMN this';

-- step: TRUNCATE {t};
TRUNCATE carts30;

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE shipments51 DROP COLUMN label';
END
$$;
