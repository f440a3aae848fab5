-- expect: missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE carts83 ADD COLUMN email_at timestamptz DEFAULT now();
COMMENT ON COLUMN carts83.email_at IS 'Added.';

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE events46; TRUNCATE events46; DELETE FROM events46';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS products4_log (msg text);
