-- expect: create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS events89_owner_id_idx267 ON app.events89 (lower(owner_id));
