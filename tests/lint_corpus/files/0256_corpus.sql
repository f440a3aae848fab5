-- expect: cluster, concurrently-in-transaction
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE reviews34;
/* ALTER TABLE reviews34 DROP COLUMN email; VACUUM FULL reviews34; */
SELECT 353;

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS devices69_kind_idx561 ON devices69 (kind);

-- step: CLUSTER {t} USING {i};
CLUSTER messages51 USING messages51_region_idx325;

-- step: CLUSTER {t} USING {i};
CLUSTER carts19 USING carts19_region_idx779;
