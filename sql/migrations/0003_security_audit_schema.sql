-- 0003_security_audit_schema: security and audit tables.
--
-- access_audit and auth_logs are append-only, high-volume logs, range
-- partitioned by month on occurred_at (each with a DEFAULT partition; monthly
-- partitions are added by 0004). Their ids come from bigserial sequences
-- rather than identity columns because identity columns on partitioned tables
-- need PostgreSQL 17 and this schema targets 14+. Their primary keys include
-- the partition key, as PostgreSQL requires. Log rows keep their history when
-- a user is deleted (ON DELETE SET NULL).
-- Also adds active login sessions (auth_sessions, only token hashes are
-- stored), data retention policies (enforced by 0005) and role permissions.

CREATE TABLE IF NOT EXISTS access_audit (
    id            bigserial,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    user_id       bigint REFERENCES users (id) ON DELETE SET NULL,
    resource_type text NOT NULL,
    resource_id   bigint,
    action        text NOT NULL,
    success       boolean NOT NULL DEFAULT true,
    ip_address    inet,
    user_agent    text,
    details       jsonb NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT access_audit_pkey PRIMARY KEY (id, occurred_at),
    CONSTRAINT access_audit_resource_type_check CHECK (resource_type IN ('subject', 'exam', 'question', 'user', 'user_session', 'report', 'export', 'admin_panel')),
    CONSTRAINT access_audit_action_check CHECK (action IN ('read', 'create', 'update', 'delete', 'export')),
    CONSTRAINT access_audit_details_is_object CHECK (jsonb_typeof(details) = 'object')
) PARTITION BY RANGE (occurred_at);
CREATE INDEX IF NOT EXISTS access_audit_user_id_idx ON access_audit (user_id, occurred_at);
CREATE INDEX IF NOT EXISTS access_audit_resource_idx ON access_audit (resource_type, resource_id);
CREATE INDEX IF NOT EXISTS access_audit_occurred_at_idx ON access_audit (occurred_at);
CREATE TABLE IF NOT EXISTS access_audit_default PARTITION OF access_audit DEFAULT;

COMMENT ON TABLE access_audit IS 'Audit trail of who accessed which resource and how; append-only, range-partitioned by month on occurred_at. @group security';
COMMENT ON COLUMN access_audit.id IS 'Row id from the access_audit_id_seq sequence; unique together with occurred_at.';
COMMENT ON COLUMN access_audit.occurred_at IS 'When the access happened (partition key).';
COMMENT ON COLUMN access_audit.user_id IS 'User who accessed the resource; NULL for anonymous access or after the account was deleted.';
COMMENT ON COLUMN access_audit.resource_type IS 'Kind of resource accessed (subject, exam, question, user, user_session, report, export, admin_panel).';
COMMENT ON COLUMN access_audit.resource_id IS 'Id of the resource accessed, in the table named by resource_type; NULL for listings.';
COMMENT ON COLUMN access_audit.action IS 'read, create, update, delete or export.';
COMMENT ON COLUMN access_audit.success IS 'False when the access was denied.';
COMMENT ON COLUMN access_audit.ip_address IS 'Client IP address; personal data under GDPR.';
COMMENT ON COLUMN access_audit.user_agent IS 'Client User-Agent header.';
COMMENT ON COLUMN access_audit.details IS 'Extra context as a JSON object (request id, changed fields, ...).';

CREATE TABLE IF NOT EXISTS auth_logs (
    id             bigserial,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    user_id        bigint REFERENCES users (id) ON DELETE SET NULL,
    event_type     text NOT NULL,
    ip_address     inet,
    user_agent     text,
    failure_reason text,
    CONSTRAINT auth_logs_pkey PRIMARY KEY (id, occurred_at),
    CONSTRAINT auth_logs_event_type_check CHECK (event_type IN ('login', 'logout', 'login_failed', 'lockout', 'password_reset', 'token_refresh')),
    CONSTRAINT auth_logs_failure_reason_check CHECK ((event_type IN ('login_failed', 'lockout')) = (failure_reason IS NOT NULL))
) PARTITION BY RANGE (occurred_at);
CREATE INDEX IF NOT EXISTS auth_logs_user_id_idx ON auth_logs (user_id, occurred_at);
CREATE INDEX IF NOT EXISTS auth_logs_occurred_at_idx ON auth_logs (occurred_at);
CREATE TABLE IF NOT EXISTS auth_logs_default PARTITION OF auth_logs DEFAULT;

COMMENT ON TABLE auth_logs IS 'Authentication events (login, logout, failures, lockouts, password resets); append-only, range-partitioned by month on occurred_at. @group security';
COMMENT ON COLUMN auth_logs.id IS 'Row id from the auth_logs_id_seq sequence; unique together with occurred_at.';
COMMENT ON COLUMN auth_logs.occurred_at IS 'When the event happened (partition key).';
COMMENT ON COLUMN auth_logs.user_id IS 'User concerned; NULL when the login name matched no account or the account was deleted.';
COMMENT ON COLUMN auth_logs.event_type IS 'login, logout, login_failed, lockout, password_reset or token_refresh.';
COMMENT ON COLUMN auth_logs.ip_address IS 'Client IP address; anonymized (set to NULL) by retention policy.';
COMMENT ON COLUMN auth_logs.user_agent IS 'Client User-Agent header; anonymized (set to NULL) by retention policy.';
COMMENT ON COLUMN auth_logs.failure_reason IS 'Why a login failed or an account was locked; set exactly for login_failed and lockout events.';

CREATE TABLE IF NOT EXISTS auth_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL,
    ip_address   inet,
    user_agent   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    CONSTRAINT auth_sessions_token_hash_key UNIQUE (token_hash),
    CONSTRAINT auth_sessions_token_hash_sha256 CHECK (octet_length(token_hash) = 32),
    CONSTRAINT auth_sessions_expiry_check CHECK (expires_at > created_at),
    CONSTRAINT auth_sessions_last_seen_check CHECK (last_seen_at >= created_at)
);
CREATE INDEX IF NOT EXISTS auth_sessions_user_id_idx ON auth_sessions (user_id);
CREATE INDEX IF NOT EXISTS auth_sessions_expires_at_idx ON auth_sessions (expires_at);

COMMENT ON TABLE auth_sessions IS 'Login sessions of users: the SHA-256 hash of the session token, client details and expiry. @group security';
COMMENT ON COLUMN auth_sessions.id IS 'Surrogate primary key.';
COMMENT ON COLUMN auth_sessions.user_id IS 'Logged-in user; sessions are deleted with the user.';
COMMENT ON COLUMN auth_sessions.token_hash IS 'SHA-256 of the bearer token (32 bytes); the token itself is never stored.';
COMMENT ON COLUMN auth_sessions.ip_address IS 'Client IP address at login.';
COMMENT ON COLUMN auth_sessions.user_agent IS 'Client User-Agent header at login.';
COMMENT ON COLUMN auth_sessions.created_at IS 'When the session was created (login time).';
COMMENT ON COLUMN auth_sessions.last_seen_at IS 'Last request made with this session.';
COMMENT ON COLUMN auth_sessions.expires_at IS 'After this time the session is invalid; purged later by retention policy.';
COMMENT ON COLUMN auth_sessions.revoked_at IS 'When the session was ended early (logout, password change); NULL otherwise.';

CREATE TABLE IF NOT EXISTS data_retention_policies (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name        text NOT NULL,
    data_class        text NOT NULL,
    timestamp_column  text NOT NULL,
    retention_period  interval NOT NULL,
    action            text NOT NULL,
    anonymize_columns text[],
    legal_basis       text NOT NULL,
    description       text NOT NULL DEFAULT '',
    is_active         boolean NOT NULL DEFAULT true,
    last_enforced_at  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT data_retention_policies_table_class_key UNIQUE (table_name, data_class),
    CONSTRAINT data_retention_policies_identifiers CHECK (table_name ~ '^[a-z_][a-z0-9_]*$' AND timestamp_column ~ '^[a-z_][a-z0-9_]*$'),
    CONSTRAINT data_retention_policies_period_check CHECK (retention_period > interval '0'),
    CONSTRAINT data_retention_policies_action_check CHECK (
        (action = 'delete' AND anonymize_columns IS NULL)
        OR (action = 'anonymize' AND cardinality(anonymize_columns) >= 1)),
    CONSTRAINT data_retention_policies_legal_basis_check CHECK (legal_basis IN ('GDPR', 'CCPA', 'SOX'))
);

COMMENT ON TABLE data_retention_policies IS 'How long each class of data is kept and what happens afterwards (delete or anonymize), with the legal basis. Enforced by enforce_retention_policies(). @group security';
COMMENT ON COLUMN data_retention_policies.id IS 'Surrogate primary key.';
COMMENT ON COLUMN data_retention_policies.table_name IS 'Table the policy applies to (unqualified name, resolved through search_path).';
COMMENT ON COLUMN data_retention_policies.data_class IS 'Name of the class of data within the table (e.g. network_identifiers); unique per table.';
COMMENT ON COLUMN data_retention_policies.timestamp_column IS 'Column holding the time the retention period is counted from.';
COMMENT ON COLUMN data_retention_policies.retention_period IS 'How long rows are kept after timestamp_column.';
COMMENT ON COLUMN data_retention_policies.action IS 'delete removes due rows; anonymize sets anonymize_columns to NULL in due rows.';
COMMENT ON COLUMN data_retention_policies.anonymize_columns IS 'Nullable columns cleared by an anonymize policy; NULL for delete policies.';
COMMENT ON COLUMN data_retention_policies.legal_basis IS 'Regulation that motivates the policy: GDPR, CCPA or SOX.';
COMMENT ON COLUMN data_retention_policies.description IS 'Plain-language explanation of the policy for auditors.';
COMMENT ON COLUMN data_retention_policies.is_active IS 'Inactive policies are skipped by enforcement and by the retention check.';
COMMENT ON COLUMN data_retention_policies.last_enforced_at IS 'When enforce_retention_policies() last applied this policy.';
COMMENT ON COLUMN data_retention_policies.created_at IS 'When the policy was created.';
COMMENT ON COLUMN data_retention_policies.updated_at IS 'When the policy was last changed.';

CREATE TABLE IF NOT EXISTS access_permissions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    role          text NOT NULL,
    resource_type text NOT NULL,
    action        text NOT NULL,
    granted_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    granted_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT access_permissions_role_resource_action_key UNIQUE (role, resource_type, action),
    CONSTRAINT access_permissions_role_check CHECK (role IN ('student', 'instructor', 'admin')),
    CONSTRAINT access_permissions_resource_type_check CHECK (resource_type IN ('subject', 'exam', 'question', 'user', 'user_session', 'report', 'export', 'admin_panel')),
    CONSTRAINT access_permissions_action_check CHECK (action IN ('read', 'create', 'update', 'delete', 'export'))
);
CREATE INDEX IF NOT EXISTS access_permissions_granted_by_idx ON access_permissions (granted_by);

COMMENT ON TABLE access_permissions IS 'Role-based permissions: which application role may perform which action on which kind of resource. @group security';
COMMENT ON COLUMN access_permissions.id IS 'Surrogate primary key.';
COMMENT ON COLUMN access_permissions.role IS 'Application role (users.role) receiving the permission.';
COMMENT ON COLUMN access_permissions.resource_type IS 'Kind of resource the permission covers (same values as access_audit.resource_type).';
COMMENT ON COLUMN access_permissions.action IS 'Action allowed: read, create, update, delete or export.';
COMMENT ON COLUMN access_permissions.granted_by IS 'Administrator who granted the permission; NULL if granted by a migration or the account was deleted.';
COMMENT ON COLUMN access_permissions.granted_at IS 'When the permission was granted.';

COMMENT ON TABLE access_audit_default IS 'DEFAULT partition of access_audit: rows whose occurred_at has no monthly partition. Should stay empty (see the default_partitions_empty check). @group security';
COMMENT ON TABLE auth_logs_default IS 'DEFAULT partition of auth_logs: rows whose occurred_at has no monthly partition. Should stay empty (see the default_partitions_empty check). @group security';
COMMENT ON SEQUENCE access_audit_id_seq IS 'Generates access_audit.id (bigserial; identity columns on partitioned tables need PostgreSQL 17).';
COMMENT ON SEQUENCE auth_logs_id_seq IS 'Generates auth_logs.id (bigserial; identity columns on partitioned tables need PostgreSQL 17).';
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT p.relname AS parent, a.attname, col_description(a.attrelid, a.attnum) AS description
        FROM pg_attribute a
        JOIN pg_class p ON p.oid = a.attrelid
        WHERE a.attrelid IN ('access_audit'::regclass, 'auth_logs'::regclass) AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', c.parent || '_default', c.attname, c.description);
    END LOOP;
END
$$;
