-- expect: concurrently-in-transaction, truncate
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS carts4_total_idx64 ON carts4 (total);

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE messages24 ADD COLUMN IF NOT EXISTS status_note text;
COMMENT ON COLUMN messages24.status_note IS 'Added.';

-- step: TRUNCATE {t};
TRUNCATE reviews34;

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS messages95_score_idx946 ON messages95 (score);
