-- expect: drop-table
SET LOCAL lock_timeout = '5s';

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS devices66;
