-- Row-level security policies: command, PERMISSIVE/RESTRICTIVE, roles (public
-- for none), and the USING and WITH CHECK expressions.
SELECT r.nspname AS schema,
       r.relname AS relation,
       p.polname AS name,
       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                     WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
       p.polpermissive AS permissive,
       array(SELECT r2.role
               FROM (SELECT CASE WHEN rid = 0 THEN 'public'
                                 ELSE pg_get_userbyid(rid)::text END AS role
                       FROM unnest(p.polroles) rid) r2
              ORDER BY r2.role COLLATE "C") AS roles,
       pg_get_expr(p.polqual, p.polrelid, true) AS using_expr,
       pg_get_expr(p.polwithcheck, p.polrelid, true) AS check_expr,
       d.description AS comment
  FROM scope_rel r
  JOIN pg_policy p ON p.polrelid = r.oid
  LEFT JOIN pg_description d
         ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass AND d.objsubid = 0
 ORDER BY r.nspname COLLATE "C", r.relname COLLATE "C", p.polname COLLATE "C"
