-- expect: create-index-not-concurrently, drop-table
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS accounts38_amount_idx514 ON accounts38 (amount);

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS events96;
