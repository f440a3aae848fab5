-- expect: create-index-not-concurrently, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS accounts68_log (msg text);

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS devices99_amount_idx623 ON app.devices99 (lower(amount));

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE payments18 ADD COLUMN total_at timestamptz DEFAULT now();
COMMENT ON COLUMN payments18.total_at IS 'Added.';

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE orders41 ADD COLUMN label_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN orders41.label_flag IS 'Added.';
