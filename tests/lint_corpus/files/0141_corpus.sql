-- expect: create-index-not-concurrently, rename-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE orders91 ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE orders91 VALIDATE CONSTRAINT email_nn;
ALTER TABLE orders91 ALTER COLUMN email SET NOT NULL;
ALTER TABLE orders91 DROP CONSTRAINT email_nn;

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS invoices49_kind_idx319 ON invoices49 (kind);

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN payments62.ref IS 'never RENAME TO or DROP COLUMN this';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE devices60 RENAME COLUMN amount TO amount_old;
