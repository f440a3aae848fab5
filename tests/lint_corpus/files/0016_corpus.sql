-- expect: alter-column-type, create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE products30 ALTER COLUMN region TYPE bigint;

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE products66 ALTER COLUMN total TYPE bigint;

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS users35_total_idx265 ON app.users35 (lower(total));
