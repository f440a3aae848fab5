-- expect: constraint-without-not-valid
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE devices19 ADD CONSTRAINT devices19_amount_chk CHECK (amount > 171);
