-- expect: add-not-null-column-without-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE users78 ADD COLUMN label_id bigint NOT NULL;
COMMENT ON COLUMN users78.label_id IS 'Added.';
