-- expect: rename-column, set-not-null
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE reviews51 RENAME COLUMN label TO label_old;

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE orders63 ALTER COLUMN score SET NOT NULL;

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE devices10 RENAME COLUMN amount TO amount_old;
