-- expect: constraint-without-not-valid
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE payments63 ADD CONSTRAINT payments63_label_chk CHECK (label > 137);
