-- sqlmig's own ledger, version 9: repeatable migrations (sql/repeatable/*.sql),
-- re-applied whenever their contents change. One row per repeatable with the
-- checksum last applied, and a history of its own (sqlmig_history's action
-- CHECK is left alone: other ledger files extend it). Runs with search_path
-- set to the ledger schema; written only through the SECURITY DEFINER
-- functions below (the pattern of ledger_0006.sql). Idempotent.

CREATE TABLE IF NOT EXISTS sqlmig_repeatables (
    name         text PRIMARY KEY,
    checksum     text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    applied_at   timestamptz NOT NULL DEFAULT now(),
    applied_by   text NOT NULL DEFAULT session_user,
    os_user      text,
    execution_ms bigint NOT NULL DEFAULT 0,
    git_commit   text
);
COMMENT ON TABLE sqlmig_repeatables IS
    'One row per repeatable migration (sql/repeatable/NAME.sql) with the checksum last applied '
    '(sqlmig ledger). `sqlmig apply` re-runs a repeatable whose file no longer has that checksum.';
COMMENT ON COLUMN sqlmig_repeatables.name IS 'The file name without .sql.';
COMMENT ON COLUMN sqlmig_repeatables.checksum IS 'SHA-256 of the file''s bytes when it was last applied.';
COMMENT ON COLUMN sqlmig_repeatables.applied_at IS 'When it was last applied (its transaction''s start, the server''s clock).';
COMMENT ON COLUMN sqlmig_repeatables.applied_by IS 'The database session_user that last applied it.';
COMMENT ON COLUMN sqlmig_repeatables.os_user IS 'The operating-system user sqlmig said it ran as: the client''s claim.';
COMMENT ON COLUMN sqlmig_repeatables.execution_ms IS 'How long the last application took, measured by the server.';
COMMENT ON COLUMN sqlmig_repeatables.git_commit IS 'HEAD of the project''s git repository at apply time; -dirty when the file had uncommitted changes.';

CREATE TABLE IF NOT EXISTS sqlmig_repeatable_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL,
    action       text NOT NULL CHECK (action IN ('apply', 'failed', 'interrupted')),
    checksum     text,
    git_commit   text,
    execution_ms bigint,
    at           timestamptz NOT NULL DEFAULT now(),
    db_user      text NOT NULL DEFAULT session_user,
    os_user      text,
    detail       text
);
COMMENT ON TABLE sqlmig_repeatable_history IS
    'Every application, failure and interruption of a repeatable migration (sqlmig ledger).';
COMMENT ON COLUMN sqlmig_repeatable_history.id IS 'Order of the events.';
COMMENT ON COLUMN sqlmig_repeatable_history.name IS 'The repeatable''s file name without .sql.';
COMMENT ON COLUMN sqlmig_repeatable_history.action IS 'apply, failed, or interrupted (by SIGINT or SIGTERM).';
COMMENT ON COLUMN sqlmig_repeatable_history.checksum IS 'SHA-256 of the file that ran.';
COMMENT ON COLUMN sqlmig_repeatable_history.git_commit IS 'HEAD of the project''s git repository at the event.';
COMMENT ON COLUMN sqlmig_repeatable_history.execution_ms IS 'How long it ran, measured by the server.';
COMMENT ON COLUMN sqlmig_repeatable_history.at IS 'The server''s time of the event.';
COMMENT ON COLUMN sqlmig_repeatable_history.db_user IS 'The database session_user.';
COMMENT ON COLUMN sqlmig_repeatable_history.os_user IS 'The operating-system user sqlmig said it ran as: the client''s claim.';
COMMENT ON COLUMN sqlmig_repeatable_history.detail IS 'For a failure or an interruption: what happened.';

-- The row and its history event, sent by the runner in the same round trip
-- (and so the same transaction) as the file itself: both or neither.
-- execution_ms is the server's (now() is the transaction's start).
CREATE OR REPLACE FUNCTION sqlmig_record_repeatable(n text, sum text, git text, os text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    ms bigint := (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint;
BEGIN
    PERFORM sqlmig_require('deployer');
    INSERT INTO sqlmig_repeatable_history (name, action, checksum, git_commit, execution_ms,
                                           at, db_user, os_user)
        VALUES (n, 'apply', sum, git, ms, now(), session_user, os);
    INSERT INTO sqlmig_repeatables AS r (name, checksum, applied_at, applied_by, os_user,
                                         execution_ms, git_commit)
        VALUES (n, sum, now(), session_user, os, ms, git)
        ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum,
            applied_at = EXCLUDED.applied_at, applied_by = EXCLUDED.applied_by,
            os_user = EXCLUDED.os_user, execution_ms = EXCLUDED.execution_ms,
            git_commit = EXCLUDED.git_commit;
END;
$$;

-- A failure or an interruption of a repeatable (its file was rolled back).
CREATE OR REPLACE FUNCTION sqlmig_log_repeatable(n text, what text, sum text, git text,
                                                 os text, why text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sqlmig_require('deployer');
    IF what NOT IN ('failed', 'interrupted') THEN
        RAISE EXCEPTION 'sqlmig_log_repeatable: unknown action %', what;
    END IF;
    INSERT INTO sqlmig_repeatable_history (name, action, checksum, git_commit, at, db_user,
                                           os_user, detail)
        VALUES (n, what, sum, git, clock_timestamp(), session_user, os, why);
END;
$$;

REVOKE EXECUTE ON FUNCTION sqlmig_record_repeatable(text, text, text, text),
    sqlmig_log_repeatable(text, text, text, text, text, text) FROM PUBLIC;
