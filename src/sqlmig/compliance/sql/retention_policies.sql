-- sqlmig compliance: the reference schema's retention policies (the
-- data_retention_policies table), each with its rows due as the
-- retention_backlog check counts them: retention_backlog() is the function
-- sql/checks/retention_backlog.sql calls, so both agree by construction.
SELECT p.id, p.table_name, p.data_class, p.timestamp_column,
       p.retention_period::text AS period, p.action, p.legal_basis, p.is_active,
       b.rows_due
FROM data_retention_policies AS p
LEFT JOIN retention_backlog(now()) AS b ON b.policy_id = p.id
ORDER BY p.table_name COLLATE "C", p.data_class COLLATE "C";
