-- sqlmig's own ledger, version 5: a run stopped by SIGINT or SIGTERM is
-- recorded as such (history action and audit outcome `interrupted`). Runs with
-- search_path set to the ledger schema. Idempotent.

ALTER TABLE sqlmig_history DROP CONSTRAINT IF EXISTS sqlmig_history_action_check;
ALTER TABLE sqlmig_history ADD CONSTRAINT sqlmig_history_action_check CHECK (action IN (
    'apply', 'rollback', 'failed', 'interrupted', 'resolve-applied', 'resolve-rolled-back'));
COMMENT ON COLUMN sqlmig_history.action IS
    'apply, rollback, failed, interrupted (by SIGINT or SIGTERM), resolve-applied or resolve-rolled-back.';

ALTER TABLE sqlmig_audit DROP CONSTRAINT IF EXISTS sqlmig_audit_outcome_check;
ALTER TABLE sqlmig_audit ADD CONSTRAINT sqlmig_audit_outcome_check
    CHECK (outcome IN ('ok', 'failed', 'refused', 'interrupted'));
