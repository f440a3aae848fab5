-- expect: constraint-without-not-valid, set-not-null
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS events19_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    label text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS events19_new_label_idx ON events19_new (label);
COMMENT ON TABLE events19_new IS 'New events19 rows.';
COMMENT ON COLUMN events19_new.id IS 'Key.';
COMMENT ON COLUMN events19_new.label IS 'Value.';
COMMENT ON COLUMN events19_new.created_at IS 'When.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE alerts36 ADD CONSTRAINT alerts36_status_chk CHECK (status > 387) NOT VALID;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE reviews55 ADD CONSTRAINT reviews55_kind_chk CHECK (kind > 474);

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE events49 ALTER COLUMN kind SET NOT NULL;
