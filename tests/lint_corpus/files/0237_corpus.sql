-- expect: drop-index-not-concurrently, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS invoices62_score_idx920;

-- step: UPDATE {t} SET {c} = {n};
UPDATE messages69 SET email = 85;

-- step: UPDATE {t} SET {c} = {n};
UPDATE sessions90 SET email = 25;
