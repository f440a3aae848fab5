-- expect: create-without-if-not-exists, drop-column, drop-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA invoices1_s;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE alerts98 ADD COLUMN region_at timestamptz DEFAULT now();
COMMENT ON COLUMN alerts98.region_at IS 'Added.';

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Alerts27" DROP COLUMN "Amount";

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS users1_status_idx989;
