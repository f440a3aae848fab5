-- expect: drop-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Devices48" DROP COLUMN "Region";
