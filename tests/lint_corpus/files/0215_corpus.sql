-- expect: missing-comment, missing-primary-key, rename-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE users4 RENAME COLUMN ref TO ref_old;

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS coupons18_log (msg text);
