-- expect: add-not-null-column-without-default, drop-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE orders31 ADD COLUMN owner_id_id bigint NOT NULL;
COMMENT ON COLUMN orders31.owner_id_id IS 'Added.';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE devices71 ADD COLUMN email_id bigint NOT NULL;
COMMENT ON COLUMN devices71.email_id IS 'Added.';

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE devices41 DROP COLUMN ref;

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN products88.kind IS 'never RENAME TO or DROP COLUMN this';
