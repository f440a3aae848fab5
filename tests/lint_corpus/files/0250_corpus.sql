-- expect: rename-column, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE orders99 RENAME COLUMN total TO total_old;

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE tickets87 ADD COLUMN email_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN tickets87.email_uid IS 'Added.';
