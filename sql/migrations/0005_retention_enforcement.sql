-- 0005_retention_enforcement: enforcement of data_retention_policies.
--
-- retention_backlog(now) reports, per active policy, how many rows are due
-- (older than the policy's period and, for anonymize policies, not yet
-- anonymized). It only reads, so the retention check can call it inside a
-- READ ONLY transaction. enforce_retention_policies(now, dry_run) applies the
-- policies with the very same predicate, records each run in retention_runs
-- and is meant to be called by a scheduled job, e.g. nightly:
--     SELECT * FROM enforce_retention_policies();
-- Policy identifiers are validated against the catalog and quoted with %I,
-- so a policy row cannot inject SQL.

CREATE TABLE IF NOT EXISTS retention_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id     bigint NOT NULL REFERENCES data_retention_policies (id) ON DELETE CASCADE,
    run_at        timestamptz NOT NULL DEFAULT now(),
    cutoff        timestamptz NOT NULL,
    action        text NOT NULL,
    rows_affected bigint NOT NULL,
    CONSTRAINT retention_runs_action_check CHECK (action IN ('delete', 'anonymize')),
    CONSTRAINT retention_runs_rows_check CHECK (rows_affected >= 0)
);
CREATE INDEX IF NOT EXISTS retention_runs_policy_id_idx ON retention_runs (policy_id, run_at);

COMMENT ON TABLE retention_runs IS 'Log of retention enforcement: one row per policy each time enforce_retention_policies() runs, with the number of rows deleted or anonymized. @group security';
COMMENT ON COLUMN retention_runs.id IS 'Surrogate primary key.';
COMMENT ON COLUMN retention_runs.policy_id IS 'Policy that was enforced; the log is deleted with the policy.';
COMMENT ON COLUMN retention_runs.run_at IS 'When the enforcement ran.';
COMMENT ON COLUMN retention_runs.cutoff IS 'Rows whose timestamp column was before this time were due.';
COMMENT ON COLUMN retention_runs.action IS 'What was done to the due rows: delete or anonymize.';
COMMENT ON COLUMN retention_runs.rows_affected IS 'Number of rows deleted or anonymized.';

CREATE OR REPLACE FUNCTION retention_policy_predicate(p_policy data_retention_policies)
RETURNS text
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_rel     regclass := to_regclass(quote_ident(p_policy.table_name));
    v_col     text;
    v_missing text;
BEGIN
    IF v_rel IS NULL THEN
        RAISE EXCEPTION 'retention policy %: table % does not exist', p_policy.id, p_policy.table_name;
    END IF;
    PERFORM 1 FROM pg_attribute
      WHERE attrelid = v_rel AND attname = p_policy.timestamp_column AND NOT attisdropped
        AND atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'retention policy %: %.% is not a date/timestamp column', p_policy.id, p_policy.table_name, p_policy.timestamp_column;
    END IF;
    -- Rows are due when older than the cutoff ($1) ...
    v_col := format('%I < $1', p_policy.timestamp_column);
    IF p_policy.action = 'anonymize' THEN
        SELECT string_agg(c, ', ') INTO v_missing
          FROM unnest(p_policy.anonymize_columns) AS c
         WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                            WHERE a.attrelid = v_rel AND a.attname = c AND NOT a.attisdropped AND NOT a.attnotnull);
        IF v_missing IS NOT NULL THEN
            RAISE EXCEPTION 'retention policy %: columns % of % do not exist or are NOT NULL', p_policy.id, v_missing, p_policy.table_name;
        END IF;
        -- ... and, for anonymization, still hold personal data.
        SELECT v_col || ' AND (' || string_agg(format('%I IS NOT NULL', c), ' OR ') || ')'
          INTO v_col
          FROM unnest(p_policy.anonymize_columns) AS c;
    END IF;
    RETURN v_col;
END
$$;
COMMENT ON FUNCTION retention_policy_predicate(data_retention_policies) IS
    'Validates a retention policy against the catalog and returns the WHERE clause selecting its due rows, with the cutoff as parameter $1. Shared by retention_backlog() and enforce_retention_policies().';

CREATE OR REPLACE FUNCTION retention_backlog(p_now timestamptz DEFAULT now())
RETURNS TABLE (policy_id bigint, table_name text, data_class text, action text, legal_basis text, cutoff timestamptz, rows_due bigint)
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    p data_retention_policies;
BEGIN
    FOR p IN SELECT * FROM data_retention_policies WHERE is_active ORDER BY id LOOP
        policy_id := p.id;
        table_name := p.table_name;
        data_class := p.data_class;
        action := p.action;
        legal_basis := p.legal_basis;
        cutoff := p_now - p.retention_period;
        EXECUTE format('SELECT count(*) FROM %I WHERE %s', p.table_name, retention_policy_predicate(p))
           INTO rows_due USING cutoff;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION retention_backlog(timestamptz) IS
    'Read-only: for every active retention policy, how many rows are due for deletion or anonymization at p_now. Used by the retention_backlog check.';

CREATE OR REPLACE FUNCTION enforce_retention_policies(p_now timestamptz DEFAULT now(), p_dry_run boolean DEFAULT false)
RETURNS TABLE (policy_id bigint, table_name text, data_class text, action text, cutoff timestamptz, rows_affected bigint)
LANGUAGE plpgsql
AS $$
DECLARE
    p      data_retention_policies;
    v_pred text;
BEGIN
    -- Lock the policy rows so two scheduled runs do not enforce concurrently.
    FOR p IN SELECT * FROM data_retention_policies WHERE is_active ORDER BY id FOR UPDATE LOOP
        policy_id := p.id;
        table_name := p.table_name;
        data_class := p.data_class;
        action := p.action;
        cutoff := p_now - p.retention_period;
        v_pred := retention_policy_predicate(p);
        IF p_dry_run THEN
            EXECUTE format('SELECT count(*) FROM %I WHERE %s', p.table_name, v_pred) INTO rows_affected USING cutoff;
        ELSE
            IF p.action = 'delete' THEN
                EXECUTE format('DELETE FROM %I WHERE %s', p.table_name, v_pred) USING cutoff;
            ELSE
                EXECUTE format('UPDATE %I SET %s WHERE %s', p.table_name,
                               (SELECT string_agg(format('%I = NULL', c), ', ') FROM unnest(p.anonymize_columns) AS c),
                               v_pred) USING cutoff;
            END IF;
            GET DIAGNOSTICS rows_affected = ROW_COUNT;
            INSERT INTO retention_runs (policy_id, run_at, cutoff, action, rows_affected)
            VALUES (p.id, p_now, cutoff, p.action, rows_affected);
            UPDATE data_retention_policies SET last_enforced_at = p_now WHERE id = p.id;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION enforce_retention_policies(timestamptz, boolean) IS
    'Applies every active retention policy at p_now: deletes due rows or sets the anonymize_columns of due rows to NULL, logs each policy in retention_runs and returns what it did. With p_dry_run only counts. Call from a scheduled job.';
