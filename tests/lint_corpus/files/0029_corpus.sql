-- expect: foreign-key-without-index, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL accounts68;

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM invoices35 WHERE created_at < now() - interval '90 days';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE coupons9 ADD CONSTRAINT coupons9_kind_fk FOREIGN KEY (kind) REFERENCES parents (id) NOT VALID;
ALTER TABLE coupons9 VALIDATE CONSTRAINT coupons9_kind_fk;
