-- expect: cluster, drop-schema-cascade
SET LOCAL lock_timeout = '5s';

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN orders64.label IS 'never RENAME TO or DROP COLUMN this';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE invoices27 ADD COLUMN email_at timestamptz DEFAULT now();
COMMENT ON COLUMN invoices27.email_at IS 'Added.';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS payments12_s CASCADE;

-- step: CLUSTER {t} USING {i};
CLUSTER events83 USING events83_email_idx377;
