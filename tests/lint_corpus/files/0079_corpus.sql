-- expect: vacuum-full, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE users6 ADD COLUMN label_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN users6.label_uid IS 'Added.';

-- step: VACUUM FULL {t};
VACUUM FULL invoices73;
