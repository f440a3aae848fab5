-- sqlmig's own ledger, version 7: migrations adopted from another tool's
-- history (`sqlmig import ... --database-url`). Their ledger rows have status
-- `imported`: sqlmig treats them like applied ones, and keeps where they came
-- from. Runs with search_path set to the ledger schema. Idempotent.

ALTER TABLE schema_migrations DROP CONSTRAINT IF EXISTS schema_migrations_status_check;
ALTER TABLE schema_migrations ADD CONSTRAINT schema_migrations_status_check
    CHECK (status IN ('applied', 'failed', 'imported'));
COMMENT ON COLUMN schema_migrations.status IS
    'applied; failed for a no-transaction migration that stopped half-way; imported for one '
    'another tool applied, adopted by `sqlmig import` (treated like applied).';

ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS source_tool text;
ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS source_version text;
ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS source_checksum text;
ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS source_applied_at timestamptz;
ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS source_applied_by text;
COMMENT ON COLUMN schema_migrations.source_tool IS 'For an imported migration: the tool that applied it (flyway, golang-migrate, dbmate, sqitch, diesel, yoyo).';
COMMENT ON COLUMN schema_migrations.source_version IS 'For an imported migration: its version or name in that tool.';
COMMENT ON COLUMN schema_migrations.source_checksum IS 'For an imported migration: the checksum that tool recorded, as it recorded it (checksum is the sqlmig file''s).';
COMMENT ON COLUMN schema_migrations.source_applied_at IS 'For an imported migration: when that tool applied it, where it recorded the time.';
COMMENT ON COLUMN schema_migrations.source_applied_by IS 'For an imported migration: who applied it, where that tool recorded it.';

ALTER TABLE sqlmig_history ADD COLUMN IF NOT EXISTS source_tool text;
ALTER TABLE sqlmig_history ADD COLUMN IF NOT EXISTS source_version text;
ALTER TABLE sqlmig_history ADD COLUMN IF NOT EXISTS source_checksum text;
ALTER TABLE sqlmig_history ADD COLUMN IF NOT EXISTS source_applied_at timestamptz;
ALTER TABLE sqlmig_history ADD COLUMN IF NOT EXISTS source_applied_by text;

-- Keeps every action of ledger_0005.sql and adds `import`.
ALTER TABLE sqlmig_history DROP CONSTRAINT IF EXISTS sqlmig_history_action_check;
ALTER TABLE sqlmig_history ADD CONSTRAINT sqlmig_history_action_check CHECK (action IN (
    'apply', 'rollback', 'failed', 'interrupted', 'resolve-applied', 'resolve-rolled-back',
    'import'));
COMMENT ON COLUMN sqlmig_history.action IS
    'apply, rollback, failed, interrupted (by SIGINT or SIGTERM), resolve-applied, '
    'resolve-rolled-back, or import (adopted from another tool''s history).';

-- The one way to write an imported row: identity and time come from the
-- server (session_user, now()), not from the caller, and the row and its
-- history event are written together. SECURITY DEFINER so that a role may be
-- allowed to adopt history without write access to the tables themselves.
CREATE OR REPLACE FUNCTION sqlmig_record_imported(
    p_version bigint,
    p_name text,
    p_checksum text,
    p_source_tool text,
    p_source_version text,
    p_source_checksum text,
    p_source_applied_at timestamptz,
    p_source_applied_by text,
    p_os_user text
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
    -- The deployer capacity of ledger_0006.sql (the owner, in the open mode).
    PERFORM sqlmig_require('deployer');
    IF EXISTS (SELECT 1 FROM schema_migrations WHERE version = p_version) THEN
        RAISE EXCEPTION 'version % is already in the sqlmig ledger', p_version
            USING ERRCODE = 'unique_violation',
                  HINT = 'Import history only into a database whose sqlmig ledger is empty.';
    END IF;
    INSERT INTO schema_migrations (version, name, checksum, execution_ms, applied_at, applied_by,
                                   os_user, status, source_tool, source_version,
                                   source_checksum, source_applied_at, source_applied_by)
    VALUES (p_version, p_name, p_checksum, 0, now(), session_user, p_os_user, 'imported',
            p_source_tool, p_source_version, p_source_checksum, p_source_applied_at,
            p_source_applied_by);
    INSERT INTO sqlmig_history (version, name, action, checksum, execution_ms, at, db_user,
                                os_user, detail, source_tool, source_version, source_checksum,
                                source_applied_at, source_applied_by)
    VALUES (p_version, p_name, 'import', p_checksum, 0, now(), session_user, p_os_user,
            format('imported from %s (%s)', p_source_tool, p_source_version),
            p_source_tool, p_source_version, p_source_checksum, p_source_applied_at,
            p_source_applied_by);
END;
$$;
REVOKE EXECUTE ON FUNCTION sqlmig_record_imported(bigint, text, text, text, text, text,
    timestamptz, text, text) FROM PUBLIC;
