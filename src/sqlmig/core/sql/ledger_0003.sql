-- sqlmig's own ledger, version 3: the audit log and the approval workflow.
-- Runs with search_path set to the ledger schema. Idempotent, so that a
-- database restored from a dump taken before this version (whose
-- sqlmig_ledger_version says 2) upgrades again cleanly.

CREATE TABLE IF NOT EXISTS sqlmig_audit (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL,
    env           text NOT NULL,
    action        text NOT NULL CHECK (action IN ('apply', 'rollback', 'resolve', 'request',
                      'approve', 'reject', 'override', 'backup', 'restore')),
    outcome       text NOT NULL CHECK (outcome IN ('ok', 'failed', 'refused')),
    db_user       text NOT NULL DEFAULT session_user,
    os_user       text,
    git_commit    text,
    versions      bigint[] NOT NULL DEFAULT '{}',
    duration_ms   bigint,
    emergency     boolean NOT NULL DEFAULT false,
    reason        text,
    detail        text,
    request_id    bigint,
    backup_file   text,
    backup_sha256 text
);
COMMENT ON TABLE sqlmig_audit IS
    'Append-only log of every apply, rollback, resolve, request, approval, rejection, '
    'refusal (outcome = refused), emergency override, backup and restore (sqlmig ledger). '
    'UPDATE, DELETE and TRUNCATE are rejected by triggers.';
COMMENT ON COLUMN sqlmig_audit.at IS 'sqlmig''s clock at the event (the client''s time, in UTC).';
COMMENT ON COLUMN sqlmig_audit.db_user IS 'The database session_user: the identity PostgreSQL authenticated.';

-- Append-only is enforced by the server, not by sqlmig's good behaviour:
-- row triggers reject UPDATE and DELETE, and a statement trigger rejects
-- TRUNCATE (which fires no row triggers). Only a superuser or the table's
-- owner dropping the triggers can get around it; that DDL reaches the
-- server's log only with log_statement = ddl or `sqlmig access setup
-- --watch-ddl` (docs/environments.md).
CREATE OR REPLACE FUNCTION sqlmig_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sqlmig_audit is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit rows are never changed or removed; add a new row instead.';
END;
$$;

-- DROP + CREATE rather than CREATE OR REPLACE TRIGGER (PostgreSQL 14+), in
-- the same transaction, so that servers before 14 get the triggers too.
DROP TRIGGER IF EXISTS sqlmig_audit_no_update_delete ON sqlmig_audit;
CREATE TRIGGER sqlmig_audit_no_update_delete
    BEFORE UPDATE OR DELETE ON sqlmig_audit
    FOR EACH ROW EXECUTE PROCEDURE sqlmig_audit_append_only();
DROP TRIGGER IF EXISTS sqlmig_audit_no_truncate ON sqlmig_audit;
CREATE TRIGGER sqlmig_audit_no_truncate
    BEFORE TRUNCATE ON sqlmig_audit
    FOR EACH STATEMENT EXECUTE PROCEDURE sqlmig_audit_append_only();

CREATE TABLE IF NOT EXISTS sqlmig_approvals (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    env               text NOT NULL,
    direction         text NOT NULL CHECK (direction IN ('up', 'down')),
    plan_hash         text NOT NULL CHECK (plan_hash ~ '^[0-9a-f]{64}$'),
    plan              jsonb NOT NULL,
    risk              jsonb NOT NULL DEFAULT '[]',
    reason            text,
    state             text NOT NULL DEFAULT 'pending'
                      CHECK (state IN ('pending', 'approved', 'rejected', 'expired', 'used')),
    requested_at      timestamptz NOT NULL,
    requested_by      text NOT NULL DEFAULT session_user,
    requested_os_user text,
    decided_at        timestamptz,
    decided_by        text,
    decided_os_user   text,
    comment           text,
    expires_at        timestamptz NOT NULL,
    used_at           timestamptz
);
COMMENT ON TABLE sqlmig_approvals IS
    'Requests to run an exact plan (plan_hash over versions, names and checksums) and their '
    'approval by a different database user (sqlmig ledger). Rows are never deleted: stale ones '
    'are marked expired.';
COMMENT ON COLUMN sqlmig_approvals.expires_at IS
    'A pending request expires approval_ttl after it was made; an approval approval_ttl after it was given.';

-- The backup a change was guarded by (backup: required), on the ledger rows it wrote.
ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS backup_file text;
ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS backup_sha256 text;
ALTER TABLE sqlmig_history ADD COLUMN IF NOT EXISTS backup_file text;
ALTER TABLE sqlmig_history ADD COLUMN IF NOT EXISTS backup_sha256 text;
