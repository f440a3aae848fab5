-- expect: add-not-null-column-without-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE reviews27 ADD COLUMN email_id bigint NOT NULL;
COMMENT ON COLUMN reviews27.email_id IS 'Added.';
