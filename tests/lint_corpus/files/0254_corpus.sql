-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE accounts81; TRUNCATE accounts81; DELETE FROM accounts81';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_reviews63() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM reviews63;
    TRUNCATE reviews63;
    DROP TABLE reviews63;
END
$body$;
