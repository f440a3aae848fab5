-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE products48;
/* ALTER TABLE products48 DROP COLUMN score; VACUUM FULL products48; */
SELECT 421;
