-- expect: drop-schema-cascade
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE payments41 ADD CONSTRAINT ref_nn CHECK (ref IS NOT NULL) NOT VALID;
ALTER TABLE payments41 VALIDATE CONSTRAINT ref_nn;
ALTER TABLE payments41 ALTER COLUMN ref SET NOT NULL;
ALTER TABLE payments41 DROP CONSTRAINT ref_nn;

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS accounts32_s CASCADE;

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS products75_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS products75_new_kind_idx ON products75_new (kind);
COMMENT ON TABLE products75_new IS 'New products75 rows.';
COMMENT ON COLUMN products75_new.id IS 'Key.';
COMMENT ON COLUMN products75_new.kind IS 'Value.';
COMMENT ON COLUMN products75_new.created_at IS 'When.';
