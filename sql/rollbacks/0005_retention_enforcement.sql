-- 0005_retention_enforcement (rollback): drops the retention functions and
-- the retention_runs log created by 0005 (the policies table stays: it
-- belongs to 0003). The enforcement history in retention_runs is lost.

DROP FUNCTION IF EXISTS enforce_retention_policies(timestamptz, boolean);
DROP FUNCTION IF EXISTS retention_backlog(timestamptz);
DROP FUNCTION IF EXISTS retention_policy_predicate(data_retention_policies);
DROP TABLE IF EXISTS retention_runs;
