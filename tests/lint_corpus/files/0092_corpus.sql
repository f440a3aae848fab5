-- expect: create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE accounts46 DROP COLUMN score';
END
$$;

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA sessions22_s;

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE tickets66 ADD COLUMN IF NOT EXISTS kind_note text;
COMMENT ON COLUMN tickets66.kind_note IS 'Added.';
