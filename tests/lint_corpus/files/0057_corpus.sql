-- expect: update-without-where
SET LOCAL lock_timeout = '5s';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_products49() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM products49;
    TRUNCATE products49;
    DROP TABLE products49;
END
$body$;

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN users1.label IS 'never RENAME TO or DROP COLUMN this';

-- step: UPDATE {t} SET {c} = {n};
UPDATE shipments82 SET owner_id = 270;
