-- sqlmig: description Foreign keys have an index on their referencing columns
-- sqlmig: tags builtin, performance
-- Without one, every DELETE (or key UPDATE) on the referenced table scans the
-- referencing table, holding its row locks all along, and joins along the key
-- cannot use an index. An index supports a foreign key when the key's columns
-- are its leading columns, in any order, and it is not partial. Foreign keys
-- of partitions are reported once, on their partitioned table.
SELECT 'WARN' AS status,
       format('%s.%s', c.conrelid::regclass, quote_ident(c.conname)) AS name,
       format('foreign key %s on %s (%s) -> %s has no supporting index; fix: CREATE INDEX CONCURRENTLY ON %s (%s)',
              quote_ident(c.conname), c.conrelid::regclass, cols.list, c.confrelid::regclass,
              c.conrelid::regclass, cols.list) AS detail,
       c.conrelid::regclass::text AS table_name,
       c.confrelid::regclass::text AS referenced_table
  FROM pg_catalog.pg_constraint c
  JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
 CROSS JOIN LATERAL (
       SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) AS list
         FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
       ) cols
 WHERE c.contype = 'f'
   AND c.conparentid = 0
   AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
   AND NOT EXISTS (
       SELECT 1
         FROM pg_catalog.pg_index i
        WHERE i.indrelid = c.conrelid
          AND i.indpred IS NULL
          AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
       )
 ORDER BY 2;
