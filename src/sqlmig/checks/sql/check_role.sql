-- Which role the checks run as: the first candidate that exists and that the
-- login may SET ROLE to (PostgreSQL 16+: a membership WITH SET; before: any
-- membership; superusers may become any role), whether that role is a
-- superuser, and whether the login is one.
SELECT (SELECT c.name
          FROM unnest(%(candidates)s::text[]) WITH ORDINALITY AS c(name, n)
          JOIN pg_roles r ON r.rolname = c.name
         WHERE pg_has_role(session_user, r.oid, %(privilege)s)
         ORDER BY c.n
         LIMIT 1) AS role,
       (SELECT r.rolsuper
          FROM unnest(%(candidates)s::text[]) WITH ORDINALITY AS c(name, n)
          JOIN pg_roles r ON r.rolname = c.name
         WHERE pg_has_role(session_user, r.oid, %(privilege)s)
         ORDER BY c.n
         LIMIT 1) AS role_is_superuser,
       (SELECT array_agg(r.rolname ORDER BY r.rolname)
          FROM pg_roles r
         WHERE r.rolname = ANY (%(candidates)s::text[])) AS existing,
       session_user::text AS login,
       (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user) AS login_is_superuser
