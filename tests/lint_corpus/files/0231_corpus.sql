-- expect: concurrently-in-transaction, truncate, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL sessions78;

-- step: TRUNCATE {t};
TRUNCATE products39;

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS products21_score_idx744 ON products21 (score);

-- step: TRUNCATE {t};
TRUNCATE devices49;
