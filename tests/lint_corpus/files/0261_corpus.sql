-- expect: drop-index-not-concurrently, rename-table
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS events52_amount_idx719;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE events46 RENAME TO events46_old;

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_tickets57() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM tickets57;
    TRUNCATE tickets57;
    DROP TABLE tickets57;
END
$body$;
