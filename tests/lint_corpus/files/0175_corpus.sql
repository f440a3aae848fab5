-- expect: drop-schema-cascade, rename-column
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS sessions83_s CASCADE;

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE devices70 RENAME COLUMN kind TO kind_old;

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS tickets3_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tickets3_new_owner_id_idx ON tickets3_new (owner_id);
COMMENT ON TABLE tickets3_new IS 'New tickets3 rows.';
COMMENT ON COLUMN tickets3_new.id IS 'Key.';
COMMENT ON COLUMN tickets3_new.owner_id IS 'Value.';
COMMENT ON COLUMN tickets3_new.created_at IS 'When.';
