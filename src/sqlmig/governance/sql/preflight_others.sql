-- sqlmig preflight, the quick question first: does any other session (or a
-- prepared transaction, whose pid is NULL) hold a granted lock on a relation
-- of this database?  Every blocker preflight_sessions.sql reports holds one,
-- so "no" means there is nothing to find and the pending files need not be
-- parsed for their locks.  pg_locks is readable by everyone.
SELECT EXISTS (
    SELECT 1
    FROM pg_locks AS l
    WHERE l.locktype = 'relation' AND l.granted
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.pid IS DISTINCT FROM pg_backend_pid()
)
