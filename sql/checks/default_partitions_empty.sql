-- sqlmig: description DEFAULT partitions are empty (every row landed in its monthly partition)
-- sqlmig: tags partitions, maintenance
-- sqlmig: timeout 30s
-- Rows in a DEFAULT partition mean a monthly partition was missing when they
-- were written; they make later partition creation slower (rows must be
-- moved). WARN with the count and the call that moves them.
WITH d AS (
    SELECT 'performance_trends' AS parent, (SELECT count(*) FROM performance_trends_default) AS n,
           (SELECT min(week_start)::timestamptz FROM performance_trends_default) AS oldest,
           (SELECT max(week_start)::timestamptz FROM performance_trends_default) AS newest
    UNION ALL
    SELECT 'access_audit', (SELECT count(*) FROM access_audit_default),
           (SELECT min(occurred_at) FROM access_audit_default), (SELECT max(occurred_at) FROM access_audit_default)
    UNION ALL
    SELECT 'auth_logs', (SELECT count(*) FROM auth_logs_default),
           (SELECT min(occurred_at) FROM auth_logs_default), (SELECT max(occurred_at) FROM auth_logs_default)
)
SELECT 'WARN' AS status,
       parent || '_default is empty' AS name,
       format('%s rows of %s are in its DEFAULT partition (from %s to %s); fix: SELECT create_monthly_partitions(%L, %L, %L)',
              n, parent, oldest, newest, parent, date_trunc('month', oldest)::date,
              (date_trunc('month', newest) + interval '1 month')::date) AS detail,
       n AS affected_rows
  FROM d
 WHERE n > 0;
