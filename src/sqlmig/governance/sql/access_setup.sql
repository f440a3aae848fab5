-- `sqlmig access setup`: sqlmig's own tables become the property of a NOLOGIN
-- role, written only through the functions of ledger_0006.sql. {schema} is
-- the ledger's schema (an identifier), {schema_name} the same as a literal.
-- Run by a superuser (or a role that may create roles and owns the schema);
-- idempotent. Role names are the server's: several databases of one server
-- share them, each granting them only on its own objects.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['sqlmig_owner', 'sqlmig_deployer', 'sqlmig_approver',
                             'sqlmig_auditor', 'sqlmig_checker'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END;
$$;
COMMENT ON ROLE sqlmig_owner IS
    'Owns sqlmig''s tables (ledger, history, audit, approvals, binding, check runs); nobody logs in as it.';
COMMENT ON ROLE sqlmig_deployer IS 'May apply, roll back, resolve, request approvals and back up through sqlmig.';
COMMENT ON ROLE sqlmig_approver IS 'May approve or reject another user''s request through sqlmig.';
COMMENT ON ROLE sqlmig_auditor IS 'May read sqlmig''s ledger, history, approvals and audit log.';
COMMENT ON ROLE sqlmig_checker IS 'Runs integrity checks: reads, never writes.';

-- The checker reads everything where the server has pg_read_all_data (14+).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pg_read_all_data') THEN
        GRANT pg_read_all_data TO sqlmig_checker;
    END IF;
END;
$$;

-- Ownership of the schema and of everything in it.
ALTER SCHEMA {schema} OWNER TO sqlmig_owner;
DO $$
DECLARE
    obj record;
BEGIN
    FOR obj IN
        SELECT format('%I.%I', n.nspname, c.relname) AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = {schema_name} AND c.relkind IN ('r', 'p', 'v', 'm')
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO sqlmig_owner', obj.name);
    END LOOP;
    FOR obj IN
        SELECT p.oid::regprocedure AS name
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = {schema_name}
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO sqlmig_owner', obj.name);
    END LOOP;
    -- Grants anybody was given before (the grants an open ledger needed) go.
    FOR obj IN
        SELECT DISTINCT format('%I.%I', n.nspname, c.relname) AS name,
               CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(g.rolname) END AS grantee
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        LEFT JOIN pg_roles g ON g.oid = a.grantee
        WHERE n.nspname = {schema_name} AND c.relacl IS NOT NULL
          AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM %s', obj.name, obj.grantee);
    END LOOP;
END;
$$;
REVOKE ALL ON SCHEMA {schema} FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} FROM PUBLIC;

-- What each capacity may do: read what it needs; write only through the
-- functions, which check the capacity themselves (sqlmig_require()).
GRANT USAGE ON SCHEMA {schema} TO sqlmig_deployer, sqlmig_approver, sqlmig_auditor, sqlmig_checker;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema}
    TO sqlmig_deployer, sqlmig_approver, sqlmig_auditor, sqlmig_checker;
GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO sqlmig_deployer, sqlmig_approver, sqlmig_auditor;
-- pg_dump (a deployer's backup, an auditor's copy) reads the sequences' state.
GRANT SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO sqlmig_deployer, sqlmig_auditor;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sqlmig_ledger_version', 'sqlmig_environment', 'sqlmig_check_runs',
                             'sqlmig_check_results', 'schema_migrations'] LOOP
        IF to_regclass(format('%I.%I', {schema_name}, t)) IS NOT NULL THEN
            EXECUTE format('GRANT SELECT ON %I.%I TO sqlmig_checker', {schema_name}, t);
        END IF;
    END LOOP;
    -- `lock: table` holds the lock row FOR UPDATE, which needs UPDATE on it.
    IF to_regclass(format('%I.%I', {schema_name}, 'sqlmig_lock')) IS NOT NULL THEN
        EXECUTE format('GRANT SELECT, UPDATE ON %I.%I TO sqlmig_deployer', {schema_name},
                       'sqlmig_lock');
    END IF;
END;
$$;
