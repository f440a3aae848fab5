"""Preflight: before a plan that takes strong locks, plan and apply look at
pg_locks/pg_stat_activity for the sessions it would wait behind.  Each
blocker here is a real second connection the test opens and leaves idle in
transaction; the oracle for "which session" is that connection's own
pg_backend_pid(), and for "did the ALTER run" the catalog read directly."""

from __future__ import annotations

import json
from collections.abc import Iterator

import jsonschema
import psycopg
import pytest

from sqlmig.linter.locks import strong_locks

ALTER = "ALTER TABLE accounts ADD COLUMN x int NOT NULL DEFAULT 0;\n"


def env_file(project, body: str) -> None:
    # A short lock_timeout: under `warn` the ALTER really waits behind the
    # idle transaction, and must fail fast rather than hang the test.
    (project.root / "config" / "prod.yaml").write_text(
        f"database_url: '{project.url}'\nlock_timeout: 300ms\n{body}")


@pytest.fixture
def accounts(project):
    """A project whose first migration (applied) made `accounts` and `other`,
    and whose pending second one adds a column to `accounts`."""
    project.add(1, "tables", "CREATE TABLE accounts (id int PRIMARY KEY);\n"
                             "CREATE TABLE other (id int PRIMARY KEY);\n",
                "DROP TABLE other; DROP TABLE accounts;\n")
    project.apply()
    project.add(2, "add_x", ALTER, "ALTER TABLE accounts DROP COLUMN x;\n")
    return project


@pytest.fixture
def idle_reader(project) -> Iterator[callable]:
    """Open a connection, read a table in a transaction and leave it idle in
    transaction; yields a function taking the table, returning the pid."""
    conns: list[psycopg.Connection] = []

    def open_on(table: str) -> int:
        conn = psycopg.connect(project.url, application_name="report-tool")
        conns.append(conn)
        conn.execute(f"SELECT * FROM {table}").fetchall()  # BEGIN implied: not autocommit
        return int(conn.execute("SELECT pg_backend_pid()").fetchone()[0])

    yield open_on
    for conn in conns:
        conn.close()


def has_column_x(project) -> bool:
    return bool(project.scalar(
        "SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass "
        "AND attname = 'x' AND NOT attisdropped"))


def test_required_refuses_naming_the_idle_session_and_the_table(accounts, idle_reader):
    env_file(accounts, "preflight: required\n")
    pid = idle_reader("accounts")
    r = accounts.cli("apply", "--env", "prod")
    assert r.exit_code == 3, r.stderr
    assert f"pid {pid} " in r.stderr and "report-tool" in r.stderr
    assert "requires a clear preflight (preflight: required)" in r.stderr
    assert "idle in transaction" in r.stderr and "AccessShareLock on accounts" in r.stderr
    assert "Traceback" not in r.stderr
    assert not has_column_x(accounts)
    assert accounts.ledger_versions() == [1]


def test_required_refusal_is_audited(accounts, idle_reader):
    env_file(accounts, "preflight: required\n")
    idle_reader("accounts")
    accounts.cli("apply", "--env", "prod")
    rows = accounts.query("SELECT action, outcome, detail FROM sqlmig.sqlmig_audit "
                          "WHERE outcome = 'refused'")
    assert rows and rows[-1][0] == "apply" and "preflight" in rows[-1][2]


def test_warn_logs_the_blocker_and_goes_on_to_the_alter(accounts, idle_reader):
    env_file(accounts, "preflight: warn\n")
    pid = idle_reader("accounts")
    r = accounts.cli("apply", "--env", "prod")
    # Not refused by the preflight: the ALTER ran, waited behind the idle
    # reader and hit the lock_timeout (55P03).
    assert r.exit_code != 0
    assert f"preflight: pid {pid} " in r.stderr
    assert "SQLSTATE 55P03" in r.stderr and "requires a clear preflight" not in r.stderr
    assert not has_column_x(accounts)


def test_idle_transaction_on_another_table_is_no_blocker(accounts, idle_reader):
    env_file(accounts, "preflight: required\n")
    idle_reader("other")
    r = accounts.cli("apply", "--env", "prod")
    assert r.exit_code == 0, r.stderr
    assert has_column_x(accounts)


def test_migration_without_strong_locks_runs_no_preflight(accounts, idle_reader):
    env_file(accounts, "preflight: required\n")
    (accounts.root / "sql" / "migrations" / "0002_add_x.sql").write_text(
        "INSERT INTO other VALUES (1);\nCREATE TABLE more (id int);\n")
    (accounts.root / "sql" / "rollbacks" / "0002_add_x.sql").write_text(
        "DROP TABLE more; DELETE FROM other;\n")
    accounts.write_manifest()
    idle_reader("accounts")
    idle_reader("other")  # holds ACCESS SHARE: conflicts with no row lock of the INSERT
    r = accounts.cli("apply", "--env", "prod")
    assert r.exit_code == 0, r.stderr
    assert accounts.table_exists("more")


def test_off_looks_at_nothing(accounts, idle_reader):
    env_file(accounts, "preflight: off\n")
    idle_reader("accounts")
    r = accounts.cli("plan", "--env", "prod", "--json")
    assert json.loads(r.stdout)["result"]["preflight"]["locks"] == []


def test_plan_lists_the_blockers(accounts, idle_reader):
    env_file(accounts, "preflight: required\n")
    pid = idle_reader("accounts")
    r = accounts.cli("plan", "--env", "prod")
    assert r.exit_code == 0, r.stderr
    assert "preflight (required): 1 blocker" in r.stdout
    assert f"pid {pid} " in r.stdout


def test_plan_json_has_the_blockers_and_matches_the_schema(accounts, idle_reader):
    from importlib import resources

    env_file(accounts, "preflight: required\n")
    pid = idle_reader("accounts")
    r = accounts.cli("plan", "--env", "prod", "--json")
    doc = json.loads(r.stdout)
    schema = json.loads((resources.files("sqlmig.cli.render") / "envelope.schema.json")
                        .read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    [blocker] = doc["result"]["preflight"]["blockers"]
    assert blocker["pid"] == pid and blocker["table"] == "accounts"
    assert blocker["kind"] == "idle in transaction"
    assert blocker["wanted_mode"] == "AccessExclusiveLock"


def test_an_old_transaction_is_a_blocker_only_above_the_age_limit(accounts, idle_reader):
    # An active query cannot be left running by a test without a second
    # thread; an idle-in-transaction session below the age is a blocker in
    # any case, so only the config's validation is tested here.
    env_file(accounts, "preflight: required\npreflight_max_transaction_age: soon\n")
    r = accounts.cli("plan", "--env", "prod")
    assert r.exit_code == 2
    assert "preflight_max_transaction_age" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("sql, expected", [
    ("ALTER TABLE t ADD COLUMN x int DEFAULT 0;", [("t", "AccessExclusiveLock")]),
    ("ALTER TABLE t VALIDATE CONSTRAINT c;", []),
    ("CREATE INDEX i ON t (a);", [("t", "ShareLock")]),
    ("ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id);",
     [("t", "AccessExclusiveLock"), ("u", "ShareRowExclusiveLock")]),
    ("CREATE TABLE n (id int); ALTER TABLE n ADD COLUMN y int;", []),
    ("LOCK TABLE t IN ROW EXCLUSIVE MODE;", []),
    ("LOCK TABLE s.t IN EXCLUSIVE MODE;", [("s.t", "ExclusiveLock")]),
    ("INSERT INTO t VALUES (1); UPDATE t SET a = 1 WHERE id = 2;", []),
    ("DROP INDEX i;", [("i", "AccessExclusiveLock")]),
    ("DROP INDEX CONCURRENTLY i;", []),
])
def test_strong_locks_of_statements(tmp_path, sql, expected):
    from sqlmig.core.files import read_sql_file

    path = tmp_path / "sql" / "migrations" / "0001_x.sql"
    path.parent.mkdir(parents=True)
    path.write_text(sql)
    found = strong_locks([read_sql_file(path, "migrations/0001_x.sql")])
    assert [(lk.table, lk.mode) for lk in found] == expected


def test_with_no_other_session_holding_a_table_lock_the_files_are_not_parsed(
        accounts, monkeypatch):
    # The quick question first (pg_locks): nobody else holds a table lock, so
    # no blocker can exist and parsing every pending file for its locks would
    # be wasted work on each apply.
    from sqlmig.linter import locks

    def parsed(*a, **kw):
        raise AssertionError("the preflight parsed the pending files")

    monkeypatch.setattr(locks, "strong_locks", parsed)
    env_file(accounts, "preflight: required\n")
    r = accounts.cli("apply", "--env", "prod")
    assert r.exit_code == 0, r.stderr
    assert has_column_x(accounts)


def test_a_session_holding_a_lock_on_another_table_still_gets_the_full_look(
        accounts, idle_reader, monkeypatch):
    # "other" is not what the ALTER locks: the full preflight runs (a table
    # lock is held: the files are parsed) and finds no blocker, so apply goes on.
    from sqlmig.linter import locks

    calls = []
    real = locks.strong_locks
    monkeypatch.setattr(locks, "strong_locks", lambda files: calls.append(1) or real(files))
    env_file(accounts, "preflight: required\n")
    idle_reader("other")
    r = accounts.cli("apply", "--env", "prod")
    assert r.exit_code == 0, r.stderr
    assert calls, "the full preflight did not run"
    assert has_column_x(accounts)
