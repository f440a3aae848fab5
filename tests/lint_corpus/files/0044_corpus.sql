-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE products39;
/* ALTER TABLE products39 DROP COLUMN status; VACUUM FULL products39; */
SELECT 243;
