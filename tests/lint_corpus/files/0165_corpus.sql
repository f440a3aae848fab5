-- expect: add-not-null-column-without-default
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM carts73 WHERE created_at < now() - interval '90 days';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE alerts57 ADD COLUMN label_id bigint NOT NULL;
COMMENT ON COLUMN alerts57.label_id IS 'Added.';
