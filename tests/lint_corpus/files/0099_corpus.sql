-- expect: missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE coupons25 ADD COLUMN label_at timestamptz DEFAULT now();
COMMENT ON COLUMN coupons25.label_at IS 'Added.';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS coupons78_log (msg text);
