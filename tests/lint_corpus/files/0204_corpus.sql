-- expect: set-not-null
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE events4 ALTER COLUMN score SET NOT NULL;
