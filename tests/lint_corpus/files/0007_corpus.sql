-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE coupons21 ADD COLUMN score_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN coupons21.score_flag IS 'Added.';
