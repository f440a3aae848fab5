-- What hangs on the tables a restore in place keeps (backup/restore.py), by
-- the name pg_restore --list gives it: the sequences they own (identity
-- columns) and the trigger functions in their schema that their triggers
-- call ("name(identity arguments)"). A function cannot be dropped while a
-- kept trigger uses it, so it is kept too. %(schema)s: the ledger schema;
-- %(tables)s: the kept tables' names.
SELECT s.relname::text
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
  JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
 WHERE d.classid = 'pg_catalog.pg_class'::regclass
   AND d.refclassid = 'pg_catalog.pg_class'::regclass
   AND n.nspname = %(schema)s AND t.relname = ANY (%(tables)s)
UNION
SELECT p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
  FROM pg_catalog.pg_trigger g
  JOIN pg_catalog.pg_class t ON t.oid = g.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_catalog.pg_proc p ON p.oid = g.tgfoid AND p.pronamespace = n.oid
 WHERE NOT g.tgisinternal
   AND n.nspname = %(schema)s AND t.relname = ANY (%(tables)s)
ORDER BY 1
