-- expect: set-not-null
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE invoices70 ALTER COLUMN region SET NOT NULL;
