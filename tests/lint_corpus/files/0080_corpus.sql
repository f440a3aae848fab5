-- expect: drop-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE reviews36 ADD COLUMN amount_at timestamptz DEFAULT now();
COMMENT ON COLUMN reviews36.amount_at IS 'Added.';

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE events49 DROP COLUMN total;
