-- expect: create-index-not-concurrently, foreign-key-without-index, rename-table
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM events10 WHERE created_at < now() - interval '90 days';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE devices4 ADD CONSTRAINT devices4_kind_fk FOREIGN KEY (kind) REFERENCES parents (id) NOT VALID;
ALTER TABLE devices4 VALIDATE CONSTRAINT devices4_kind_fk;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE reviews42 RENAME TO reviews42_old;

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS invoices35_status_idx359 ON invoices35 (status);
