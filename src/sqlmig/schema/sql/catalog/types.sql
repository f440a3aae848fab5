-- Enums (labels in sort order), domains (base type, default, constraints),
-- stand-alone composite types (not the row types of tables) and ranges.
SELECT n.nspname AS schema,
       t.typname AS name,
       t.typtype AS kind,
       array(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid
              ORDER BY e.enumsortorder) AS labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       t.typnotnull AS not_null,
       CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0) END AS default,
       array(SELECT con.conname FROM pg_constraint con WHERE con.contypid = t.oid AND con.contype <> 'n'
              ORDER BY con.conname COLLATE "C") AS constraint_names,
       array(SELECT pg_get_constraintdef(con.oid, true) FROM pg_constraint con
              WHERE con.contypid = t.oid AND con.contype <> 'n'
              ORDER BY con.conname COLLATE "C") AS constraint_definitions,
       array(SELECT a.attname FROM pg_attribute a
              WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attnum) AS attribute_names,
       array(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
              WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attnum) AS attribute_types,
       CASE WHEN t.typtype = 'r'
            THEN (SELECT format_type(rg.rngsubtype, NULL) FROM pg_range rg WHERE rg.rngtypid = t.oid)
       END AS subtype,
       d.description AS comment,
       CASE WHEN %(privileges)s THEN pg_get_userbyid(t.typowner) END AS owner
  FROM scope_nsp n
  JOIN pg_type t ON t.typnamespace = n.oid
  LEFT JOIN pg_class rc ON rc.oid = t.typrelid
  LEFT JOIN pg_description d
         ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
 WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND rc.relkind = 'c'))
   AND NOT EXISTS (SELECT 1 FROM pg_depend e
                    WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
 ORDER BY n.nspname COLLATE "C", t.typname COLLATE "C"
