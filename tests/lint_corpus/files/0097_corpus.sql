-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE users51 ADD COLUMN IF NOT EXISTS amount_note text;
COMMENT ON COLUMN users51.amount_note IS 'Added.';
