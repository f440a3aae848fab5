-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE alerts75 ADD CONSTRAINT alerts75_ref_chk CHECK (ref > 134) NOT VALID;
