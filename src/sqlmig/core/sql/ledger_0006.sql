-- sqlmig's own ledger, version 6: every write goes through functions that
-- take identities and times from the server, and the rules of the audit log,
-- the approvals and the environment binding are checked by the server.
--
-- Runs with search_path set to the ledger schema followed by pg_temp, inside
-- the transaction that records it in sqlmig_ledger_version; `SET search_path
-- FROM CURRENT` pins that path into each function, so that a caller's own
-- search_path (or a temporary object named like one of ours) cannot redirect
-- a SECURITY DEFINER function. Idempotent.
--
-- Two modes (docs/environments.md, "Who may change what"):
-- * open: the ledger is owned by the login that created it. The functions
--   run as that owner, and only it may execute them (EXECUTE is revoked from
--   PUBLIC). The triggers below still hold for it: identity and time are the
--   server's, approvals move only along their states, and four-eyes holds.
-- * governed (`sqlmig access setup`): the schema and everything in it belong
--   to the NOLOGIN role sqlmig_owner, nobody has direct write access, and the
--   capacities sqlmig_deployer, sqlmig_approver, sqlmig_auditor and
--   sqlmig_checker are granted EXECUTE; each function checks the caller's
--   capacity with sqlmig_require().

-- -- the environment binding ------------------------------------------------------

CREATE TABLE IF NOT EXISTS sqlmig_environment (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    name          text NOT NULL,
    policy        jsonb NOT NULL,
    bound_at      timestamptz NOT NULL DEFAULT now(),
    bound_by      text NOT NULL DEFAULT session_user,
    bound_os_user text,
    request_id    bigint
);
COMMENT ON TABLE sqlmig_environment IS
    'Which environment this database is, and the policy that holds in it whatever a caller''s '
    'config says (sqlmig ledger). Written by the first governed run; changed only by '
    '`sqlmig environment bind`, audited, with an approval when the bound policy requires one.';

-- -- new audit actions and approval kinds -------------------------------------------

ALTER TABLE sqlmig_audit DROP CONSTRAINT IF EXISTS sqlmig_audit_action_check;
ALTER TABLE sqlmig_audit ADD CONSTRAINT sqlmig_audit_action_check CHECK (action IN (
    'apply', 'rollback', 'resolve', 'request', 'approve', 'reject', 'override', 'backup',
    'restore', 'bind', 'access'));
COMMENT ON COLUMN sqlmig_audit.at IS 'The server''s clock at the event (clock_timestamp()).';
COMMENT ON COLUMN sqlmig_audit.os_user IS
    'The operating-system user sqlmig said it ran as: the client''s claim, not checked.';
COMMENT ON TABLE sqlmig_audit IS
    'Append-only log of every apply, rollback, resolve, request, approval, rejection, '
    'refusal (outcome = refused), emergency override, backup, restore and binding (sqlmig '
    'ledger). Time and database user are set by the server. UPDATE, DELETE and TRUNCATE are '
    'rejected by triggers, for the owner too; only a superuser or the owner disabling those '
    'triggers (DDL, which `sqlmig access setup --watch-ddl` reports to the server log) gets '
    'around it.';

ALTER TABLE sqlmig_approvals DROP CONSTRAINT IF EXISTS sqlmig_approvals_direction_check;
ALTER TABLE sqlmig_approvals ADD CONSTRAINT sqlmig_approvals_direction_check
    CHECK (direction IN ('up', 'down', 'bind'));

-- -- what the server enforces on every write, whoever makes it ----------------------

-- Audit rows get the server's time and the authenticated user.
CREATE OR REPLACE FUNCTION sqlmig_audit_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    NEW.at := clock_timestamp();
    NEW.db_user := session_user;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS sqlmig_audit_stamp ON sqlmig_audit;
CREATE TRIGGER sqlmig_audit_stamp BEFORE INSERT ON sqlmig_audit
    FOR EACH ROW EXECUTE PROCEDURE sqlmig_audit_stamp();

-- Approvals: a request is made pending, by session_user, at now(); it moves
-- pending -> approved | rejected | expired, approved -> used | rejected |
-- expired, and nothing else; an approval comes from another database user
-- than the requester; what was requested never changes.
CREATE OR REPLACE FUNCTION sqlmig_approvals_rules() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'pending' THEN
            RAISE EXCEPTION 'a new approval request must be pending, not %', NEW.state
                USING ERRCODE = 'check_violation';
        END IF;
        NEW.requested_by := session_user;
        NEW.requested_at := now();
        NEW.decided_at := NULL;
        NEW.decided_by := NULL;
        NEW.decided_os_user := NULL;
        NEW.used_at := NULL;
        NEW.expires_at := now() + sqlmig_approval_ttl(NULL);
        RETURN NEW;
    END IF;
    IF NEW.id <> OLD.id OR NEW.env <> OLD.env OR NEW.direction <> OLD.direction
       OR NEW.plan_hash <> OLD.plan_hash OR NEW.plan <> OLD.plan OR NEW.risk <> OLD.risk
       OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.requested_at <> OLD.requested_at
       OR NEW.requested_by <> OLD.requested_by
       OR NEW.requested_os_user IS DISTINCT FROM OLD.requested_os_user THEN
        RAISE EXCEPTION 'approval request #% cannot be changed: only its state moves', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.state = OLD.state THEN
        IF ROW(NEW.decided_at, NEW.decided_by, NEW.decided_os_user, NEW.comment,
               NEW.expires_at, NEW.used_at)
           IS DISTINCT FROM ROW(OLD.decided_at, OLD.decided_by, OLD.decided_os_user,
               OLD.comment, OLD.expires_at, OLD.used_at) THEN
            RAISE EXCEPTION 'approval request #% cannot be changed without a change of state',
                OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF NOT (OLD.state = 'pending' AND NEW.state IN ('approved', 'rejected', 'expired')
            OR OLD.state = 'approved' AND NEW.state IN ('used', 'rejected', 'expired')) THEN
        RAISE EXCEPTION 'approval request #% cannot go from % to %', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.state IN ('approved', 'rejected') THEN
        NEW.decided_by := session_user;
        NEW.decided_at := now();
        IF NEW.state = 'approved' THEN
            IF session_user = OLD.requested_by THEN
                RAISE EXCEPTION 'database user % made request #% and cannot approve it: an '
                    'approval must come from a different database user (four-eyes)',
                    session_user, OLD.id USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF OLD.expires_at <= now() THEN
                RAISE EXCEPTION 'request #% expired at %', OLD.id, OLD.expires_at
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            NEW.expires_at := now() + sqlmig_approval_ttl(NULL);
        ELSE
            NEW.expires_at := OLD.expires_at;
        END IF;
        NEW.used_at := NULL;
    ELSIF NEW.state = 'used' THEN
        IF OLD.expires_at <= now() THEN
            RAISE EXCEPTION 'the approval of request #% expired at %', OLD.id, OLD.expires_at
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        NEW.used_at := now();
        NEW.decided_at := OLD.decided_at;
        NEW.decided_by := OLD.decided_by;
        NEW.decided_os_user := OLD.decided_os_user;
        NEW.comment := OLD.comment;
        NEW.expires_at := OLD.expires_at;
    ELSE  -- expired
        IF OLD.expires_at > now() THEN
            RAISE EXCEPTION 'request #% does not expire before %', OLD.id, OLD.expires_at
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        NEW.decided_at := OLD.decided_at;
        NEW.decided_by := OLD.decided_by;
        NEW.decided_os_user := OLD.decided_os_user;
        NEW.comment := OLD.comment;
        NEW.expires_at := OLD.expires_at;
        NEW.used_at := OLD.used_at;
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS sqlmig_approvals_rules ON sqlmig_approvals;
CREATE TRIGGER sqlmig_approvals_rules BEFORE INSERT OR UPDATE ON sqlmig_approvals
    FOR EACH ROW EXECUTE PROCEDURE sqlmig_approvals_rules();
DROP TRIGGER IF EXISTS sqlmig_approvals_no_delete ON sqlmig_approvals;
CREATE TRIGGER sqlmig_approvals_no_delete BEFORE DELETE ON sqlmig_approvals
    FOR EACH ROW EXECUTE PROCEDURE sqlmig_audit_append_only();
DROP TRIGGER IF EXISTS sqlmig_approvals_no_truncate ON sqlmig_approvals;
CREATE TRIGGER sqlmig_approvals_no_truncate BEFORE TRUNCATE ON sqlmig_approvals
    FOR EACH STATEMENT EXECUTE PROCEDURE sqlmig_audit_append_only();

-- The binding: written with the server's identity and time; it is replaced
-- only through sqlmig_bind(), which checks what the bound policy requires.
CREATE OR REPLACE FUNCTION sqlmig_environment_rules() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'the environment binding is never removed; change it with '
            '`sqlmig environment bind`' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF current_setting('sqlmig.binding', true) IS DISTINCT FROM 'checked' THEN
        RAISE EXCEPTION 'the environment binding is written only by sqlmig_bind()'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.bound_at := now();
    NEW.bound_by := session_user;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS sqlmig_environment_rules ON sqlmig_environment;
CREATE TRIGGER sqlmig_environment_rules BEFORE INSERT OR UPDATE OR DELETE ON sqlmig_environment
    FOR EACH ROW EXECUTE PROCEDURE sqlmig_environment_rules();
DROP TRIGGER IF EXISTS sqlmig_environment_no_truncate ON sqlmig_environment;
CREATE TRIGGER sqlmig_environment_no_truncate BEFORE TRUNCATE ON sqlmig_environment
    FOR EACH STATEMENT EXECUTE PROCEDURE sqlmig_environment_rules();

-- Every change of the binding is written to the audit log by the server, the
-- owner's too: the `sqlmig.binding` mark above is a setting any session can
-- set, so an owner who knows it gets past that rule, but not unrecorded (and
-- removing the audit row needs DDL, which `--watch-ddl` reports).
CREATE OR REPLACE FUNCTION sqlmig_environment_audit() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO sqlmig_audit (at, env, action, outcome, os_user, request_id, reason, detail)
    VALUES (clock_timestamp(), NEW.name, 'bind', 'ok', NEW.bound_os_user, NEW.request_id,
            nullif(current_setting('sqlmig.reason', true), ''),
            format('the database is bound to environment %L%s, by %s (as %s)%s; policy %s',
                   NEW.name,
                   CASE WHEN TG_OP = 'UPDATE' THEN format(' (was %L)', OLD.name) ELSE '' END,
                   session_user, current_user,
                   CASE WHEN current_setting('sqlmig.binding', true) = 'checked'
                        THEN '' ELSE ', NOT through sqlmig_bind()' END,
                   NEW.policy));
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS sqlmig_environment_audit ON sqlmig_environment;
CREATE TRIGGER sqlmig_environment_audit AFTER INSERT OR UPDATE ON sqlmig_environment
    FOR EACH ROW EXECUTE PROCEDURE sqlmig_environment_audit();

-- -- capacities ---------------------------------------------------------------------

-- Refuses unless the caller may act in ``capacity`` (deployer, approver,
-- auditor, checker, or any of them): in the governed mode, a member of sqlmig_<capacity> (or
-- a superuser, who can do anything anyway); in the open mode, whoever may
-- execute the functions at all (the owner).
CREATE OR REPLACE FUNCTION sqlmig_require(capacity text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    roles text[] := CASE WHEN capacity = 'any'
                         THEN ARRAY['sqlmig_deployer', 'sqlmig_approver', 'sqlmig_auditor',
                                    'sqlmig_checker']
                         ELSE ARRAY['sqlmig_' || capacity] END;
BEGIN
    -- Governed exactly when this function (like every one of ours, which
    -- `sqlmig access setup` gives to the schema's owner) runs as sqlmig_owner:
    -- no catalog lookup on the path every migration takes.
    IF current_user = 'sqlmig_owner'
       AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
       AND NOT EXISTS (SELECT 1 FROM unnest(roles) r WHERE pg_has_role(session_user, r, 'MEMBER'))
    THEN
        RAISE EXCEPTION 'database user % may not act as %: it is not a member of %',
            session_user, capacity, array_to_string(roles, ' or ')
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('A DBA grants it with: sqlmig access grant %s --as %s',
                                session_user, CASE WHEN capacity = 'any' THEN 'deployer'
                                                   ELSE capacity END);
    END IF;
END;
$$;

-- approval_ttl: the bound policy's, else the caller's, else 2 hours.
CREATE OR REPLACE FUNCTION sqlmig_approval_ttl(requested interval) RETURNS interval
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT coalesce(
        (SELECT (policy -> 'governance' ->> 'approval_ttl')::interval
           FROM sqlmig_environment WHERE policy -> 'governance' ? 'approval_ttl'),
        requested,
        current_setting('sqlmig.approval_ttl', true)::interval,
        interval '2 hours');
$$;

-- -- the ledger of migrations ---------------------------------------------------------

-- An apply or rollback of a migration, inside its own transaction: the ledger
-- row (or its removal) and the history event; execution_ms is measured by the
-- server from the transaction's start.
CREATE OR REPLACE FUNCTION sqlmig_record(action text, v bigint, n text, sum text, git text,
                                         os text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    ms bigint := (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint;
BEGIN
    PERFORM sqlmig_require('deployer');
    INSERT INTO sqlmig_history (version, name, action, checksum, git_commit, execution_ms, os_user)
        VALUES (v, n, action, sum, git, ms, os);
    IF action = 'apply' THEN
        INSERT INTO schema_migrations (version, name, checksum, git_commit, execution_ms, os_user)
            VALUES (v, n, sum, git, ms, os);
    ELSIF action = 'rollback' THEN
        DELETE FROM schema_migrations WHERE version = v;
    ELSE
        RAISE EXCEPTION 'sqlmig_record: unknown action %', action;
    END IF;
END;
$$;

-- A history event (failures, interruptions, resolves, statement-by-statement runs).
CREATE OR REPLACE FUNCTION sqlmig_log(v bigint, n text, action text, sum text, git text,
                                      ms bigint, os text, detail text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sqlmig_require('deployer');
    INSERT INTO sqlmig_history (version, name, action, checksum, git_commit, execution_ms,
                                os_user, detail)
        VALUES (v, n, action, sum, git, ms, os, detail);
END;
$$;

-- The failed row a no-transaction migration writes before its first statement.
CREATE OR REPLACE FUNCTION sqlmig_mark_failed(v bigint, n text, sum text, git text, os text,
                                              why text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sqlmig_require('deployer');
    INSERT INTO schema_migrations (version, name, checksum, git_commit, os_user, status,
                                   failed_statement, error)
        VALUES (v, n, sum, git, os, 'failed', 1, why);
END;
$$;

-- Progress and outcome of a migration row: the keys of ``fields`` that are
-- present (status, failed_statement, error, execution_ms) are set.
CREATE OR REPLACE FUNCTION sqlmig_set_state(v bigint, fields jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sqlmig_require('deployer');
    IF EXISTS (SELECT 1 FROM jsonb_object_keys(fields) k
               WHERE k NOT IN ('status', 'failed_statement', 'error', 'execution_ms')) THEN
        RAISE EXCEPTION 'sqlmig_set_state: only status, failed_statement, error and '
            'execution_ms may be set';
    END IF;
    UPDATE schema_migrations SET
        status = CASE WHEN fields ? 'status' THEN fields ->> 'status' ELSE status END,
        failed_statement = CASE WHEN fields ? 'failed_statement'
                                THEN (fields ->> 'failed_statement')::integer
                                ELSE failed_statement END,
        error = CASE WHEN fields ? 'error' THEN fields ->> 'error' ELSE error END,
        execution_ms = CASE WHEN fields ? 'execution_ms'
                            THEN (fields ->> 'execution_ms')::bigint ELSE execution_ms END
    WHERE version = v;
END;
$$;

CREATE OR REPLACE FUNCTION sqlmig_forget(v bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sqlmig_require('deployer');
    DELETE FROM schema_migrations WHERE version = v;
END;
$$;

-- The backup that guarded a run, on the ledger rows the run wrote.
CREATE OR REPLACE FUNCTION sqlmig_stamp_backup(vs bigint[], after_history bigint, file text,
                                               sha text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sqlmig_require('deployer');
    UPDATE schema_migrations SET backup_file = file, backup_sha256 = sha WHERE version = ANY (vs);
    UPDATE sqlmig_history SET backup_file = file, backup_sha256 = sha
        WHERE id > after_history AND version = ANY (vs);
END;
$$;

-- -- the audit log ------------------------------------------------------------------

CREATE OR REPLACE FUNCTION sqlmig_audit_append(
    env text, action text, outcome text, os text, git text, vs bigint[], ms bigint,
    emergency boolean, reason text, detail text, request bigint, backup text, backup_sha text
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    new_id bigint;
BEGIN
    -- A completed change needs its capacity; a refusal or failure is recorded
    -- for anybody who holds one (an approver refused as a requester, say).
    IF outcome <> 'ok' THEN
        PERFORM sqlmig_require('any');
    ELSIF action IN ('approve', 'reject') THEN
        PERFORM sqlmig_require('approver');
    ELSE
        PERFORM sqlmig_require('deployer');
    END IF;
    INSERT INTO sqlmig_audit (at, env, action, outcome, os_user, git_commit, versions,
                              duration_ms, emergency, reason, detail, request_id, backup_file,
                              backup_sha256)
        VALUES (clock_timestamp(), env, action, outcome, os, git, coalesce(vs, '{}'), ms,
                coalesce(emergency, false), reason, detail, request, backup, backup_sha)
        RETURNING id INTO new_id;
    RETURN new_id;
END;
$$;

-- -- approvals ------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION sqlmig_expire_stale() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE sqlmig_approvals SET state = 'expired'
        WHERE state IN ('pending', 'approved') AND expires_at <= now();
END;
$$;

-- The environment a request or approval is for must be the bound one.
CREATE OR REPLACE FUNCTION sqlmig_check_env(env text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    bound text := (SELECT name FROM sqlmig_environment);
BEGIN
    IF bound IS NOT NULL AND bound <> env THEN
        RAISE EXCEPTION 'this database is bound to environment "%", not "%"', bound, env
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Run sqlmig with --env ' || bound || '.';
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION sqlmig_request(env text, direction text, plan_hash text, plan jsonb,
                                          risk jsonb, reason text, os text, ttl interval)
RETURNS SETOF sqlmig_approvals
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sqlmig_require('deployer');
    PERFORM sqlmig_check_env(env);
    PERFORM sqlmig_expire_stale();
    IF ttl IS NOT NULL THEN
        PERFORM set_config('sqlmig.approval_ttl', ttl::text, true);
    END IF;
    -- requested_by, requested_at and expires_at are set by sqlmig_approvals_rules().
    RETURN QUERY
        INSERT INTO sqlmig_approvals (env, direction, plan_hash, plan, risk, reason,
                                      requested_at, requested_os_user, expires_at)
        VALUES (env, direction, plan_hash, plan, coalesce(risk, '[]'), reason, now(), os, NULL)
        RETURNING *;
END;
$$;

CREATE OR REPLACE FUNCTION sqlmig_decide(request bigint, verdict text, os text, note text,
                                         ttl interval) RETURNS SETOF sqlmig_approvals
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    r sqlmig_approvals;
BEGIN
    PERFORM sqlmig_require('approver');
    IF verdict NOT IN ('approved', 'rejected') THEN
        RAISE EXCEPTION 'sqlmig_decide: verdict must be approved or rejected';
    END IF;
    PERFORM sqlmig_expire_stale();
    SELECT * INTO r FROM sqlmig_approvals WHERE id = request FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no approval request #%', request USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM sqlmig_check_env(r.env);
    IF ttl IS NOT NULL THEN
        PERFORM set_config('sqlmig.approval_ttl', ttl::text, true);
    END IF;
    RETURN QUERY
        UPDATE sqlmig_approvals SET state = verdict, decided_os_user = os, comment = note
        WHERE id = request RETURNING *;
END;
$$;

-- Marks an approval of exactly ``wanted`` (its plan hash) used: it authorizes one run.
CREATE OR REPLACE FUNCTION sqlmig_use_approval(request bigint, wanted text)
RETURNS SETOF sqlmig_approvals
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sqlmig_require('deployer');
    PERFORM sqlmig_expire_stale();
    RETURN QUERY
        UPDATE sqlmig_approvals SET state = 'used'
        WHERE id = request AND state = 'approved' AND plan_hash = wanted AND expires_at > now()
        RETURNING *;
END;
$$;

-- -- the environment binding ----------------------------------------------------------

-- Binds the database to environment ``env_name`` with ``new_policy``. The first binding
-- needs the deployer capacity; changing it needs, when the bound policy says
-- `approval: required`, an approved request (direction bind) whose plan is
-- exactly {"name": env_name, "policy": new_policy}, which is used up.
CREATE OR REPLACE FUNCTION sqlmig_bind(env_name text, new_policy jsonb, os text, request bigint)
RETURNS SETOF sqlmig_environment
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    cur sqlmig_environment;
    bound boolean;
    used bigint;
BEGIN
    PERFORM sqlmig_require('deployer');
    SELECT * INTO cur FROM sqlmig_environment FOR UPDATE;
    bound := FOUND;
    IF bound AND cur.name = env_name AND cur.policy = new_policy THEN
        RETURN NEXT cur;
        RETURN;
    END IF;
    IF bound AND cur.policy -> 'governance' ->> 'approval' = 'required' THEN
        IF request IS NULL THEN
            RAISE EXCEPTION 'this database is bound to environment "%", whose policy requires '
                'an approval to change the binding', cur.name
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Request it with `sqlmig environment bind --request`.';
        END IF;
        UPDATE sqlmig_approvals SET state = 'used'
            WHERE id = request AND state = 'approved' AND direction = 'bind'
              AND expires_at > now()
              AND plan = jsonb_build_object('name', env_name, 'policy', new_policy)
            RETURNING id INTO used;
        IF used IS NULL THEN
            RAISE EXCEPTION 'request #% is not an unexpired, unused approval of binding this '
                'database to "%" with exactly this policy', request, env_name
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    PERFORM set_config('sqlmig.binding', 'checked', true);
    RETURN QUERY
        INSERT INTO sqlmig_environment (id, name, policy, bound_os_user, request_id)
        VALUES (true, env_name, new_policy, os, used)
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, policy = EXCLUDED.policy,
            bound_os_user = EXCLUDED.bound_os_user, request_id = EXCLUDED.request_id
        RETURNING *;
    PERFORM set_config('sqlmig.binding', '', true);
END;
$$;

-- -- check runs ---------------------------------------------------------------------

CREATE OR REPLACE FUNCTION sqlmig_record_check_run(
    started timestamptz, ms double precision, env text, jobs integer, n_checks integer, n_passed integer,
    n_warned integer, n_failed integer, n_errored integer, os text, results jsonb
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    run bigint;
BEGIN
    BEGIN
        PERFORM sqlmig_require('checker');
    EXCEPTION WHEN insufficient_privilege THEN
        PERFORM sqlmig_require('deployer');
    END;
    INSERT INTO sqlmig_check_runs (started_at, duration_ms, env, jobs, checks, passed, warned,
                                   failed, errored, os_user)
        VALUES (started, ms, env, jobs, n_checks, n_passed, n_warned, n_failed, n_errored, os)
        RETURNING id INTO run;
    INSERT INTO sqlmig_check_results (run_id, ordinal, check_name, file, name, status, detail,
                                      extra, duration_ms)
        SELECT run, r.ordinal, r.check_name, r.file, r.name, r.status, r.detail,
               coalesce(r.extra, '{}'), r.duration_ms
        FROM jsonb_to_recordset(results) AS r(ordinal integer, check_name text, file text,
             name text, status text, detail text, extra jsonb, duration_ms numeric);
    RETURN run;
END;
$$;

-- Only the owner (and, once governed, the capacities granted by `sqlmig access
-- setup`) may execute these: PUBLIC has EXECUTE on new functions by default.
REVOKE EXECUTE ON FUNCTION
    sqlmig_require(text), sqlmig_approval_ttl(interval),
    sqlmig_record(text, bigint, text, text, text, text),
    sqlmig_log(bigint, text, text, text, text, bigint, text, text),
    sqlmig_mark_failed(bigint, text, text, text, text, text),
    sqlmig_set_state(bigint, jsonb), sqlmig_forget(bigint),
    sqlmig_stamp_backup(bigint[], bigint, text, text),
    sqlmig_audit_append(text, text, text, text, text, bigint[], bigint, boolean, text, text,
                        bigint, text, text),
    sqlmig_expire_stale(), sqlmig_check_env(text),
    sqlmig_request(text, text, text, jsonb, jsonb, text, text, interval),
    sqlmig_decide(bigint, text, text, text, interval),
    sqlmig_use_approval(bigint, text),
    sqlmig_bind(text, jsonb, text, bigint),
    sqlmig_record_check_run(timestamptz, double precision, text, integer, integer, integer, integer,
                            integer, integer, text, jsonb)
FROM PUBLIC;
