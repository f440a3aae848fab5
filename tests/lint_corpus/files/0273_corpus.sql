-- expect: drop-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE tickets38 ADD COLUMN IF NOT EXISTS owner_id_note text;
COMMENT ON COLUMN tickets38.owner_id_note IS 'Added.';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS messages39_owner_id_idx134;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE reviews59 ADD CONSTRAINT reviews59_total_chk CHECK (total > 299) NOT VALID;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE reviews43 ADD COLUMN owner_id_at timestamptz DEFAULT now();
COMMENT ON COLUMN reviews43.owner_id_at IS 'Added.';
