-- expect: create-index-not-concurrently, drop-table, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE invoices72 SET amount = 0; CREATE INDEX x ON invoices72 (amount)');

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS events13_ref_idx951 ON app.events13 (lower(ref));

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS accounts89;

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE orders89 ADD COLUMN status_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN orders89.status_uid IS 'Added.';
