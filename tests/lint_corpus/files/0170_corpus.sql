-- expect: drop-table
SET LOCAL lock_timeout = '5s';

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS sessions54;

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_payments8() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM payments8;
    TRUNCATE payments8;
    DROP TABLE payments8;
END
$body$;
