-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS messages96_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS messages96_new_amount_idx ON messages96_new (amount);
COMMENT ON TABLE messages96_new IS 'New messages96 rows.';
COMMENT ON COLUMN messages96_new.id IS 'Key.';
COMMENT ON COLUMN messages96_new.amount IS 'Value.';
COMMENT ON COLUMN messages96_new.created_at IS 'When.';

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE invoices42 SET email = 447 WHERE email IS NULL AND id < 10000;
