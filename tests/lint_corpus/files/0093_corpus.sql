-- expect: create-index-not-concurrently, drop-index-not-concurrently, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS orders28_amount_idx297 ON orders28 (amount);

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS coupons65_score_idx917;

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE alerts29 ADD COLUMN ref_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN alerts29.ref_uid IS 'Added.';
