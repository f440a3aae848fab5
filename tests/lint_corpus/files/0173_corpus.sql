-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE messages10 ADD COLUMN IF NOT EXISTS total_note text;
COMMENT ON COLUMN messages10.total_note IS 'Added.';
