-- sqlmig: description Every table has a primary key
-- sqlmig: tags builtin, schema
-- Without one, duplicate rows can creep in, rows cannot be addressed
-- reliably, and logical replication cannot replicate UPDATE or DELETE unless
-- a REPLICA IDENTITY is set. Partitions inherit their table's key and are not
-- listed; tables owned by an extension are left out.
SELECT 'WARN' AS status,
       t.oid::regclass::text AS name,
       format('table %s has no primary key (replica identity: %s); fix: ALTER TABLE %s ADD PRIMARY KEY (...), e.g. on a unique NOT NULL column or a new identity column',
              t.oid::regclass,
              CASE t.relreplident WHEN 'd' THEN 'default, i.e. none' WHEN 'n' THEN 'nothing'
                                  WHEN 'f' THEN 'full' WHEN 'i' THEN 'index' END,
              t.oid::regclass) AS detail,
       t.reltuples::bigint AS estimated_rows
  FROM pg_catalog.pg_class t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
 WHERE t.relkind IN ('r', 'p')
   AND NOT t.relispartition
   AND t.relpersistence <> 't'
   AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                    WHERE c.conrelid = t.oid AND c.contype = 'p')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = t.oid
                      AND d.deptype = 'e')
 ORDER BY 2;
