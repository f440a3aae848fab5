-- expect: add-not-null-column-without-default, create-index-not-concurrently, drop-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE carts57 ADD COLUMN label_id bigint NOT NULL;
COMMENT ON COLUMN carts57.label_id IS 'Added.';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS sessions62_kind_idx3 ON app.sessions62 (lower(kind));

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE invoices84 DROP COLUMN label;
