-- expect: drop-column, drop-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS shipments11_region_idx474;

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Payments21" DROP COLUMN "Amount";
