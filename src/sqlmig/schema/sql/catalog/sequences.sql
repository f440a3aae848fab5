-- Sequence parameters, never their current values. owned_by comes from the
-- 'a' (OWNED BY / serial) or 'i' (identity column) dependency on a column;
-- sequences owned by tables outside the scope (the ledger's identity
-- column) are left out with their table.
SELECT n.nspname AS schema,
       c.relname AS name,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS min_value,
       s.seqmax AS max_value,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       o.nspname AS owner_schema,
       o.relname AS owner_relation,
       o.attname AS owner_column,
       o.deptype = 'i' AS identity,
       d.description AS comment,
       CASE WHEN %(privileges)s THEN pg_get_userbyid(c.relowner) END AS owner,
       CASE WHEN %(privileges)s
            THEN array(SELECT a FROM unnest(c.relacl::text[]) a ORDER BY a COLLATE "C") END AS acl
  FROM scope_nsp n
  JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind = 'S'
  JOIN pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN LATERAL (
        SELECT tn.nspname, tc.relname, a.attname, dep.deptype, tc.oid AS reloid
          FROM pg_depend dep
          JOIN pg_class tc ON tc.oid = dep.refobjid
          JOIN pg_namespace tn ON tn.oid = tc.relnamespace
          JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = dep.refobjsubid
         WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
           AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
         LIMIT 1) o ON true
  LEFT JOIN pg_description d
         ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
 WHERE (o.reloid IS NULL OR o.reloid IN (SELECT oid FROM scope_rel))
   AND NOT (n.nspname = %(ledger_schema)s AND c.relname ~ '^sqlmig_')
   AND NOT EXISTS (SELECT 1 FROM pg_depend e
                    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"
