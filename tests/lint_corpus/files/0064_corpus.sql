-- expect: drop-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS invoices6_total_idx200;

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE devices24; TRUNCATE devices24; DELETE FROM devices24';

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS users80_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS users80_new_region_idx ON users80_new (region);
COMMENT ON TABLE users80_new IS 'New users80 rows.';
COMMENT ON COLUMN users80_new.id IS 'Key.';
COMMENT ON COLUMN users80_new.region IS 'Value.';
COMMENT ON COLUMN users80_new.created_at IS 'When.';
