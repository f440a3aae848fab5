-- expect: truncate
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE users34 ADD COLUMN ref_at timestamptz DEFAULT now();
COMMENT ON COLUMN users34.ref_at IS 'Added.';

-- step: TRUNCATE {t};
TRUNCATE payments33;
