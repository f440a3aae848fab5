-- expect: set-not-null
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE shipments77 ALTER COLUMN label SET NOT NULL;

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE shipments24 ALTER COLUMN kind SET NOT NULL;
