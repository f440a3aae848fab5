-- Which of the named roles, databases and tablespaces exist on the server.
SELECT 'role', rolname::text FROM pg_roles WHERE rolname = ANY(%(roles)s)
UNION ALL
SELECT 'database', datname::text FROM pg_database WHERE datname = ANY(%(databases)s)
UNION ALL
SELECT 'tablespace', spcname::text FROM pg_tablespace WHERE spcname = ANY(%(tablespaces)s)
