"""apply: atomicity, error positions, refusals, session hygiene, the ledger."""

from __future__ import annotations

import subprocess

import psycopg
import pytest

import sqlmig

FUNCTIONS = """\
-- Functions with dollar quotes and semicolons inside, before the error.
CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric NOT NULL DEFAULT 0);

CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    -- a comment; with a semicolon
    NEW.balance := coalesce(NEW.balance, 0);
    RETURN NEW;
END;
$fn$;

CREATE FUNCTION quoted() RETURNS text LANGUAGE sql AS $$ SELECT 'it''s; fine' $$;
"""


def test_applies_in_order_and_records_the_ledger(project):
    project.add(1, "create_users", "CREATE TABLE users (id bigint PRIMARY KEY);", "DROP TABLE users;")
    project.add(2, "add_email", "ALTER TABLE users ADD COLUMN email text;",
                "ALTER TABLE users DROP COLUMN email;")
    result = project.apply()
    assert [(m.version, m.name) for m in result.applied] == [(1, "0001_create_users"), (2, "0002_add_email")]
    assert result.from_version is None and result.to_version == 2
    rows = project.query(
        "SELECT version, name, checksum, status, applied_by = session_user, os_user IS NOT NULL,"
        " execution_ms >= 0, applied_at <= now() FROM sqlmig.schema_migrations ORDER BY version")
    m1 = sqlmig.Project(project.root).by_version()[1]
    assert rows[0] == (1, "0001_create_users", m1.up.checksum, "applied", True, True, True, True)
    assert [r[0] for r in rows] == [1, 2]
    # A second apply finds nothing to do.
    assert project.apply().applied == []


def test_failing_statement_leaves_nothing_of_the_file(project):
    project.add(1, "good", "CREATE TABLE kept (id int);")
    project.add(2, "bad", "CREATE TABLE partial (id int);\nINSERT INTO partial VALUES (1);\n"
                          "SELECT no_such_column FROM partial;\nCREATE TABLE never (id int);\n")
    project.add(3, "later", "CREATE TABLE later (id int);")
    with pytest.raises(sqlmig.MigrationFailed) as info:
        project.apply()
    err = info.value
    assert err.sqlstate == "42703"
    assert (err.line, err.column) == (3, 8)
    assert [m.version for m in err.applied] == [1]
    assert project.table_exists("kept")
    assert not project.table_exists("partial")
    assert not project.table_exists("never") and not project.table_exists("later")
    assert project.ledger_versions() == [1]


def test_error_position_maps_to_line_57_after_dollar_quoted_functions(project):
    filler = "".join(f"COMMENT ON TABLE accounts IS 'note {i}';\n"
                     for i in range(56 - len(FUNCTIONS.splitlines())))
    body = FUNCTIONS + filler + "INSERT INTO accounts (id, balance) VALUES (1, 'not a number');\n"
    assert body.splitlines()[56].startswith("INSERT INTO accounts")
    project.add(1, "accounts", body)
    r = project.cli("apply")
    assert r.exit_code == 1
    assert "migrations/0001_accounts.sql:57:" in r.stderr
    assert "22P02" in r.stderr  # invalid input syntax for type numeric
    assert "> 57 | INSERT INTO accounts" in r.stderr
    assert "Nothing from this file was applied." in r.stderr
    assert not project.table_exists("accounts")


def test_error_without_server_position_is_located_by_statement(project):
    project.add(1, "dup", "CREATE TABLE d (id int);\n\n-- again\nCREATE TABLE d (id int);\n")
    with pytest.raises(sqlmig.MigrationFailed) as info:
        project.apply()
    assert info.value.sqlstate == "42P07"
    assert info.value.line == 4
    assert not project.table_exists("d")


def test_failure_reports_detail_and_hint(project):
    project.add(1, "fk", "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (p int REFERENCES p);\n"
                         "INSERT INTO c VALUES (42);\n")
    r = project.cli("apply")
    assert r.exit_code == 1
    assert "23503" in r.stderr and "DETAIL: Key (p)=(42) is not present" in r.stderr


def test_checksum_drift_after_one_byte_edit_refuses(project):
    path = project.add(1, "t", "CREATE TABLE t (id int);")
    project.apply()
    path.write_bytes(path.read_bytes().replace(b"id int", b"id INT"))
    project.write_manifest()  # even a blessed manifest cannot hide it
    project.add(2, "u", "CREATE TABLE u (id int);")
    r = project.cli("apply")
    assert r.exit_code == 3
    assert "migrations/0001_t.sql changed after it was applied" in r.stderr
    assert not project.table_exists("u")
    st = project.status()
    assert [p.kind for p in st.problems] == ["checksum-drift"]
    assert project.cli("status").exit_code == 3


def test_applied_file_gone_is_a_problem(project):
    path = project.add(1, "t", "CREATE TABLE t (id int);")
    project.apply()
    path.unlink()
    project.write_manifest()
    r = project.cli("status")
    assert r.exit_code == 3
    assert "0001_t is applied but migrations/0001_t.sql is gone" in r.stdout


def test_out_of_order_is_refused_unless_allowed(project):
    project.add(2, "second", "CREATE TABLE second (id int);")
    project.apply()
    project.add(1, "first", "CREATE TABLE first (id int);")
    r = project.cli("apply")
    assert r.exit_code == 3
    assert "0001_first is pending but 2 is already applied" in r.stderr
    assert not project.table_exists("first")
    r = project.cli("apply", "--allow-out-of-order")
    assert r.exit_code == 0, r.output
    assert project.ledger_versions() == [1, 2]


@pytest.mark.parametrize(
    "sql, word, line",
    [
        ("CREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);", "COMMIT", 2),
        ("BEGIN;\nCREATE TABLE a (id int);", "BEGIN", 1),
        ("CREATE TABLE a (id int);\n  rollback ;", "ROLLBACK", 2),
        ("CREATE TABLE a (id int);\n-- done\nEND;", "END", 3),
        ("START TRANSACTION ISOLATION LEVEL SERIALIZABLE;", "START", 1),
    ],
)
def test_transaction_control_in_a_transactional_file_is_refused(project, sql, word, line):
    project.add(1, "tx", sql)
    r = project.cli("apply")
    assert r.exit_code == 2
    assert f"0001_tx.sql:{line}: top-level {word} is not allowed" in r.stderr
    assert not project.table_exists("a")
    # Refused before anything was written: not even sqlmig's own tables exist.
    assert project.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'sqlmig'") == 0


def test_transaction_words_inside_bodies_strings_and_savepoints_are_fine(project):
    project.add(1, "ok", """
        CREATE TABLE t (note text);
        DO $$ BEGIN PERFORM 1; END $$;
        CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
        INSERT INTO t VALUES ('BEGIN; COMMIT;');  -- COMMIT in a comment
        SAVEPOINT s1;
        INSERT INTO t VALUES ('x');
        ROLLBACK TO SAVEPOINT s1;
    """)
    project.apply()
    assert project.query("SELECT note FROM t") == [("BEGIN; COMMIT;",)]


@pytest.mark.parametrize(
    "sql, command, line",
    [
        ("CREATE TABLE a (id int);\n\\i other.sql\n", "\\i", 2),
        ("\\set ON_ERROR_STOP on\nCREATE TABLE a (id int);", "\\set", 1),
        ("CREATE TABLE a (id int);\n\\copy a from 'a.csv'\n", "\\copy", 2),
    ],
)
def test_psql_meta_commands_are_refused(project, sql, command, line):
    project.add(1, "meta", sql)
    r = project.cli("apply")
    assert r.exit_code == 2
    assert f"0001_meta.sql:{line}:1: psql meta-command {command}" in r.stderr
    assert not project.table_exists("a")


def test_copy_from_stdin_is_refused(project):
    project.add(1, "copy", "CREATE TABLE a (id int);\nCOPY a FROM STDIN;\n1\n\\.\n")
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "COPY ... FROM STDIN" in r.stderr


def test_non_utf8_file_is_refused(project):
    project.add(1, "latin", "-- café\nSELECT 1;\n".encode("latin-1"), manifest=False)
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "0001_latin.sql:1: not valid UTF-8" in r.stderr


NO_STATEMENT = {
    "zero-bytes": "",
    "whitespace": "   \n\t\r\n",
    "comment-no-newline": "-- nothing to undo",
    "comments": "-- only a comment\n-- and another\n",
    "block-comment": "/* nothing */;\n",
    "semicolons": ";\n;\n",
}


@pytest.mark.parametrize("header", ["", "-- sqlmig: no-transaction\n"],
                         ids=["transactional", "no-transaction"])
@pytest.mark.parametrize("content", list(NO_STATEMENT.values()), ids=list(NO_STATEMENT))
def test_a_file_with_no_statement_is_applied_and_recorded(project, content, header):
    import hashlib

    path = project.add(1, "nothing", header + content)
    project.add(2, "after", "CREATE TABLE after_nothing (id int);")
    status = project.cli("status")
    assert status.exit_code == 0, status.output
    assert "no problems" in status.stdout
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = project.ledger_rows()
    assert rows[0] == (1, "0001_nothing", checksum, "applied", None, None)
    assert [(r[0], r[3]) for r in rows] == [(1, "applied"), (2, "applied")]
    assert project.table_exists("after_nothing")


def test_a_file_with_no_statement_is_applied_in_a_single_transaction_batch(project):
    project.add(1, "nothing", "-- nothing yet")
    project.add(2, "after", "CREATE TABLE after_nothing (id int);")
    r = project.cli("apply", "--single-transaction")
    assert r.exit_code == 0, r.output
    assert [(row[0], row[3]) for row in project.ledger_rows()] == [(1, "applied"), (2, "applied")]
    assert project.table_exists("after_nothing")


def test_crlf_and_bom_files_apply_and_map_errors(project):
    up = "\ufeff-- windows file\r\nCREATE TABLE w (id int);\r\nINSERT INTO w VALUES (1);\r\n"
    project.add(1, "windows", up.encode("utf-8"))
    project.apply()
    assert project.query("SELECT id FROM w") == [(1,)]
    project.add(2, "broken", "\ufeffCREATE TABLE v (id int);\r\nSELECT nope FROM v;\r\n".encode())
    with pytest.raises(sqlmig.MigrationFailed) as info:
        project.apply()
    assert (info.value.line, info.value.column) == (2, 8)
    # The checksum covers the raw bytes, BOM included, exactly like sha256sum.
    import hashlib
    raw = (project.root / "sql/migrations/0001_windows.sql").read_bytes()
    assert project.scalar("SELECT checksum FROM sqlmig.schema_migrations WHERE version = 1") == \
        hashlib.sha256(raw).hexdigest()


def test_session_state_does_not_leak_between_files(project):
    project.query("CREATE SCHEMA other")
    project.query("CREATE ROLE sqlmig_test_owner")
    try:
        project.add(1, "sets", "SET search_path TO other;\nSET ROLE sqlmig_test_owner;\n"
                               "SET statement_timeout = '7min';\nSET work_mem = '77MB';\n"
                               "CREATE TEMP TABLE scratch (id int);\n")
        project.add(2, "plain", "CREATE TEMP TABLE scratch (id int);\n"
                                "CREATE TABLE plain AS SELECT current_user::text AS who,"
                                " current_setting('search_path') AS path,"
                                " current_setting('statement_timeout') AS timeout,"
                                " current_setting('work_mem') AS mem;\n")
        project.apply()
        assert project.table_exists("public.plain")
        who, path, timeout, mem = project.query("SELECT * FROM public.plain")[0]
        assert who == project.scalar("SELECT current_user")
        assert path == '"$user", public'
        assert (timeout, mem) == (project.scalar("SHOW statement_timeout"), project.scalar("SHOW work_mem"))
        assert mem != "77MB" and timeout != "7min"
    finally:
        project.query("DROP OWNED BY sqlmig_test_owner")
        project.query("DROP ROLE sqlmig_test_owner")


def test_lock_and_statement_timeouts_from_config_apply(project):
    cfg = project.root / "config" / "dev.yaml"
    cfg.write_text(cfg.read_text() + "statement_timeout: 200ms\nlock_timeout: 100ms\n")
    project.add(1, "slow", "CREATE TABLE s (id int);\nSELECT pg_sleep(2);\n")
    with pytest.raises(sqlmig.MigrationFailed) as info:
        project.apply()
    assert info.value.sqlstate == "57014"
    assert not project.table_exists("s")


def test_single_transaction_failure_applies_nothing(project):
    project.add(1, "a", "CREATE TABLE a (id int);")
    project.add(2, "b", "CREATE TABLE b (id int);\nSELECT 1/0;")
    r = project.cli("apply", "--single-transaction")
    assert r.exit_code == 1
    assert "division by zero" in r.stderr
    assert "nothing was applied" in r.stderr
    assert not project.table_exists("a")
    assert project.ledger_versions() == []


def test_single_transaction_success(project):
    project.add(1, "a", "CREATE TABLE a (id int);")
    project.add(2, "b", "CREATE TABLE b (id int);")
    result = project.apply(single_transaction=True)
    assert [m.version for m in result.applied] == [1, 2]
    assert project.ledger_versions() == [1, 2]


def test_dry_run_and_plan_change_nothing(project):
    project.add(1, "a", "CREATE TABLE a (id int);")
    r = project.cli("apply", "--dry-run")
    assert r.exit_code == 0 and "would apply 1 migration:" in r.stdout
    r = project.cli("plan")
    assert r.exit_code == 0 and "CREATE TABLE a (id int);" in r.stdout
    assert not project.table_exists("a")
    assert not project.table_exists("sqlmig.schema_migrations")


def test_apply_to_version(project):
    for v in (1, 2, 3):
        project.add(v, f"t{v}", f"CREATE TABLE t{v} (id int);")
    result = project.apply(to=2)
    assert [m.version for m in result.applied] == [1, 2]
    assert project.cli("apply", "--to", "9").exit_code == 2


def test_git_commit_is_recorded_with_dirty_marker(project):
    def git(*args):
        subprocess.run(["git", *args], cwd=project.root, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "init")
    project.add(1, "committed", "CREATE TABLE c1 (id int);")
    git("add", "-A")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "add 1")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project.root, capture_output=True,
                          text=True).stdout.strip()
    project.add(2, "uncommitted", "CREATE TABLE c2 (id int);")
    project.apply()
    rows = dict(project.query("SELECT version, git_commit FROM sqlmig.schema_migrations"))
    assert rows == {1: head, 2: f"{head}-dirty"}


def test_git_commit_is_null_outside_git(project):
    project.add(1, "a", "CREATE TABLE a (id int);")
    project.apply()
    assert project.scalar("SELECT git_commit FROM sqlmig.schema_migrations") is None


def test_ledger_in_configured_schema(project):
    cfg = project.root / "config" / "dev.yaml"
    cfg.write_text(cfg.read_text() + "schema: ops\n")
    project.add(1, "a", "CREATE TABLE a (id int);")
    project.apply()
    assert project.table_exists("ops.schema_migrations")
    assert not project.table_exists("public.schema_migrations")
    assert not project.table_exists("sqlmig.schema_migrations")
    assert project.status().current_version == 1


@pytest.mark.parametrize("schema", ["sqlmig", "public"])
def test_foreign_schema_migrations_table_in_the_ledger_schema_is_refused(project, schema):
    if schema == "public":
        cfg = project.root / "config" / "dev.yaml"
        cfg.write_text(cfg.read_text() + "schema: public\n")
    project.query(f"CREATE SCHEMA IF NOT EXISTS {schema};"
                  f"CREATE TABLE {schema}.schema_migrations (version varchar PRIMARY KEY)")
    project.add(1, "a", "CREATE TABLE a (id int);")
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "was not created by sqlmig" in r.stderr


def test_connection_errors_never_show_the_password(project):
    url = "postgresql://alice:s3cr3t-pw@127.0.0.1:1/nowhere"
    r = project.cli("status", "--database-url", url)
    assert r.exit_code == 2
    assert "s3cr3t-pw" not in r.output
    assert "alice:***@127.0.0.1:1" in r.stderr


def test_failed_migration_error_never_shows_the_password(project, pg_server):
    project.query("CREATE ROLE sqlmig_pw_user LOGIN PASSWORD 'hunter2-secret' CREATEDB")
    try:
        dbname = project.scalar("SELECT current_database()")
        project.query(f'GRANT ALL ON DATABASE "{dbname}" TO sqlmig_pw_user')
        project.query("GRANT ALL ON SCHEMA public TO sqlmig_pw_user")
        url = psycopg.conninfo.make_conninfo(project.url, user="sqlmig_pw_user",
                                             password="hunter2-secret")
        project.add(1, "bad", "SELECT 'hunter' || 1/0;")
        r = project.cli("apply", "--database-url", url)
        assert r.exit_code == 1
        assert "hunter2-secret" not in r.output
    finally:
        project.query("DROP OWNED BY sqlmig_pw_user")
        project.query("DROP ROLE sqlmig_pw_user")


def test_plan_shows_lint_findings_for_pending_migrations(project):
    project.add(1, "t", "CREATE TABLE t (id bigint PRIMARY KEY, note text);")
    project.apply()
    project.add(2, "idx", "CREATE INDEX t_note_idx ON t (note);")
    r = project.cli("plan")
    assert r.exit_code == 0, r.output
    assert "lint findings" in r.stdout
    assert "[create-index-not-concurrently]" in r.stdout
    plan = sqlmig.plan(project.root, lint=True)
    assert any(f.rule == "create-index-not-concurrently" for f in plan.findings)
    assert not project.table_exists("sqlmig.schema_migrations") or project.ledger_versions() == [1]


def test_log_level_info_logs_plan_results_and_timings(project):
    cfg = project.root / "config" / "dev.yaml"
    cfg.write_text(cfg.read_text() + "log_level: info\n")
    project.add(1, "a", "CREATE TABLE a (id int);")
    project.add(2, "b", "-- sqlmig: no-transaction\nCREATE TABLE b (id int);\nCREATE INDEX CONCURRENTLY b_idx ON b (id);")
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert "sqlmig INFO plan: apply 2 migration(s), version None -> 2: 0001_a, 0002_b" in r.stderr
    assert "sqlmig INFO applied 0001_a in" in r.stderr and "sqlmig INFO applied 0002_b in" in r.stderr
    assert "statement 1/2" not in r.stderr  # statements are debug


def test_log_level_debug_logs_every_split_statement_and_failures(project):
    cfg = project.root / "config" / "dev.yaml"
    cfg.write_text(cfg.read_text() + "log_level: debug\n")
    project.add(1, "b", "-- sqlmig: no-transaction\nCREATE TABLE b (id int);\nCREATE INDEX CONCURRENTLY b_idx ON b (id);")
    project.add(2, "bad", "SELECT 1/0;")
    r = project.cli("apply")
    assert r.exit_code == 1
    assert "0001_b statement 2/2 in" in r.stderr and "CREATE INDEX CONCURRENTLY b_idx" in r.stderr
    # The failure is the command's error line; its log record would only repeat it.
    assert r.stderr.count("migrations/0002_bad.sql:1:") == 1
    assert "error: migrations/0002_bad.sql:1:" in r.stderr


@pytest.mark.parametrize("log_level", ["warning", "error"])
def test_a_failed_migration_is_reported_once_on_stderr(project, log_level):
    cfg = project.root / "config" / "dev.yaml"
    cfg.write_text(cfg.read_text() + f"log_level: {log_level}\n")
    project.add(1, "bad", "CREATE TABLE kept_out (id int);\nSELECT 1/0;\n")
    r = project.cli("apply")
    assert r.exit_code == 1
    assert r.stderr.count("division by zero") == 1
    assert r.stderr.count("Nothing from this file was applied.") == 1
    assert r.stderr.startswith("error: migrations/0001_bad.sql:2:")
    assert not project.table_exists("kept_out")


def test_bad_log_level_is_a_config_error(project):
    cfg = project.root / "config" / "dev.yaml"
    cfg.write_text(cfg.read_text() + "log_level: loud\n")
    r = project.cli("status")
    assert r.exit_code == 2
    assert "log_level" in r.stderr and "debug" in r.stderr


def test_role_passwords_in_migration_sql_are_not_shown(project):
    project.add(1, "role", "CREATE ROLE sqlmig_app_pw LOGIN PASSWORD 'pa55-in-file';\nSELECT 1/0;\n")
    r = project.cli("plan")
    assert r.exit_code == 0
    assert "pa55-in-file" not in r.output and "PASSWORD '***'" in r.stdout
    r = project.cli("apply")
    assert r.exit_code == 1
    assert "pa55-in-file" not in r.output
    assert not project.scalar("SELECT count(*) FROM pg_roles WHERE rolname = 'sqlmig_app_pw'")


def test_role_password_is_not_stored_in_the_ledger_of_a_failed_split_file(project):
    project.add(1, "role", "-- sqlmig: no-transaction\nSELECT 1;\n"
                           "ALTER ROLE sqlmig_no_such_role PASSWORD 'pa55-in-file';\n")
    r = project.cli("apply")
    assert r.exit_code == 1 and "pa55-in-file" not in r.output
    assert "pa55-in-file" not in str(project.query("SELECT * FROM sqlmig.schema_migrations"))
    assert "pa55-in-file" not in str(project.query("SELECT * FROM sqlmig.sqlmig_history"))


@pytest.mark.parametrize(
    "sql, what, line",
    [
        ("CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY a_idx ON a (id);", "CREATE INDEX CONCURRENTLY a_idx", 2),
        ("CREATE TABLE a (id int);\n-- tidy up\nVACUUM ANALYZE a;", "VACUUM ANALYZE a", 3),
        ("REINDEX (VERBOSE) TABLE CONCURRENTLY pg_class;", "REINDEX (VERBOSE) TABLE CONCURRENTLY", 1),
        ("CREATE TABLE a (id int PRIMARY KEY);\nCLUSTER;", "CLUSTER", 2),
    ],
)
def test_statements_that_refuse_a_transaction_block_are_refused_before_running(
        project, sql, what, line):
    project.add(1, "concurrently", sql)
    r = project.cli("apply")
    assert r.exit_code == 2
    assert f"0001_concurrently.sql:{line}: `{what}` cannot run inside a transaction block" in r.stderr
    assert "-- sqlmig: no-transaction" in r.stderr
    assert not project.table_exists("a")


def test_such_words_in_bodies_and_strings_are_fine(project):
    project.add(1, "ok", "CREATE TABLE t (note text);\n"
                         "INSERT INTO t VALUES ('VACUUM and CREATE INDEX CONCURRENTLY later');\n"
                         "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'VACUUM' $$;\n")
    project.apply()
    assert project.ledger_versions() == [1]


def test_other_statements_refusing_a_transaction_block_get_the_directive_hint(project):
    # Refused because the table is partitioned, which only the catalog knows.
    project.add(1, "reindex", "CREATE TABLE c (id int) PARTITION BY LIST (id);\n"
                              "CREATE INDEX ON c (id);\nREINDEX TABLE c;\n")
    r = project.cli("apply")
    assert r.exit_code == 1
    assert "25001" in r.stderr and "`-- sqlmig: no-transaction`" in r.stderr
    assert not project.table_exists("c")


RAISE = "SELECT nextval('calls');\nDO $$ BEGIN RAISE EXCEPTION 'boom' USING ERRCODE = '{code}'; END $$;\n"


def test_error_without_position_is_located_by_a_replay_that_is_rolled_back(project):
    project.add(1, "seq", "CREATE SEQUENCE calls;")
    project.add(2, "raise", RAISE.format(code="P0001"))
    with pytest.raises(sqlmig.MigrationFailed) as info:
        project.apply()
    assert info.value.line == 2 and info.value.sqlstate == "P0001"
    # Sequences are not transactional: the replay is visible here, and only here.
    assert project.scalar("SELECT last_value FROM calls") == 2


def test_deadlocks_and_timeouts_are_not_replayed(project):
    project.add(1, "seq", "CREATE SEQUENCE calls;")
    project.add(2, "raise", RAISE.format(code="40P01"))
    with pytest.raises(sqlmig.MigrationFailed) as info:
        project.apply()
    assert info.value.sqlstate == "40P01" and info.value.line is None
    assert "migrations/0002_raise.sql: boom" in info.value.message
    assert project.scalar("SELECT last_value FROM calls") == 1


def test_an_applied_migration_renamed_on_disk_is_a_problem_and_refuses_changes(project):
    project.add(1, "t", "CREATE TABLE t (id int);", "DROP TABLE t;")
    project.apply()
    for folder in ("migrations", "rollbacks"):
        d = project.root / "sql" / folder
        (d / "0001_t.sql").rename(d / "0001_tables.sql")
    project.add(2, "u", "CREATE TABLE u (id int);")  # rewrites the manifest
    r = project.cli("status")
    assert r.exit_code == 3
    assert ("migrations/0001_tables.sql is applied as 0001_t (same version and checksum): the "
            "file was renamed after it was applied. Rename it back to migrations/0001_t.sql")\
        in r.stdout
    assert [p.kind for p in project.status().problems] == ["renamed"]
    r = project.cli("apply")
    assert r.exit_code == 3 and "0001_tables.sql is applied as 0001_t" in r.stderr
    assert project.cli("rollback", "--yes").exit_code == 3
    assert not project.table_exists("u") and project.table_exists("t")
    assert project.query("SELECT version, name FROM sqlmig.schema_migrations") == [(1, "0001_t")]


def test_another_file_in_an_applied_version_is_drift_that_names_both(project):
    project.add(1, "t", "CREATE TABLE t (id int);")
    project.apply()
    (project.root / "sql" / "migrations" / "0001_t.sql").unlink()
    project.add(1, "other", "CREATE TABLE other (id int);")
    r = project.cli("apply")
    assert r.exit_code == 3
    assert ("version 1 is applied as 0001_t, but the file with that version is "
            "migrations/0001_other.sql, with other contents") in r.stderr
    assert not project.table_exists("other")


def test_a_role_without_privileges_on_the_ledger_gets_the_grant_to_run(project, pg_server):
    import uuid

    project.add(1, "t", "CREATE TABLE t (id int);")
    project.apply()
    role = f"sqlmig_nogrant_{uuid.uuid4().hex[:8]}"
    project.query(f"CREATE ROLE {role} LOGIN")
    try:
        url = pg_server.url(project.scalar("SELECT current_database()")).replace(
            f"user={pg_server.user}", f"user={role}")
        for command in ("status", "history"):
            r = project.cli(command, "--database-url", url)
            assert r.exit_code == 1, r.output
            assert r.stderr.startswith("error: cannot read the ledger") and "Traceback" not in r.output
            assert "permission denied for schema sqlmig" in r.stderr and "(42501)" in r.stderr
        assert f'GRANT USAGE ON SCHEMA "sqlmig" TO "{role}";' in r.stderr
        grants = r.stderr[r.stderr.index("GRANT USAGE"):].strip()
        project.query(grants)  # the statement the message gives is the one that is missing
        assert project.cli("status", "--database-url", url).exit_code == 0
    finally:
        project.query(f"DROP OWNED BY {role}")
        project.query(f"DROP ROLE {role}")


@pytest.mark.parametrize("schema", ["s", None], ids=["configured", "default"])
def test_a_role_that_may_not_create_the_ledger_gets_an_error_line(project, pg_server, schema):
    import uuid

    project.add(1, "t", "CREATE TABLE t (id int);")
    role = f"sqlmig_nocreate_{uuid.uuid4().hex[:8]}"
    project.query(f"CREATE ROLE {role} LOGIN")
    try:
        project.query(f"REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        db = project.scalar("SELECT current_database()")
        url = pg_server.url(db).replace(f"user={pg_server.user}", f"user={role}")
        (project.root / "config" / "dev.yaml").write_text(
            f"database_url: '{url}'\n" + (f"schema: {schema}\n" if schema else ""))
        r = project.cli("apply")
        assert r.exit_code == 1, r.output
        nsp = schema or "sqlmig"
        assert r.stderr.startswith(f'error: cannot create schema "{nsp}" for sqlmig\'s own '
                                   f'tables: permission denied for database {db} (42501)')
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.output
        assert "set `schema:` in the environment's config" in r.stderr
        assert not project.table_exists("t") and not project.scalar(
            "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (nsp,))
        # The GRANT the message names is the one that is missing.
        grant = r.stderr[r.stderr.index("GRANT CREATE ON DATABASE"):]
        project.query(grant[:grant.index(";") + 1])
        project.query(f"GRANT CREATE ON SCHEMA public TO {role}")
        assert project.cli("apply").exit_code == 0
        assert project.table_exists(f"{nsp}.schema_migrations") and project.table_exists("public.t")
    finally:
        project.query(f"DROP OWNED BY {role}")
        project.query(f"DROP ROLE {role}")


@pytest.mark.parametrize("lock_mode", ["advisory", "table"])
def test_a_file_ending_its_own_transaction_never_gets_a_ledger_row(project, lock_mode):
    """Defence in depth for files the parser cannot read (syntax newer than
    pglast's): if such a file hid a COMMIT from validation, the statements
    after it ran outside sqlmig's transaction, so the ledger row must not be
    written as if the file had been all-or-nothing; the migration is recorded
    as failed instead.  No real file can hide a COMMIT from today's analysis,
    so the test feeds the runner one whose analysis says it could not parse it."""
    from sqlmig.core import sqltext
    from sqlmig.core.connection import connect
    from sqlmig.core.git import GitState
    from sqlmig.core.planner import Plan, Step
    from sqlmig.core.runner import Runner
    from sqlmig.core.session import Session

    if lock_mode == "table":
        (project.root / "config" / "dev.yaml").write_text(
            f"database_url: '{project.url}'\nlock: table\n")
    project.add(1, "hidden", "CREATE TABLE before_commit (id int);\nCOMMIT;\n"
                             "CREATE TABLE after_commit (id int);\n")
    with Session(project.root) as s:
        migration = s.project.migrations[0]
        text = migration.up.text
        migration.up.__dict__["analysis"] = sqltext.Analysis(
            statements=(sqltext.Statement(1, text, 0, 1),), parsed=False)
        s.ledger.ensure(s.conn)
        with s.locked():
            runner = Runner(s.conn, s.ledger, s.config, GitState(head=None),
                            connect=lambda: connect(s.url))
            with pytest.raises(sqlmig.MigrationFailed) as info:
                runner.apply(Plan("up", [Step(migration, migration.up)]))
            runner.close()
    assert "ended sqlmig's transaction itself" in info.value.message
    assert "sqlmig resolve 1" in info.value.message
    # The oracle is the database: what the hidden COMMIT let through is there,
    # and the ledger says failed, not applied.
    assert project.table_exists("before_commit")
    assert project.query("SELECT status FROM sqlmig.schema_migrations WHERE version = 1") == [("failed",)]
    r = project.cli("apply")
    assert r.exit_code == 3 and "0001_hidden failed" in r.stderr


def test_a_file_changing_session_authorization_does_not_change_who_applied_it(project):
    me = project.scalar("SELECT session_user")
    project.query("DROP ROLE IF EXISTS sqlmig_someone_else")
    project.query("CREATE ROLE sqlmig_someone_else")
    project.add(1, "switch", "CREATE TABLE switched (id int);\n"
                             "GRANT ALL ON switched TO sqlmig_someone_else;\n"
                             "SET SESSION AUTHORIZATION sqlmig_someone_else;\n")
    project.add(2, "after", "CREATE TABLE after_switch (id int);\n")
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert project.query("SELECT applied_by FROM sqlmig.schema_migrations ORDER BY version") == [
        (me,), (me,)]
    assert project.scalar("SELECT tableowner FROM pg_tables WHERE tablename = 'after_switch'") == me
    assert {row[0] for row in project.query("SELECT db_user FROM sqlmig.sqlmig_audit")} == {me}
