-- sqlmig's own ledger, version 10: verified baselines, checkpoints and release
-- tags. A database adopted with `sqlmig baseline --to V` gets rows 1..V with
-- status `baselined` (its schema was proven to be what they produce); a fresh
-- database built from sql/checkpoints/NNNN_checkpoint.sql gets rows 1..NNNN
-- with status `applied` and a history detail naming the checkpoint; a tag
-- (`sqlmig tag v1.4.0`) names a version. Runs with search_path set to the
-- ledger schema followed by pg_temp (see ledger_0006.sql). Idempotent.

ALTER TABLE schema_migrations DROP CONSTRAINT IF EXISTS schema_migrations_status_check;
ALTER TABLE schema_migrations ADD CONSTRAINT schema_migrations_status_check
    CHECK (status IN ('applied', 'failed', 'imported', 'baselined'));
COMMENT ON COLUMN schema_migrations.status IS
    'applied; failed for a no-transaction migration that stopped half-way; imported for one '
    'another tool applied, adopted by `sqlmig import`; baselined for one whose effects were '
    'found in the database by `sqlmig baseline` (imported and baselined count as applied).';

-- Keeps every action of ledger_0008.sql and adds `baseline` and `tag`.
ALTER TABLE sqlmig_history DROP CONSTRAINT IF EXISTS sqlmig_history_action_check;
ALTER TABLE sqlmig_history ADD CONSTRAINT sqlmig_history_action_check CHECK (action IN (
    'apply', 'rollback', 'failed', 'interrupted', 'resolve-applied', 'resolve-rolled-back',
    'import', 'repair', 'baseline', 'tag'));
COMMENT ON COLUMN sqlmig_history.action IS
    'apply, rollback, failed, interrupted (by SIGINT or SIGTERM), resolve-applied, '
    'resolve-rolled-back, import (adopted from another tool''s history), repair (the '
    'checksum or name of an applied file recorded anew by `sqlmig repair`), baseline (recorded '
    'by `sqlmig baseline`), or tag (a release tag named this version).';

-- Keeps every action of ledger_0006.sql, `repair` of ledger_0008.sql, and adds
-- `baseline` and `tag`.
ALTER TABLE sqlmig_audit DROP CONSTRAINT IF EXISTS sqlmig_audit_action_check;
ALTER TABLE sqlmig_audit ADD CONSTRAINT sqlmig_audit_action_check CHECK (action IN (
    'apply', 'rollback', 'resolve', 'request', 'approve', 'reject', 'override', 'backup',
    'restore', 'bind', 'access', 'repair', 'baseline', 'tag'));

-- -- release tags ----------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS sqlmig_tags (
    name      text PRIMARY KEY CHECK (name ~ ('^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)'
        '(-((0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?'
        '(\+([0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*))?$')),
    version   bigint NOT NULL,
    tagged_at timestamptz NOT NULL DEFAULT now(),
    tagged_by text NOT NULL DEFAULT session_user,
    os_user   text
);
COMMENT ON TABLE sqlmig_tags IS
    'Release tags (sqlmig ledger): a semantic version (semver.org, an optional leading v) naming '
    'a migration version, for `apply --to-tag`, `plan --to-tag` and `rollback --to-tag`. '
    'Written only by sqlmig_tag(); a tag is never moved or removed.';
COMMENT ON COLUMN sqlmig_tags.name IS 'The tag, e.g. v1.4.0: unique.';
COMMENT ON COLUMN sqlmig_tags.version IS 'The migration version it names (applied when tagged).';
COMMENT ON COLUMN sqlmig_tags.tagged_at IS 'The server''s time of the tag (now()).';
COMMENT ON COLUMN sqlmig_tags.tagged_by IS 'The database session_user that tagged.';
COMMENT ON COLUMN sqlmig_tags.os_user IS 'The operating-system user sqlmig said it ran as.';

-- -- functions -----------------------------------------------------------------------

-- `sqlmig baseline`: rows 1..V, status baselined, and their history, into an
-- empty ledger only (the server refuses otherwise), in the caller's transaction.
CREATE OR REPLACE FUNCTION sqlmig_record_baselined(vs bigint[], names text[], sums text[],
                                                   os text, detail text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sqlmig_require('deployer');
    IF EXISTS (SELECT 1 FROM schema_migrations) THEN
        RAISE EXCEPTION 'the sqlmig ledger already has rows: a baseline is recorded only into '
            'an empty ledger' USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO schema_migrations (version, name, checksum, execution_ms, applied_at,
                                   applied_by, os_user, status)
        SELECT v, n, s, 0, now(), session_user, os, 'baselined'
        FROM unnest(vs, names, sums) AS t(v, n, s);
    INSERT INTO sqlmig_history (version, name, action, checksum, execution_ms, at, db_user,
                                os_user, detail)
        SELECT v, n, 'baseline', s, 0, now(), session_user, os, detail
        FROM unnest(vs, names, sums) AS t(v, n, s);
END;
$$;

-- A fresh database built from a checkpoint: rows 1..V, status applied, with a
-- history detail naming the checkpoint; in the checkpoint's own transaction.
-- The whole run's time (measured by the server) goes on the checkpoint's version.
CREATE OR REPLACE FUNCTION sqlmig_record_checkpoint(vs bigint[], names text[], sums text[],
                                                    checkpoint text, git text, os text)
    RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    ms bigint := (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint;
    top bigint := (SELECT max(v) FROM unnest(vs) AS t(v));
BEGIN
    PERFORM sqlmig_require('deployer');
    IF EXISTS (SELECT 1 FROM schema_migrations) THEN
        RAISE EXCEPTION 'the sqlmig ledger already has rows: a checkpoint builds only a fresh '
            'database' USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO schema_migrations (version, name, checksum, git_commit, execution_ms, os_user)
        SELECT v, n, s, git, CASE WHEN v = top THEN ms ELSE 0 END, os
        FROM unnest(vs, names, sums) AS t(v, n, s);
    INSERT INTO sqlmig_history (version, name, action, checksum, git_commit, execution_ms,
                                os_user, detail)
        SELECT v, n, 'apply', s, git, CASE WHEN v = top THEN ms ELSE 0 END, os,
               'applied from ' || checkpoint
        FROM unnest(vs, names, sums) AS t(v, n, s);
END;
$$;

-- `sqlmig tag NAME --at V`: V must be applied (applied, imported or baselined)
-- and NAME new; the server stamps who and when.
CREATE OR REPLACE FUNCTION sqlmig_tag(tag text, v bigint, os text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    mig text;
BEGIN
    PERFORM sqlmig_require('deployer');
    SELECT name INTO mig FROM schema_migrations
        WHERE version = v AND status IN ('applied', 'imported', 'baselined');
    IF mig IS NULL THEN
        RAISE EXCEPTION 'version % is not applied here: a tag names an applied version', v
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM sqlmig_tags WHERE name = tag) THEN
        RAISE EXCEPTION 'tag % already exists', tag USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO sqlmig_tags (name, version, tagged_at, tagged_by, os_user)
        VALUES (tag, v, now(), session_user, os);
    INSERT INTO sqlmig_history (version, name, action, os_user, detail)
        VALUES (v, mig, 'tag', os, 'tagged ' || tag);
END;
$$;

REVOKE EXECUTE ON FUNCTION
    sqlmig_record_baselined(bigint[], text[], text[], text, text),
    sqlmig_record_checkpoint(bigint[], text[], text[], text, text, text),
    sqlmig_tag(text, bigint, text)
FROM PUBLIC;
