-- expect: constraint-without-not-valid, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE sessions34 ADD COLUMN region_at timestamptz DEFAULT now();
COMMENT ON COLUMN sessions34.region_at IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE reviews54 ADD CONSTRAINT reviews54_email_chk CHECK (email > 390);

-- step: VACUUM FULL {t};
VACUUM FULL products92;
