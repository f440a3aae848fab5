-- expect: alter-column-type, drop-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS tickets2_amount_idx33;

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS alerts0_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS alerts0_new_status_idx ON alerts0_new (status);
COMMENT ON TABLE alerts0_new IS 'New alerts0 rows.';
COMMENT ON COLUMN alerts0_new.id IS 'Key.';
COMMENT ON COLUMN alerts0_new.status IS 'Value.';
COMMENT ON COLUMN alerts0_new.created_at IS 'When.';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_devices57() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM devices57;
    TRUNCATE devices57;
    DROP TABLE devices57;
END
$body$;

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE accounts19 ALTER COLUMN label TYPE bigint;
