-- expect: drop-table, set-not-null
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE sessions22 ALTER COLUMN email SET NOT NULL;

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS orders70;

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE messages65 ADD COLUMN IF NOT EXISTS total_note text;
COMMENT ON COLUMN messages65.total_note IS 'Added.';
