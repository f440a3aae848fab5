-- The objects sqlmig describes, prepended as CTEs to every catalog query so
-- the exclusions live in one place: system schemas, objects that belong to an
-- extension (pg_depend deptype 'e'), sqlmig's own tables (the whole schema
-- `sqlmig` when the ledger is there, its default; in any other ledger schema,
-- such as a tenant's, only schema_migrations and sqlmig_*) and, unless asked
-- for, the sqlmig_backup schema that data-preserving migrations fill.
WITH scope_nsp AS (
    SELECT n.oid, n.nspname
      FROM pg_namespace n
     WHERE n.nspname !~ '^pg_'
       AND n.nspname <> 'information_schema'
       AND NOT (n.nspname = 'sqlmig' AND n.nspname = %(ledger_schema)s)
       AND NOT (%(exclude_backup)s AND n.nspname = 'sqlmig_backup')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
                          AND d.deptype = 'e')
), scope_rel AS (
    SELECT c.oid, c.relname, c.relkind, n.nspname
      FROM pg_class c
      JOIN scope_nsp n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm')
       AND NOT (n.nspname = %(ledger_schema)s
                AND (c.relname = 'schema_migrations' OR c.relname ~ '^sqlmig_'))
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                          AND d.deptype = 'e')
)
