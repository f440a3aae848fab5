-- expect: rename-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE payments46 RENAME COLUMN amount TO amount_old;
