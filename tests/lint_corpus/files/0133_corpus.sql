-- expect: drop-column, drop-table, truncate, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL shipments64;

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS products83;

-- step: TRUNCATE {t};
TRUNCATE products40;

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Orders51" DROP COLUMN "Label";
