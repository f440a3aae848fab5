-- expect: create-index-not-concurrently, truncate
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS users78_email_idx698 ON app.users78 (lower(email));

-- step: TRUNCATE {t};
TRUNCATE events65;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE orders27 ADD COLUMN region_at timestamptz DEFAULT now();
COMMENT ON COLUMN orders27.region_at IS 'Added.';
