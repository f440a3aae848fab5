-- sqlmig: description No rows are kept longer than their data retention policy allows
-- sqlmig: tags compliance, security, retention
-- sqlmig: timeout 120s
-- retention_backlog() is read-only and uses the same predicate as
-- enforce_retention_policies(); WARN per policy with rows due.
SELECT 'WARN' AS status,
       format('retention %s.%s', table_name, data_class) AS name,
       format('%s rows of %s are older than the %s policy allows (%s before %s, %s); fix: SELECT * FROM enforce_retention_policies()',
              rows_due, table_name, legal_basis, action, cutoff, data_class) AS detail,
       rows_due AS affected_rows,
       policy_id
  FROM retention_backlog(now())
 WHERE rows_due > 0;
