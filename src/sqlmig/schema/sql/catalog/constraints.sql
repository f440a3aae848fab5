-- Table constraints, foreign keys included. NOT NULL constraints (contype
-- 'n' since PostgreSQL 18) are described by the column's nullability.
-- A constraint cloned onto a partition, or onto the referencing table for
-- each partition of a referenced partitioned table, has conparentid set.
SELECT r.nspname AS schema,
       r.relname AS relation,
       con.conname AS name,
       con.contype AS type,
       pg_get_constraintdef(con.oid, true) AS definition,
       array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS columns,
       fn.nspname AS ref_schema,
       fc.relname AS ref_relation,
       array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS ref_columns,
       con.confupdtype AS on_update,
       con.confdeltype AS on_delete,
       con.confmatchtype AS match,
       con.convalidated AS validated,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       (con.conparentid <> 0 OR NOT con.conislocal) AS inherited,
       d.description AS comment
  FROM scope_rel r
  JOIN pg_constraint con ON con.conrelid = r.oid
  LEFT JOIN pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
  LEFT JOIN pg_description d
         ON d.objoid = con.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
 WHERE con.contype IN ('p', 'u', 'c', 'f', 'x', 't')
 ORDER BY r.nspname COLLATE "C", r.relname COLLATE "C", con.conname COLLATE "C"
