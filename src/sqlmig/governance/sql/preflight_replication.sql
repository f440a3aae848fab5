-- sqlmig preflight: standbys replaying this primary with more lag than the
-- limit (%(limit)s, seconds).  replay_lag is NULL on an idle connection and
-- on a standby (pg_stat_replication lists a server's own walsenders only).
SELECT application_name,
       client_addr::text AS client_addr,
       state,
       EXTRACT(epoch FROM replay_lag)::float8 AS lag_seconds
FROM pg_stat_replication
WHERE replay_lag > make_interval(secs => %(limit)s)
ORDER BY application_name, client_addr;
