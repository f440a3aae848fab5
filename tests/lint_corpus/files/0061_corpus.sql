-- expect: vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL orders27;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE coupons6 ADD COLUMN email_at timestamptz DEFAULT now();
COMMENT ON COLUMN coupons6.email_at IS 'Added.';
