-- sqlmig lint --env: size of every user table (ordinary, partitioned, materialized view),
-- from the planner's statistics: no table is scanned.  reltuples is -1 for a
-- table that was never vacuumed or analyzed (PostgreSQL 14 and later).
SELECT n.nspname, c.relname, c.reltuples::bigint, c.relpages::bigint,
       pg_total_relation_size(c.oid)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg_toast%'
   AND n.nspname NOT LIKE 'pg_temp%'
