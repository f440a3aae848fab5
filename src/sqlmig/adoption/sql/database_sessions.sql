-- The other sessions connected to a database, which DROP DATABASE would fail on.
SELECT pid, usename, application_name, client_addr::text
FROM pg_stat_activity
WHERE datname = %(name)s AND pid <> pg_backend_pid()
ORDER BY pid
