-- expect: drop-table
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE devices59;
/* ALTER TABLE devices59 DROP COLUMN owner_id; VACUUM FULL devices59; */
SELECT 189;

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS products92;
