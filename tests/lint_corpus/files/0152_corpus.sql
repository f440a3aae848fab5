-- expect: drop-column, drop-schema-cascade
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS alerts8_s CASCADE;

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE invoices32 ADD COLUMN score_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN invoices32.score_flag IS 'Added.';

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Carts23" DROP COLUMN "Total";
