-- expect: cluster
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE coupons61 ADD CONSTRAINT total_nn CHECK (total IS NOT NULL) NOT VALID;
ALTER TABLE coupons61 VALIDATE CONSTRAINT total_nn;
ALTER TABLE coupons61 ALTER COLUMN total SET NOT NULL;
ALTER TABLE coupons61 DROP CONSTRAINT total_nn;

-- step: CLUSTER {t} USING {i};
CLUSTER payments83 USING payments83_score_idx796;
