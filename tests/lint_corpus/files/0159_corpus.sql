-- expect: missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE tickets18 ADD COLUMN IF NOT EXISTS email_note text;
COMMENT ON COLUMN tickets18.email_note IS 'Added.';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS shipments65_log (msg text);
