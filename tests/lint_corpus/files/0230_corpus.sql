-- expect: create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE messages68 ADD COLUMN kind_at timestamptz DEFAULT now();
COMMENT ON COLUMN messages68.kind_at IS 'Added.';

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS users43_amount_idx498 ON users43 (amount);

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS orders4_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders4_new_status_idx ON orders4_new (status);
COMMENT ON TABLE orders4_new IS 'New orders4 rows.';
COMMENT ON COLUMN orders4_new.id IS 'Key.';
COMMENT ON COLUMN orders4_new.status IS 'Value.';
COMMENT ON COLUMN orders4_new.created_at IS 'When.';

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN carts60.amount IS 'never RENAME TO or DROP COLUMN this';
