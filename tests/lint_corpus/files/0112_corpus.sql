-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_products36() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM products36;
    TRUNCATE products36;
    DROP TABLE products36;
END
$body$;
