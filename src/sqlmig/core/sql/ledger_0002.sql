-- sqlmig's own ledger, version 2: the runs `sqlmig check --record` stores,
-- so that check results are queryable over time. Runs with search_path set
-- to the ledger schema, inside the transaction that records it in
-- sqlmig_ledger_version.

CREATE TABLE IF NOT EXISTS sqlmig_check_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    duration_ms numeric(12, 3) NOT NULL,
    env         text NOT NULL,
    jobs        integer NOT NULL,
    checks      integer NOT NULL,
    passed      integer NOT NULL,
    warned      integer NOT NULL,
    failed      integer NOT NULL,
    errored     integer NOT NULL,
    db_user     text NOT NULL DEFAULT session_user,
    os_user     text
);
COMMENT ON TABLE sqlmig_check_runs IS
    'One row per `sqlmig check --record` run, with its summary (sqlmig ledger).';
COMMENT ON COLUMN sqlmig_check_runs.started_at IS 'When the run took its snapshot (every check saw the database as of this instant).';

CREATE TABLE IF NOT EXISTS sqlmig_check_results (
    run_id      bigint NOT NULL REFERENCES sqlmig_check_runs (id) ON DELETE CASCADE,
    ordinal     integer NOT NULL,
    check_name  text NOT NULL,
    file        text NOT NULL,
    name        text NOT NULL,
    status      text NOT NULL CHECK (status IN ('PASS', 'WARN', 'FAIL', 'ERROR')),
    detail      text NOT NULL,
    extra       jsonb NOT NULL DEFAULT '{}',
    duration_ms numeric(12, 3) NOT NULL,
    PRIMARY KEY (run_id, ordinal)
);
COMMENT ON TABLE sqlmig_check_results IS
    'Every result row of a recorded check run (sqlmig ledger). A check that found nothing has one PASS row named after the check.';
COMMENT ON COLUMN sqlmig_check_results.extra IS 'The extra columns the check returned, as JSON.';

-- Trend queries follow one result across runs.
CREATE INDEX IF NOT EXISTS sqlmig_check_results_trend_idx
    ON sqlmig_check_results (check_name, name, run_id);
