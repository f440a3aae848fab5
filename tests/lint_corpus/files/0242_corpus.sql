-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_invoices45() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM invoices45;
    TRUNCATE invoices45;
    DROP TABLE invoices45;
END
$body$;

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE accounts84; TRUNCATE accounts84; DELETE FROM accounts84';
