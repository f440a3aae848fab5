-- expect: create-index-not-concurrently, delete-without-where, drop-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS invoices84_score_idx156;

-- step: DELETE FROM {t};
DELETE FROM carts7;

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM accounts67 WHERE created_at < now() - interval '90 days';

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS users26_status_idx671 ON users26 (status);
