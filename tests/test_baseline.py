"""`sqlmig baseline --to V`: adopt a database that already has the schema of 1..V, verified."""

from __future__ import annotations

import json

import psycopg

USERS = """CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    email text NOT NULL UNIQUE, nickname text);
"""
ORDERS = """CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id),
                     total numeric(10, 2) NOT NULL DEFAULT 0);
CREATE INDEX orders_user_idx ON orders (user_id);
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
"""
LATER = "CREATE TABLE later (id int PRIMARY KEY);\n"


def _project(project):
    project.add(1, "users", USERS, "DROP TABLE users;\n")
    project.add(2, "orders", ORDERS, "DROP VIEW big_orders; DROP TABLE orders;\n")
    project.add(3, "later", LATER, "DROP TABLE later;\n")
    return project


def _by_hand(project, *statements: str) -> None:
    """The database as a DBA built it: the same DDL, run outside sqlmig."""
    with psycopg.connect(project.url, autocommit=True) as conn:
        for text in statements:
            conn.execute(text)


def _ledger_is_empty(project) -> bool:
    # The oracle: the catalog, not sqlmig, says whether a ledger table exists.
    return project.ledger_rows() == []


def test_matching_database_is_baselined_and_apply_runs_only_later(project):
    _project(project)
    _by_hand(project, USERS, ORDERS)
    result = project.cli("baseline", "--to", "2")
    assert result.exit_code == 0, result.output
    assert "recorded as baselined" in result.stdout
    assert [(r[0], r[3]) for r in project.ledger_rows()] == [(1, "baselined"), (2, "baselined")]
    applied = project.cli("apply")
    assert applied.exit_code == 0, applied.output
    assert "0003_later" in applied.stdout and "0001_users" not in applied.stdout
    assert [(r[0], r[3]) for r in project.ledger_rows()] == [
        (1, "baselined"), (2, "baselined"), (3, "applied")]
    history = project.query("SELECT version, action FROM sqlmig.sqlmig_history ORDER BY id")
    assert history == [(1, "baseline"), (2, "baseline"), (3, "apply")]
    audit = project.query("SELECT action, outcome, versions::bigint[] FROM sqlmig.sqlmig_audit "
                          "WHERE action = 'baseline'")
    assert audit == [("baseline", "ok", [1, 2])]


def test_missing_column_is_refused_naming_it_and_nothing_is_recorded(project):
    _project(project)
    _by_hand(project, USERS.replace(", nickname text", ""), ORDERS)
    result = project.cli("baseline", "--to", "2")
    assert result.exit_code == 3, result.output
    assert "column users.nickname is missing" in result.output
    assert "Nothing was recorded" in result.output
    assert _ledger_is_empty(project)
    assert project.scalar("SELECT to_regnamespace('sqlmig') IS NULL")


def test_extra_object_is_named(project):
    _project(project)
    _by_hand(project, USERS, ORDERS, "CREATE INDEX users_nick_idx ON users (nickname)")
    result = project.cli("baseline", "--to", "2", "--json")
    assert result.exit_code == 3
    envelope = json.loads(result.stdout)
    assert any("users_nick_idx" in p for p in envelope["error"]["problems"]), envelope
    assert _ledger_is_empty(project)


def test_accept_differences_records_with_the_reason_in_the_audit(project):
    _project(project)
    _by_hand(project, USERS.replace(", nickname text", ""), ORDERS)
    result = project.cli("baseline", "--to", "2", "--accept-differences",
                         "--reason", "legacy db, ticket 88")
    assert result.exit_code == 0, result.output
    assert "column users.nickname is missing" in result.stdout
    assert [r[3] for r in project.ledger_rows()] == ["baselined", "baselined"]
    reason, detail = project.query("SELECT reason, detail FROM sqlmig.sqlmig_audit "
                                   "WHERE action = 'baseline'")[0]
    assert reason == "legacy db, ticket 88"
    assert "column users.nickname is missing" in detail


def test_accept_differences_needs_a_reason(project):
    _project(project)
    _by_hand(project, USERS)
    result = project.cli("baseline", "--to", "1", "--accept-differences")
    assert result.exit_code == 2
    assert "--accept-differences needs --reason" in result.output
    assert "Traceback" not in result.output
    assert _ledger_is_empty(project)


def test_a_ledger_with_rows_is_refused(project):
    _project(project)
    project.apply(to=1)
    result = project.cli("baseline", "--to", "2")
    assert result.exit_code == 3
    assert "already has 1 row(s)" in result.output
    assert [r[0] for r in project.ledger_rows()] == [1]


def test_unknown_version_is_a_usage_error(project):
    _project(project)
    result = project.cli("baseline", "--to", "9")
    assert result.exit_code == 2
    assert "no migration has version 9" in result.output
    assert _ledger_is_empty(project)


def test_the_server_refuses_a_second_baseline(project):
    # The ledger function itself enforces "empty ledger only", whoever calls it.
    _project(project)
    _by_hand(project, USERS)
    assert project.cli("baseline", "--to", "1").exit_code == 0
    with psycopg.connect(project.url, autocommit=True) as conn:
        try:
            conn.execute("SELECT sqlmig.sqlmig_record_baselined(ARRAY[2]::bigint[], "
                         "ARRAY['0002_orders'], ARRAY[repeat('a', 64)], NULL, NULL)")
        except psycopg.errors.UniqueViolation as exc:
            assert "already has rows" in str(exc)
        else:
            raise AssertionError("a second baseline was accepted")
    assert [r[0] for r in project.ledger_rows()] == [1]
