-- expect: alter-column-type, create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS invoices57_score_idx330 ON app.invoices57 (lower(score));

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE alerts14 ALTER COLUMN score TYPE bigint;

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE orders23 ALTER COLUMN total TYPE bigint;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE devices19 ADD COLUMN kind_at timestamptz DEFAULT now();
COMMENT ON COLUMN devices19.kind_at IS 'Added.';
