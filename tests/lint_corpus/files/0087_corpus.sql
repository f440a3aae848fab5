-- expect: create-index-not-concurrently, int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS invoices78_status_idx198 ON app.invoices78 (lower(status));

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS tickets21_v (id serial PRIMARY KEY, owner_id varchar(40), seen timestamp);
COMMENT ON TABLE tickets21_v IS 'x';
COMMENT ON COLUMN tickets21_v.id IS 'x';
COMMENT ON COLUMN tickets21_v.owner_id IS 'x';
COMMENT ON COLUMN tickets21_v.seen IS 'x';
