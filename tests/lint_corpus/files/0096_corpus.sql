-- expect: add-not-null-column-without-default, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE invoices81 ADD COLUMN amount_id bigint NOT NULL;
COMMENT ON COLUMN invoices81.amount_id IS 'Added.';

-- step: UPDATE {t} SET {c} = {n};
UPDATE carts33 SET email = 331;

-- step: -- DROP TABLE {t};
-- DROP TABLE reviews76;
/* ALTER TABLE reviews76 DROP COLUMN ref; VACUUM FULL reviews76; */
SELECT 309;

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_alerts31() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM alerts31;
    TRUNCATE alerts31;
    DROP TABLE alerts31;
END
$body$;
