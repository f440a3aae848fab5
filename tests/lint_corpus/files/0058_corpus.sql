-- expect: delete-without-where
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE sessions3;
/* ALTER TABLE sessions3 DROP COLUMN region; VACUUM FULL sessions3; */
SELECT 333;

-- step: DELETE FROM {t};
DELETE FROM orders2;
