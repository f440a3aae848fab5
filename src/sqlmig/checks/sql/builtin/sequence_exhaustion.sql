-- sqlmig: description Sequences and identity columns are far from their limit
-- sqlmig: tags builtin, sequences
-- The limit is the sequence's own MAXVALUE (MINVALUE when it counts down) or,
-- when it is lower, the range of the column it feeds (serial or identity): a
-- bigint sequence behind an integer column fails at 2147483647. WARN from 75%
-- of the range used, FAIL from 90%. Cycling sequences wrap around by design
-- and are left out; a sequence never used (or not readable by this user) has
-- no last_value and is skipped.
WITH seq AS (
    SELECT s.schemaname, s.sequencename, s.increment_by, s.min_value, s.max_value,
           s.last_value, s.data_type,
           format('%I.%I', s.schemaname, s.sequencename)::regclass AS seqoid
      FROM pg_catalog.pg_sequences s
     WHERE NOT s.cycle AND s.last_value IS NOT NULL
       AND s.schemaname <> 'information_schema' AND s.schemaname !~ '^pg_'
), owner AS (
    SELECT seq.*, a.attrelid::regclass AS tbl, a.attname, a.atttypid::regtype AS coltype,
           CASE WHEN d.deptype = 'i' THEN 'identity column' WHEN d.deptype = 'a' THEN 'column' END AS kind,
           CASE a.atttypid WHEN 'int2'::regtype THEN 32767::numeric
                           WHEN 'int4'::regtype THEN 2147483647::numeric END AS col_max
      FROM seq
      LEFT JOIN pg_catalog.pg_depend d
             ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = seq.seqoid
            AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjsubid > 0
            AND d.deptype IN ('a', 'i')
      LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
), usage AS (
    SELECT o.*,
           CASE WHEN increment_by > 0
                THEN (last_value - min_value)::numeric
                     / nullif(least(max_value::numeric, coalesce(col_max, max_value::numeric)) - min_value, 0)
                ELSE (max_value - last_value)::numeric
                     / nullif(max_value::numeric - greatest(min_value::numeric, coalesce(-col_max - 1, min_value::numeric)), 0)
           END AS used,
           CASE WHEN increment_by > 0 THEN least(max_value::numeric, coalesce(col_max, max_value::numeric))
                ELSE greatest(min_value::numeric, coalesce(-col_max - 1, min_value::numeric)) END AS limit_value
      FROM owner o
)
SELECT CASE WHEN used >= 0.9 THEN 'FAIL' ELSE 'WARN' END AS status,
       seqoid::text AS name,
       format('%s is %s%% used (last value %s, limit %s%s); fix: %s',
              CASE WHEN kind IS NULL THEN 'sequence ' || seqoid::text
                   ELSE format('%s %s.%I (%s) via %s', kind, tbl, attname, coltype, seqoid) END,
              round(used * 100, 1), last_value, limit_value,
              CASE WHEN col_max IS NOT NULL AND col_max < max_value THEN ', the column''s type' ELSE '' END,
              CASE WHEN col_max IS NOT NULL
                   THEN format('ALTER TABLE %s ALTER COLUMN %I TYPE bigint (rewrites the table: plan it)', tbl, attname)
                   ELSE format('ALTER SEQUENCE %s AS bigint MAXVALUE 9223372036854775807', seqoid) END) AS detail,
       round(used * 100, 1) AS percent_used,
       last_value,
       limit_value
  FROM usage
 WHERE used >= 0.75
 ORDER BY used DESC, 2;
