-- expect: concurrently-in-transaction, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS sessions83_log (msg text);

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS events0_total_idx904 ON events0 (total);
