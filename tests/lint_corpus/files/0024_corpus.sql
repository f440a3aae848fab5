-- expect: drop-index-not-concurrently, missing-comment, missing-primary-key, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS sessions89_log (msg text);

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE products57 ADD CONSTRAINT amount_nn CHECK (amount IS NOT NULL) NOT VALID;
ALTER TABLE products57 VALIDATE CONSTRAINT amount_nn;
ALTER TABLE products57 ALTER COLUMN amount SET NOT NULL;
ALTER TABLE products57 DROP CONSTRAINT amount_nn;

-- step: VACUUM FULL {t};
VACUUM FULL devices40;

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS invoices27_kind_idx802;
