-- expect: set-not-null, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n};
UPDATE shipments37 SET kind = 319;

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN shipments77.email IS 'never RENAME TO or DROP COLUMN this';

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN tickets74.region IS 'never RENAME TO or DROP COLUMN this';

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE carts49 ALTER COLUMN region SET NOT NULL;
