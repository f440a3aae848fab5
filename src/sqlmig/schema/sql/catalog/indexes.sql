-- An index of a partition that is attached to its parent's partitioned index
-- appears in pg_inherits: it is reported as inherited.
SELECT r.nspname AS schema,
       r.relname AS relation,
       ic.relname AS name,
       pg_get_indexdef(i.indexrelid) AS definition,
       array(SELECT pg_get_indexdef(i.indexrelid, k, true)
               FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS columns,
       i.indisunique AS is_unique,
       i.indisprimary AS is_primary,
       i.indisvalid AS valid,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       con.conname AS constraint_name,
       EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) AS inherited,
       d.description AS comment
  FROM scope_rel r
  JOIN pg_index i ON i.indrelid = r.oid
  JOIN pg_class ic ON ic.oid = i.indexrelid
  LEFT JOIN pg_constraint con
         ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
  LEFT JOIN pg_description d
         ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
 ORDER BY r.nspname COLLATE "C", r.relname COLLATE "C", ic.relname COLLATE "C"
