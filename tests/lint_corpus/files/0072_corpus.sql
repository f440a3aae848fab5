-- expect: create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA reviews5_s;

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE products76 ADD COLUMN IF NOT EXISTS ref_note text;
COMMENT ON COLUMN products76.ref_note IS 'Added.';
