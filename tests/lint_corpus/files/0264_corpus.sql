-- expect: concurrently-in-transaction, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE coupons37 ADD COLUMN ref_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN coupons37.ref_uid IS 'Added.';

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS devices48_score_idx42 ON devices48 (score);
