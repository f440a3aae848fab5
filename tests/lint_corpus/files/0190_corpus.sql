-- expect: alter-column-type, concurrently-in-transaction, create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS orders28_region_idx596 ON app.orders28 (lower(region));

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS devices6_ref_idx244 ON devices6 (ref);

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE orders20 ALTER COLUMN ref TYPE bigint;

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM users58 WHERE created_at < now() - interval '90 days';
