-- expect: delete-without-where, drop-column, drop-table
SET LOCAL lock_timeout = '5s';

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS events51;

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Coupons82" DROP COLUMN "Email";

-- step: DELETE FROM {t};
DELETE FROM messages54;
