-- expect: truncate
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE sessions63;
/* ALTER TABLE sessions63 DROP COLUMN ref; VACUUM FULL sessions63; */
SELECT 478;

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE carts84 ADD COLUMN IF NOT EXISTS region_note text;
COMMENT ON COLUMN carts84.region_note IS 'Added.';

-- step: TRUNCATE {t};
TRUNCATE carts51;

-- step: TRUNCATE {t};
TRUNCATE coupons39;
