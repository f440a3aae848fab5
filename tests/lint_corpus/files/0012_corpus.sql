-- expect: drop-column, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL events61;

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE products56 DROP COLUMN amount;

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN orders13.email IS 'never RENAME TO or DROP COLUMN this';

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE events46; TRUNCATE events46; DELETE FROM events46';
