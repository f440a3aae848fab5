-- sqlmig compliance: which roles may SELECT each classified column, as the
-- server decides it (has_column_privilege: direct grants, grants to PUBLIC,
-- role membership and superuser).  System roles (pg_*) are left out; their
-- members are listed in the access-control section.
-- Parameters: %(tables)s text[] (quoted, qualified), %(columns)s text[], in pairs.
SELECT t.tbl AS table_name, t.col AS column_name, r.rolname::text AS role
FROM unnest(%(tables)s::text[], %(columns)s::text[]) AS t(tbl, col)
CROSS JOIN pg_roles AS r
WHERE r.rolname !~ '^pg_'
  AND has_column_privilege(r.oid, t.tbl::regclass, t.col, 'SELECT')
ORDER BY t.tbl COLLATE "C", t.col COLLATE "C", r.rolname COLLATE "C";
