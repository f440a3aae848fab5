-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE events16 ADD CONSTRAINT events16_total_chk CHECK (total > 142) NOT VALID;
