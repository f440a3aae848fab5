-- expect: create-index-not-concurrently, drop-schema-cascade, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS invoices3_owner_id_idx109 ON invoices3 (owner_id);

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS carts32_s CASCADE;

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE alerts23 ADD COLUMN email_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN alerts23.email_uid IS 'Added.';
