-- What sqlmig.schema.scratch needs to know of a server: its major version, the
-- extensions installed in this database and those it could install, and its
-- roles (names only; PostgreSQL's own pg_* roles left out).
SELECT current_setting('server_version_num')::int / 10000 AS major,
       ARRAY(SELECT extname::text FROM pg_extension ORDER BY 1) AS installed,
       ARRAY(SELECT name::text FROM pg_available_extensions ORDER BY 1) AS available,
       ARRAY(SELECT rolname::text FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1) AS roles
