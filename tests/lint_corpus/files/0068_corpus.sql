-- expect: cluster, drop-column, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE shipments20;
/* ALTER TABLE shipments20 DROP COLUMN region; VACUUM FULL shipments20; */
SELECT 54;

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE messages79 DROP COLUMN status;

-- step: CLUSTER {t} USING {i};
CLUSTER alerts90 USING alerts90_total_idx177;

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE coupons58 ADD COLUMN ref_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN coupons58.ref_uid IS 'Added.';
