-- expect: add-not-null-column-without-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE devices55 ADD COLUMN score_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN devices55.score_flag IS 'Added.';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE coupons31 ADD COLUMN region_id bigint NOT NULL;
COMMENT ON COLUMN coupons31.region_id IS 'Added.';
