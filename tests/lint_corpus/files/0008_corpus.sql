-- expect: cluster
SET LOCAL lock_timeout = '5s';

-- step: CLUSTER {t} USING {i};
CLUSTER orders85 USING orders85_status_idx782;

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE shipments43 DROP COLUMN score';
END
$$;

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE devices8 SET status = 0; CREATE INDEX x ON devices8 (status)');

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS invoices7_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS invoices7_new_kind_idx ON invoices7_new (kind);
COMMENT ON TABLE invoices7_new IS 'New invoices7 rows.';
COMMENT ON COLUMN invoices7_new.id IS 'Key.';
COMMENT ON COLUMN invoices7_new.kind IS 'Value.';
COMMENT ON COLUMN invoices7_new.created_at IS 'When.';
