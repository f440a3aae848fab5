-- expect: alter-column-type, update-without-where, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL messages17;

-- step: UPDATE {t} SET {c} = {n};
UPDATE coupons45 SET region = 119;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE invoices22 ADD COLUMN amount_at timestamptz DEFAULT now();
COMMENT ON COLUMN invoices22.amount_at IS 'Added.';

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE users62 ALTER COLUMN ref TYPE bigint;
