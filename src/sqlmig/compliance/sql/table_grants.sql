-- sqlmig compliance: the privileges each role has on each classified table
-- (has_table_privilege: grants, PUBLIC, membership, superuser).
-- Parameter: %(tables)s text[] (quoted, qualified).
SELECT t.tbl AS table_name, r.rolname::text AS role,
       ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p
             WHERE has_table_privilege(r.oid, t.tbl::regclass, p)) AS privileges
FROM unnest(%(tables)s::text[]) AS t(tbl)
CROSS JOIN pg_roles AS r
WHERE r.rolname !~ '^pg_'
ORDER BY t.tbl COLLATE "C", r.rolname COLLATE "C";
