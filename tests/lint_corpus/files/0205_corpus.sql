-- expect: alter-column-type, drop-column, drop-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Coupons88" DROP COLUMN "Region";

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE messages67 ALTER COLUMN status TYPE bigint;

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS devices43_label_idx756;
