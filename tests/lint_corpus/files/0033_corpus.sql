-- expect: create-index-not-concurrently, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n};
UPDATE reviews2 SET kind = 8;

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS products65_total_idx251 ON app.products65 (lower(total));
