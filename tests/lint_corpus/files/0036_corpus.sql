-- expect: concurrently-in-transaction, create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS devices23_amount_idx275 ON devices23 (amount);

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS messages46_score_idx995 ON messages46 (score);

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM sessions4 WHERE created_at < now() - interval '90 days';
