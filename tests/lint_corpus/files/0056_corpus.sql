-- expect: alter-column-type
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE orders82 ALTER COLUMN kind TYPE bigint;

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE coupons89 ADD CONSTRAINT status_nn CHECK (status IS NOT NULL) NOT VALID;
ALTER TABLE coupons89 VALIDATE CONSTRAINT status_nn;
ALTER TABLE coupons89 ALTER COLUMN status SET NOT NULL;
ALTER TABLE coupons89 DROP CONSTRAINT status_nn;
