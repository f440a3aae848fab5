-- expect: constraint-without-not-valid, create-index-not-concurrently, drop-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE carts93 ADD CONSTRAINT carts93_region_chk CHECK (region > 483);

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS coupons20_region_idx116 ON coupons20 (region);

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Carts73" DROP COLUMN "Score";
