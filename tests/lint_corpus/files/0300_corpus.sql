-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE alerts53 ADD COLUMN region_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN alerts53.region_flag IS 'Added.';
