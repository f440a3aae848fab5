-- expect: concurrently-in-transaction, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders4_ref_idx272 ON orders4 (ref);

-- step: UPDATE {t} SET {c} = {n};
UPDATE orders79 SET status = 63;

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_users55() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM users55;
    TRUNCATE users55;
    DROP TABLE users55;
END
$body$;

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE events39 SET score = 86 WHERE score IS NULL AND id < 10000;
