-- expect: concurrently-in-transaction
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts37_region_idx147 ON accounts37 (region);

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE tickets71 ADD COLUMN amount_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN tickets71.amount_flag IS 'Added.';
