-- expect: drop-index-not-concurrently, drop-table
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS invoices79_owner_id_idx576;

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS payments46;
