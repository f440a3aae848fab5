-- expect: alter-column-type, create-index-not-concurrently, create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA reviews46_s;

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE alerts25 ALTER COLUMN score TYPE bigint;

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS alerts83_score_idx818 ON alerts83 (score);
