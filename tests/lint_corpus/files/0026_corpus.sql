-- expect: constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE coupons65 ADD CONSTRAINT coupons65_region_fk FOREIGN KEY (region) REFERENCES parents (id);

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE reviews40 ADD CONSTRAINT reviews40_status_chk CHECK (status > 188);
