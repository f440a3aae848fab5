-- expect: constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE sessions41 ADD COLUMN score_at timestamptz DEFAULT now();
COMMENT ON COLUMN sessions41.score_at IS 'Added.';

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN invoices65.owner_id IS 'never RENAME TO or DROP COLUMN this';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE sessions52 ADD CONSTRAINT sessions52_status_fk FOREIGN KEY (status) REFERENCES parents (id);
