-- expect: create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS accounts53_label_idx378 ON accounts53 (label);

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE shipments16 DROP COLUMN label';
END
$$;

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE devices99 ADD COLUMN IF NOT EXISTS label_note text;
COMMENT ON COLUMN devices99.label_note IS 'Added.';
