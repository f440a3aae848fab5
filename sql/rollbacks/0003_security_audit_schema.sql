-- 0003_security_audit_schema (rollback): drops the security and audit tables
-- created by 0003. Partitions and the bigserial sequences (owned by their
-- columns) go with their tables. No CASCADE, so unexpected dependents fail.

DROP TABLE IF EXISTS access_permissions;
DROP TABLE IF EXISTS data_retention_policies;
DROP TABLE IF EXISTS auth_sessions;
DROP TABLE IF EXISTS auth_logs;
DROP TABLE IF EXISTS access_audit;
