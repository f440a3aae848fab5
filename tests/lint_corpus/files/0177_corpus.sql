-- expect: create-index-not-concurrently, create-without-if-not-exists, drop-table, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n};
UPDATE tickets27 SET kind = 396;

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS payments70_status_idx620 ON app.payments70 (lower(status));

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS devices84;

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA reviews94_s;
