-- sqlmig's own ledger, version 1. Runs with search_path set to the ledger
-- schema, inside the transaction that records it in sqlmig_ledger_version.

CREATE TABLE IF NOT EXISTS sqlmig_ledger_version (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE sqlmig_ledger_version IS
    'Versions of sqlmig''s own ledger tables; sqlmig upgrades them itself.';

CREATE TABLE IF NOT EXISTS schema_migrations (
    version          bigint PRIMARY KEY,
    name             text NOT NULL,
    checksum         text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    git_commit       text,
    execution_ms     bigint NOT NULL DEFAULT 0,
    applied_at       timestamptz NOT NULL DEFAULT now(),
    applied_by       text NOT NULL DEFAULT session_user,
    os_user          text,
    status           text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'failed')),
    failed_statement integer,
    error            text
);
COMMENT ON TABLE schema_migrations IS
    'One row per applied migration (sqlmig ledger). status = failed marks a no-transaction '
    'migration that stopped half-way: resolve it with `sqlmig resolve`.';
COMMENT ON COLUMN schema_migrations.checksum IS 'SHA-256 of the migration file''s bytes when it was applied.';
COMMENT ON COLUMN schema_migrations.git_commit IS 'HEAD of the project''s git repository at apply time; -dirty when the file had uncommitted changes.';
COMMENT ON COLUMN schema_migrations.applied_by IS 'The database session_user that applied the migration.';
COMMENT ON COLUMN schema_migrations.os_user IS 'The operating-system user that ran sqlmig.';
COMMENT ON COLUMN schema_migrations.failed_statement IS 'For a failed no-transaction migration: the 1-based index of the statement that failed or was running.';

CREATE TABLE IF NOT EXISTS sqlmig_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version      bigint NOT NULL,
    name         text NOT NULL,
    action       text NOT NULL CHECK (action IN ('apply', 'rollback', 'failed', 'resolve-applied', 'resolve-rolled-back')),
    checksum     text,
    git_commit   text,
    execution_ms bigint,
    at           timestamptz NOT NULL DEFAULT now(),
    db_user      text NOT NULL DEFAULT session_user,
    os_user      text,
    detail       text
);
COMMENT ON TABLE sqlmig_history IS
    'Every apply, rollback, failure and resolve sqlmig performed, oldest first (sqlmig ledger).';
