-- User triggers only: the RI triggers behind foreign keys are internal.
-- A trigger cloned onto a partition from its parent has tgparentid set.
SELECT r.nspname AS schema,
       r.relname AS relation,
       t.tgname AS name,
       pg_get_triggerdef(t.oid, true) AS definition,
       quote_ident(pn.nspname) || '.' || quote_ident(p.proname)
           || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS function,
       t.tgenabled AS enabled,
       t.tgparentid <> 0 AS inherited,
       d.description AS comment
  FROM scope_rel r
  JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
  JOIN pg_proc p ON p.oid = t.tgfoid
  JOIN pg_namespace pn ON pn.oid = p.pronamespace
  LEFT JOIN pg_description d
         ON d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0
 ORDER BY r.nspname COLLATE "C", r.relname COLLATE "C", t.tgname COLLATE "C"
