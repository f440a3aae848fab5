-- expect: constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE sessions42 ADD COLUMN status_at timestamptz DEFAULT now();
COMMENT ON COLUMN sessions42.status_at IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE accounts76 ADD CONSTRAINT accounts76_total_fk FOREIGN KEY (total) REFERENCES parents (id);
