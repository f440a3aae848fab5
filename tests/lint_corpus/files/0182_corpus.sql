-- expect: vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_coupons49() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM coupons49;
    TRUNCATE coupons49;
    DROP TABLE coupons49;
END
$body$;

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN reviews57.email IS 'never RENAME TO or DROP COLUMN this';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_sessions12() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM sessions12;
    TRUNCATE sessions12;
    DROP TABLE sessions12;
END
$body$;

-- step: VACUUM FULL {t};
VACUUM FULL accounts24;
