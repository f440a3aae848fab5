-- expect: concurrently-in-transaction, create-index-not-concurrently, drop-column, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Coupons43" DROP COLUMN "Region";

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS sessions25_email_idx38 ON sessions25 (email);

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS sessions73_log (msg text);

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS orders40_status_idx899 ON app.orders40 (lower(status));
