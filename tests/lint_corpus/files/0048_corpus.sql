-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE reviews8 ADD CONSTRAINT region_nn CHECK (region IS NOT NULL) NOT VALID;
ALTER TABLE reviews8 VALIDATE CONSTRAINT region_nn;
ALTER TABLE reviews8 ALTER COLUMN region SET NOT NULL;
ALTER TABLE reviews8 DROP CONSTRAINT region_nn;

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE invoices46 SET region = 0; CREATE INDEX x ON invoices46 (region)');

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE messages13 ADD COLUMN IF NOT EXISTS email_note text;
COMMENT ON COLUMN messages13.email_note IS 'Added.';
