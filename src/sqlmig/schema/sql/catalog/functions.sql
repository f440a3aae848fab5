-- Functions, procedures, aggregates and window functions. pg_get_functiondef
-- refuses aggregates, so they have no definition. sqlmig's own functions
-- (sqlmig_* in the ledger schema) are left out like its tables.
SELECT n.nspname AS schema,
       p.proname AS name,
       pg_get_function_identity_arguments(p.oid) AS arguments,
       CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS result,
       p.prokind AS kind,
       l.lanname AS language,
       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END AS definition,
       p.provolatile AS volatility,
       p.prosecdef AS security_definer,
       d.description AS comment,
       CASE WHEN %(privileges)s THEN pg_get_userbyid(p.proowner) END AS owner,
       CASE WHEN %(privileges)s
            THEN array(SELECT a FROM unnest(p.proacl::text[]) a ORDER BY a COLLATE "C") END AS acl
  FROM scope_nsp n
  JOIN pg_proc p ON p.pronamespace = n.oid
  JOIN pg_language l ON l.oid = p.prolang
  LEFT JOIN pg_description d
         ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
 WHERE NOT (n.nspname = %(ledger_schema)s AND p.proname ~ '^sqlmig_')
   AND NOT EXISTS (SELECT 1 FROM pg_depend e
                    WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
 ORDER BY n.nspname COLLATE "C", p.proname COLLATE "C",
          pg_get_function_identity_arguments(p.oid) COLLATE "C"
