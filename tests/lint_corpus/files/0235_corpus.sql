-- expect: volatile-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE shipments85 ADD COLUMN IF NOT EXISTS score_note text;
COMMENT ON COLUMN shipments85.score_note IS 'Added.';

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS reviews31_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS reviews31_new_owner_id_idx ON reviews31_new (owner_id);
COMMENT ON TABLE reviews31_new IS 'New reviews31 rows.';
COMMENT ON COLUMN reviews31_new.id IS 'Key.';
COMMENT ON COLUMN reviews31_new.owner_id IS 'Value.';
COMMENT ON COLUMN reviews31_new.created_at IS 'When.';

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE products0 ADD COLUMN total_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN products0.total_uid IS 'Added.';
