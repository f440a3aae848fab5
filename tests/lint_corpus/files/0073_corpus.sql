-- expect: rename-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE payments57 RENAME COLUMN ref TO ref_old;
