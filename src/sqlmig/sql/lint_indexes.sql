-- sqlmig lint --env: the key columns of every index, in order (expression
-- columns have attnum 0, come back as NULL and end the list), to tell whether a foreign key has
-- an index on its referencing columns.
SELECT n.nspname, t.relname, i.indexrelid::regclass::text,
       array(SELECT a.attname
               FROM unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              ORDER BY k.ord)
  FROM pg_index i
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg_toast%'
