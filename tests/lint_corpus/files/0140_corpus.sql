-- expect: create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA payments6_s;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE invoices37 ADD COLUMN label_at timestamptz DEFAULT now();
COMMENT ON COLUMN invoices37.label_at IS 'Added.';
