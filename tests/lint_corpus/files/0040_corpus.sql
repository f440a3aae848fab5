-- expect: alter-column-type
SET LOCAL lock_timeout = '5s';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_users87() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM users87;
    TRUNCATE users87;
    DROP TABLE users87;
END
$body$;

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE invoices3 ALTER COLUMN email TYPE bigint;
