-- expect: drop-schema-cascade, set-not-null
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE carts85 SET score = 482 WHERE score IS NULL AND id < 10000;

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS reviews21_s CASCADE;

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE products98 ADD COLUMN IF NOT EXISTS kind_note text;
COMMENT ON COLUMN products98.kind_note IS 'Added.';

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE carts50 ALTER COLUMN total SET NOT NULL;
