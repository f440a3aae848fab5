-- sqlmig preflight: the other sessions holding a granted lock, on one of the
-- tables a migration is about to lock, that conflicts with the mode it needs
-- (the conflict table of PostgreSQL's "Explicit Locking" chapter).  Locks are
-- held to the end of a transaction, so this also finds a transaction that
-- read a table long ago and is now idle.  pg_locks is readable by everyone;
-- pg_stat_activity shows another user's state and times only to superusers
-- and members of pg_read_all_stats (NULL otherwise).
-- Parameters: %(tables)s text[] (names as to_regclass reads them),
-- %(modes)s text[] (the lock each needs, pg_locks' spelling), in pairs.
WITH target AS (
    -- An index stands for its table (DROP INDEX locks the table).
    SELECT t.name, COALESCE((SELECT i.indrelid FROM pg_index AS i
                             WHERE i.indexrelid = to_regclass(t.name)),
                            to_regclass(t.name)) AS relid, t.mode
    FROM unnest(%(tables)s::text[], %(modes)s::text[]) AS t(name, mode)
), conflict(wanted, held) AS (
    SELECT w, h FROM (VALUES
        ('ShareLock', ARRAY['RowExclusiveLock', 'ShareUpdateExclusiveLock',
                            'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']),
        ('ShareRowExclusiveLock', ARRAY['RowExclusiveLock', 'ShareUpdateExclusiveLock',
                                        'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
                                        'AccessExclusiveLock']),
        ('ExclusiveLock', ARRAY['RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock',
                                'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
                                'AccessExclusiveLock']),
        ('AccessExclusiveLock', ARRAY['AccessShareLock', 'RowShareLock', 'RowExclusiveLock',
                                      'ShareUpdateExclusiveLock', 'ShareLock',
                                      'ShareRowExclusiveLock', 'ExclusiveLock',
                                      'AccessExclusiveLock'])
    ) AS m(w, hs), unnest(m.hs) AS h
)
SELECT DISTINCT ON (l.pid, target.name)
       l.pid,
       a.usename::text AS usename,
       a.application_name,
       a.state,
       a.backend_type,
       EXTRACT(epoch FROM clock_timestamp() - a.xact_start)::float8 AS xact_seconds,
       EXTRACT(epoch FROM clock_timestamp() - a.state_change)::float8 AS state_seconds,
       (a.backend_type = 'autovacuum worker'
        AND a.query LIKE '%%(to prevent wraparound)%%') AS wraparound,
       target.name AS table_name,
       l.mode AS held_mode,
       target.mode AS wanted_mode
FROM target
JOIN pg_locks AS l
  ON l.locktype = 'relation' AND l.relation = target.relid AND l.granted
 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
JOIN conflict AS c ON c.wanted = target.mode AND c.held = l.mode
LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE l.pid IS DISTINCT FROM pg_backend_pid()
ORDER BY l.pid, target.name, l.mode;
