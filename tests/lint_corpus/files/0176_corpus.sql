-- expect: drop-table, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS carts74_log (msg text);

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS payments30;
