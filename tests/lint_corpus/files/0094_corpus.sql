-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE users72 ADD COLUMN IF NOT EXISTS score_note text;
COMMENT ON COLUMN users72.score_note IS 'Added.';
