-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE tickets5 ADD COLUMN ref_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN tickets5.ref_flag IS 'Added.';
