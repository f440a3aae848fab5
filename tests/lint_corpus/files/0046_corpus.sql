-- expect: missing-comment, missing-primary-key, rename-table
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE products26 RENAME TO products26_old;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE messages46 ADD COLUMN amount_at timestamptz DEFAULT now();
COMMENT ON COLUMN messages46.amount_at IS 'Added.';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS messages14_log (msg text);
