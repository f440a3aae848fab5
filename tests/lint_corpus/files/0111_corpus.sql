-- expect: add-not-null-column-without-default, create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS coupons3_region_idx531 ON app.coupons3 (lower(region));

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE reviews60 ADD COLUMN email_id bigint NOT NULL;
COMMENT ON COLUMN reviews60.email_id IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE invoices73 ADD CONSTRAINT invoices73_kind_chk CHECK (kind > 224) NOT VALID;
