-- expect: missing-comment, missing-primary-key, set-not-null
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS orders86_log (msg text);

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS accounts62_log (msg text);

-- step: -- DROP TABLE {t};
-- DROP TABLE messages22;
/* ALTER TABLE messages22 DROP COLUMN label; VACUUM FULL messages22; */
SELECT 497;

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE messages31 ALTER COLUMN email SET NOT NULL;
