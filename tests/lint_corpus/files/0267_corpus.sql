-- expect: create-index-not-concurrently, drop-column, drop-schema-cascade
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS events75_ref_idx473 ON app.events75 (lower(ref));

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS coupons53_s CASCADE;

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE devices50 DROP COLUMN total;

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS sessions94_owner_id_idx411 ON sessions94 (owner_id);
