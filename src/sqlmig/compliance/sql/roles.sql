-- sqlmig compliance: every role (system roles pg_* only when they have
-- members), its attributes and the roles it is a member of.
SELECT r.rolname::text AS name,
       r.rolsuper AS superuser,
       r.rolcanlogin AS login,
       r.rolbypassrls AS bypass_rls,
       r.rolcreaterole AS create_role,
       COALESCE(ARRAY(SELECT g.rolname::text FROM pg_auth_members m
                      JOIN pg_roles g ON g.oid = m.roleid
                      WHERE m.member = r.oid ORDER BY g.rolname COLLATE "C"), '{}') AS member_of
FROM pg_roles AS r
WHERE r.rolname !~ '^pg_'
ORDER BY r.rolname COLLATE "C";
