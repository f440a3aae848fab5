-- expect: drop-index-not-concurrently, drop-table, rename-table
SET LOCAL lock_timeout = '5s';

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS orders29;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE sessions3 RENAME TO sessions3_old;

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS sessions29_score_idx208;

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS messages38_total_idx221;
