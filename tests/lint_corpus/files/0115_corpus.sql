-- expect: alter-column-type, constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE devices16 ALTER COLUMN label TYPE bigint;

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN orders44.ref IS 'never RENAME TO or DROP COLUMN this';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE devices84 ADD COLUMN label_at timestamptz DEFAULT now();
COMMENT ON COLUMN devices84.label_at IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE devices56 ADD CONSTRAINT devices56_kind_fk FOREIGN KEY (kind) REFERENCES parents (id);
