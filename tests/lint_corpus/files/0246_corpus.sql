-- expect: create-index-not-concurrently, drop-table, set-not-null
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE devices63 ALTER COLUMN owner_id SET NOT NULL;

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS carts58;

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS events84_email_idx67 ON app.events84 (lower(email));
