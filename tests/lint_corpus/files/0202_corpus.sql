-- expect: foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE carts94 ADD COLUMN email_at timestamptz DEFAULT now();
COMMENT ON COLUMN carts94.email_at IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE sessions72 ADD CONSTRAINT sessions72_total_fk FOREIGN KEY (total) REFERENCES parents (id) NOT VALID;
ALTER TABLE sessions72 VALIDATE CONSTRAINT sessions72_total_fk;

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE coupons85 ADD CONSTRAINT ref_nn CHECK (ref IS NOT NULL) NOT VALID;
ALTER TABLE coupons85 VALIDATE CONSTRAINT ref_nn;
ALTER TABLE coupons85 ALTER COLUMN ref SET NOT NULL;
ALTER TABLE coupons85 DROP CONSTRAINT ref_nn;
