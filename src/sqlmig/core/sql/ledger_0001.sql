-- sqlmig's own ledger, version 1. Runs with search_path set to the ledger
-- schema, inside the transaction that records it in sqlmig_ledger_version.

CREATE TABLE IF NOT EXISTS sqlmig_ledger_version (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE sqlmig_ledger_version IS
    'Versions of sqlmig''s own ledger tables; sqlmig upgrades them itself.';
COMMENT ON COLUMN sqlmig_ledger_version.version IS 'Number of the ledger DDL file (sqlmig/sql/ledger_NNNN.sql) that was applied.';
COMMENT ON COLUMN sqlmig_ledger_version.applied_at IS 'When sqlmig applied it.';

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
COMMENT ON COLUMN schema_migrations.version IS 'The migration''s version: the number at the start of its file name.';
COMMENT ON COLUMN schema_migrations.name IS 'The migration''s file name without .sql.';
COMMENT ON COLUMN schema_migrations.execution_ms IS 'How long the migration took, measured by the server.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When the migration was applied (its transaction''s start).';
COMMENT ON COLUMN schema_migrations.status IS 'applied, or failed for a no-transaction migration that stopped half-way.';
COMMENT ON COLUMN schema_migrations.error IS 'For a failed migration: the error, with file:line and SQLSTATE.';
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
COMMENT ON COLUMN sqlmig_history.id IS 'Order of events.';
COMMENT ON COLUMN sqlmig_history.version IS 'The migration''s version.';
COMMENT ON COLUMN sqlmig_history.name IS 'The migration''s file name without .sql.';
COMMENT ON COLUMN sqlmig_history.action IS 'apply, rollback, failed, resolve-applied or resolve-rolled-back.';
COMMENT ON COLUMN sqlmig_history.checksum IS 'SHA-256 of the migration file at the time.';
COMMENT ON COLUMN sqlmig_history.git_commit IS 'HEAD of the project''s git repository at the time (-dirty with uncommitted changes).';
COMMENT ON COLUMN sqlmig_history.execution_ms IS 'How long the file took.';
COMMENT ON COLUMN sqlmig_history.at IS 'When it happened.';
COMMENT ON COLUMN sqlmig_history.db_user IS 'The database session_user.';
COMMENT ON COLUMN sqlmig_history.os_user IS 'The operating-system user that ran sqlmig.';
COMMENT ON COLUMN sqlmig_history.detail IS 'The error of a failure, or what a resolve replaced.';
