-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE payments63;
/* ALTER TABLE payments63 DROP COLUMN owner_id; VACUUM FULL payments63; */
SELECT 369;
