-- expect: create-index-not-concurrently, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS shipments48_status_idx486 ON shipments48 (status);

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS products31_log (msg text);
