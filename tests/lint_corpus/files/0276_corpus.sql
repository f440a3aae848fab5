-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE accounts9 ADD COLUMN IF NOT EXISTS ref_note text;
COMMENT ON COLUMN accounts9.ref_note IS 'Added.';
