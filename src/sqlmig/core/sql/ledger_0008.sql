-- sqlmig's own ledger, version 8: two checksums per migration, and `sqlmig
-- repair`. Beside the SHA-256 of the file's bytes (checksum), the ledger keeps
-- a checksum of its tokens without comments and whitespace
-- (checksum_normalized, sqlmig.core.sqltext.normalized_checksum) and the name
-- of the rules that made it (normalizer): an applied file edited only in its
-- comments or whitespace still matches, and any other edit is recorded only
-- by `sqlmig repair VERSION --reason TEXT`, with a history and an audit row.
-- Runs with search_path set to the ledger schema followed by pg_temp (see
-- ledger_0006.sql). Idempotent.

ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum_normalized text
    CHECK (checksum_normalized ~ '^[0-9a-f]{64}$');
ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS normalizer text;
COMMENT ON COLUMN schema_migrations.checksum_normalized IS
    'SHA-256 of the file''s SQL tokens, comments and whitespace left out (see normalizer); '
    'NULL for rows written before ledger version 8, no-transaction migrations and files the '
    'scanner could not read: then only checksum counts.';
COMMENT ON COLUMN schema_migrations.normalizer IS
    'The rules that made checksum_normalized (e.g. pglast-tokens-1); a checksum made by other '
    'rules is never compared.';

ALTER TABLE sqlmig_history ADD COLUMN IF NOT EXISTS checksum_normalized text;
ALTER TABLE sqlmig_history ADD COLUMN IF NOT EXISTS normalizer text;
COMMENT ON COLUMN sqlmig_history.checksum_normalized IS
    'The file''s normalized checksum at the time (see schema_migrations.checksum_normalized).';
COMMENT ON COLUMN sqlmig_history.normalizer IS 'The rules that made checksum_normalized.';

-- Keeps every action of ledger_0007.sql and adds `repair`.
ALTER TABLE sqlmig_history DROP CONSTRAINT IF EXISTS sqlmig_history_action_check;
ALTER TABLE sqlmig_history ADD CONSTRAINT sqlmig_history_action_check CHECK (action IN (
    'apply', 'rollback', 'failed', 'interrupted', 'resolve-applied', 'resolve-rolled-back',
    'import', 'repair'));
COMMENT ON COLUMN sqlmig_history.action IS
    'apply, rollback, failed, interrupted (by SIGINT or SIGTERM), resolve-applied, '
    'resolve-rolled-back, import (adopted from another tool''s history), or repair (the '
    'checksum or name of an applied file recorded anew by `sqlmig repair`).';

-- Keeps every action of ledger_0006.sql and adds `repair`.
ALTER TABLE sqlmig_audit DROP CONSTRAINT IF EXISTS sqlmig_audit_action_check;
ALTER TABLE sqlmig_audit ADD CONSTRAINT sqlmig_audit_action_check CHECK (action IN (
    'apply', 'rollback', 'resolve', 'request', 'approve', 'reject', 'override', 'backup',
    'restore', 'bind', 'access', 'repair'));

-- sqlmig_record of ledger_0006.sql, with the normalized checksum: what the
-- runner sends in each migration's own transaction, one statement.
CREATE OR REPLACE FUNCTION sqlmig_record2(action text, v bigint, n text, sum text, norm text,
                                          norm_by text, git text, os text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    ms bigint := (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint;
BEGIN
    IF current_user = 'sqlmig_owner' THEN  -- governed; open: only the owner may call us
        PERFORM sqlmig_require('deployer');
    END IF;
    INSERT INTO sqlmig_history (version, name, action, checksum, checksum_normalized, normalizer,
                                git_commit, execution_ms, os_user)
        VALUES (v, n, action, sum, norm, norm_by, git, ms, os);
    IF action = 'apply' THEN
        INSERT INTO schema_migrations (version, name, checksum, checksum_normalized, normalizer,
                                       git_commit, execution_ms, os_user)
            VALUES (v, n, sum, norm, norm_by, git, ms, os);
    ELSIF action = 'rollback' THEN
        DELETE FROM schema_migrations WHERE version = v;
    ELSE
        RAISE EXCEPTION 'sqlmig_record2: unknown action %', action;
    END IF;
END;
$$;

-- Records the file of applied version ``v`` as it is now: name ``n``, checksum
-- ``sum``, normalized checksum ``norm`` made by ``norm_by``; with the history
-- row (action repair, the old values in its detail) and the audit row in the
-- same transaction. Whether the edit was cosmetic is decided here, from the
-- recorded normalized checksum. Refuses a version not in the ledger, one not
-- applied (a failed one is for `sqlmig resolve`), a file identical to the
-- recorded one, and an empty reason.
CREATE OR REPLACE FUNCTION sqlmig_repair(v bigint, n text, sum text, norm text, norm_by text,
                                         env text, why text, git text, os text)
RETURNS TABLE (old_name text, old_checksum text, old_normalized text, cosmetic boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    r schema_migrations;
    same boolean;
    what text;
BEGIN
    PERFORM sqlmig_require('deployer');
    IF coalesce(btrim(why), '') = '' THEN
        RAISE EXCEPTION 'a repair needs a reason' USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO r FROM schema_migrations WHERE version = v FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'version % is not in the sqlmig ledger', v USING ERRCODE = 'no_data_found';
    END IF;
    IF r.status NOT IN ('applied', 'imported') THEN
        RAISE EXCEPTION 'version % is %, not applied: `sqlmig resolve` records its outcome',
            v, r.status USING ERRCODE = 'check_violation';
    END IF;
    IF r.checksum = sum AND r.name = n THEN
        RAISE EXCEPTION 'version % is recorded with this very file: nothing to repair', v
            USING ERRCODE = 'check_violation';
    END IF;
    same := r.checksum_normalized IS NOT NULL AND r.normalizer = norm_by
            AND r.checksum_normalized = norm;
    what := CASE WHEN r.checksum = sum THEN 'renamed, same bytes'
                 WHEN same THEN 'comments/whitespace only'
                 ELSE 'edited' END;
    UPDATE schema_migrations SET name = n, checksum = sum, checksum_normalized = norm,
                                 normalizer = norm_by
        WHERE version = v;
    INSERT INTO sqlmig_history (version, name, action, checksum, checksum_normalized, normalizer,
                                git_commit, execution_ms, os_user, detail)
        VALUES (v, n, 'repair', sum, norm, norm_by, git, 0, os,
                format('%s; was %s checksum %s (normalized %s); reason: %s', what, r.name,
                       r.checksum, coalesce(r.checksum_normalized, 'none'), why));
    PERFORM sqlmig_audit_append(env, 'repair', 'ok', os, git, ARRAY[v], NULL, false, why,
        format('%s: %s; was %s checksum %s, now %s checksum %s', r.name, what, r.name,
               r.checksum, n, sum), NULL, NULL, NULL);
    RETURN QUERY SELECT r.name, r.checksum, r.checksum_normalized, same;
END;
$$;

REVOKE EXECUTE ON FUNCTION
    sqlmig_record2(text, bigint, text, text, text, text, text, text),
    sqlmig_repair(bigint, text, text, text, text, text, text, text, text)
FROM PUBLIC;
