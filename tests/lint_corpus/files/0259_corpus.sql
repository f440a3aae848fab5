-- expect: alter-column-type, drop-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE sessions78 DROP COLUMN kind;

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS reviews66_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS reviews66_new_ref_idx ON reviews66_new (ref);
COMMENT ON TABLE reviews66_new IS 'New reviews66 rows.';
COMMENT ON COLUMN reviews66_new.id IS 'Key.';
COMMENT ON COLUMN reviews66_new.ref IS 'Value.';
COMMENT ON COLUMN reviews66_new.created_at IS 'When.';

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE accounts8 ALTER COLUMN label TYPE bigint;
