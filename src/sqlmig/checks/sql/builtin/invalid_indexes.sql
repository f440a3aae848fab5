-- sqlmig: description No invalid indexes (left behind by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY)
-- sqlmig: tags builtin, indexes
-- An invalid index is maintained on every write but never used by queries,
-- and a unique one may still reject rows. Indexes being built right now are
-- invalid until the build ends; they are left out (pg_stat_progress_create_index).
SELECT 'FAIL' AS status,
       i.indexrelid::regclass::text AS name,
       format('index %s on %s is INVALID: it slows every write and serves no query; fix: DROP INDEX CONCURRENTLY %s; then create it again (or REINDEX INDEX CONCURRENTLY %s)',
              i.indexrelid::regclass, i.indrelid::regclass, i.indexrelid::regclass,
              i.indexrelid::regclass) AS detail,
       i.indrelid::regclass::text AS table_name,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT i.indisvalid
   AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_create_index p
                    WHERE p.index_relid = i.indexrelid)
 ORDER BY 2;
