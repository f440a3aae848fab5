-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE alerts99 DROP COLUMN status';
END
$$;

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE carts30 ADD COLUMN IF NOT EXISTS email_note text;
COMMENT ON COLUMN carts30.email_note IS 'Added.';
