"""The audit log: append-only in the database, written for every change,
failure and refusal, listed with filters."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

import sqlmig
from sqlmig.core import clock

UTC = timezone.utc
T0 = datetime(2026, 3, 1, 2, 10, tzinfo=UTC)


@pytest.fixture
def logged(project):
    project.add(1, "a", "CREATE TABLE a (id int);", "DROP TABLE a;")
    project.before = project.scalar("SELECT clock_timestamp()")
    with clock.frozen(T0):  # the client's clock: the audit row ignores it
        project.apply()
    return project


@pytest.mark.parametrize("statement", [
    "UPDATE sqlmig.sqlmig_audit SET outcome = 'failed'",
    "DELETE FROM sqlmig.sqlmig_audit",
    "TRUNCATE sqlmig.sqlmig_audit",
])
def test_audit_rows_cannot_be_changed_or_removed(logged, statement):
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as info:
        logged.query(statement)
    assert "sqlmig_audit is append-only" in str(info.value)
    assert logged.query("SELECT action, outcome FROM sqlmig.sqlmig_audit") == [("apply", "ok")]


def test_apply_row_has_who_when_what(logged):
    row = logged.query(
        "SELECT at BETWEEN %s AND clock_timestamp(), env, action, outcome,"
        " db_user = session_user, os_user IS NOT NULL, versions::bigint[], duration_ms >= 0"
        " FROM sqlmig.sqlmig_audit", (logged.before,))[0]
    assert row == (True, "dev", "apply", "ok", True, True, [1], True)


def test_failed_apply_is_audited_with_the_error(logged, pg_server):
    logged.add(2, "bad", "CREATE TABLE b (id int);\nSELECT 1/0;")
    with clock.frozen(T0), pytest.raises(sqlmig.MigrationFailed):
        logged.apply()
    action, outcome, versions, detail = logged.query(
        "SELECT action, outcome, versions::bigint[], detail FROM sqlmig.sqlmig_audit ORDER BY id DESC"
        " LIMIT 1")[0]
    assert (action, outcome, versions) == ("apply", "failed", [2])
    assert "division by zero" in detail and "0002_bad.sql:2" in detail


def test_ledger_refusal_is_audited(logged):
    logged.add(1, "a", "CREATE TABLE a (id bigint);", "DROP TABLE a;")  # drift
    with pytest.raises(sqlmig.ChecksumDrift):
        sqlmig.apply(logged.root, allow_out_of_order=False)
    # A manifest refusal stops before the ledger is touched; drift past a
    # rewritten manifest is refused inside the run and recorded.
    row = logged.query("SELECT action, outcome, detail FROM sqlmig.sqlmig_audit ORDER BY id DESC LIMIT 1")
    assert row[0][:2] == ("apply", "refused") and "changed after it was applied" in row[0][2]


def test_rollback_and_resolve_are_audited(logged):
    with clock.frozen(T0):
        logged.rollback()
    logged.add(2, "nt", "-- sqlmig: no-transaction\nCREATE TABLE nt (id int);\nSELECT 1/0;\n")
    with pytest.raises(sqlmig.MigrationFailed):
        logged.apply()
    with clock.frozen(T0):
        sqlmig.resolve(2, "rolled-back", logged.root)
    rows = logged.query("SELECT action, outcome, versions::bigint[], detail FROM sqlmig.sqlmig_audit"
                        " ORDER BY id")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("apply", "ok", [1]), ("rollback", "ok", [1]), ("apply", "failed", [1, 2]),
        ("resolve", "ok", [2])]
    assert rows[-1][3] == "recorded as rolled-back"


def test_audit_command_filters_and_json(logged):
    import time

    time.sleep(0.05)
    between = logged.scalar("SELECT clock_timestamp()")
    time.sleep(0.05)
    logged.rollback()
    r = logged.cli("audit", "--json")
    assert r.exit_code == 0
    entries = json.loads(r.stdout)["result"]
    assert [e["action"] for e in entries] == ["rollback", "apply"]
    assert datetime.fromisoformat(entries[0]["at"]) > between
    r = logged.cli("audit", "--action", "apply")
    assert r.exit_code == 0 and "rollback" not in r.stdout and "apply" in r.stdout
    r = logged.cli("audit", "--since", "90min", "--json")
    assert [e["action"] for e in json.loads(r.stdout)["result"]] == ["rollback", "apply"]
    time.sleep(1.2)
    r = logged.cli("audit", "--since", "1s", "--json")  # an age: nothing that recent
    assert json.loads(r.stdout)["result"] == []
    r = logged.cli("audit", "--since", between.isoformat(), "--json")
    assert [e["action"] for e in json.loads(r.stdout)["result"]] == ["rollback"]
    user = logged.scalar("SELECT session_user")
    r = logged.cli("audit", "--user", user, "--json")
    assert len(json.loads(r.stdout)["result"]) == 2
    r = logged.cli("audit", "--user", "nobody_else")
    assert r.stdout.strip() == "no audit entries"
    r = logged.cli("audit", "--since", "last tuesday")
    assert r.exit_code == 2 and "--since 'last tuesday'" in r.stderr


def test_a_deployer_needs_no_write_access_to_any_sqlmig_table(logged):
    """Governed (`sqlmig access setup`): a deployer applies and rolls back with
    no table privilege but SELECT; every write went through the functions."""
    from test_approval import Roles

    roles = Roles(logged)
    try:
        roles.grant(env="dev")
        name = roles.names[0]
        assert logged.query(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'sqlmig' AND c.relkind = 'r' AND c.relname <> 'sqlmig_lock'"
            " AND has_table_privilege(%s, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')",
            (name,)) == []
        logged.add(2, "b", "CREATE TABLE b (id int);", "DROP TABLE b;")
        sqlmig.apply(logged.root, "dev", roles.requester)
        sqlmig.rollback(logged.root, "dev", roles.requester)
        rows = logged.query("SELECT action, db_user FROM sqlmig.sqlmig_audit ORDER BY id")
        assert rows[-2:] == [("apply", name), ("rollback", name)]
        for pw in roles.passwords:
            assert pw not in str(logged.query("SELECT * FROM sqlmig.sqlmig_audit"))
    finally:
        logged.query("DROP TABLE IF EXISTS b")
        roles.drop()


def test_audit_without_a_ledger_is_empty(project):
    r = project.cli("audit")
    assert r.exit_code == 0 and r.stdout.strip() == "no audit entries"


def test_ledger_version_3_reapplies_cleanly_over_existing_tables(logged):
    # What a database restored from a dump taken before ledger 3 looks like:
    # the tables exist but sqlmig_ledger_version does not list 3.
    logged.query("DELETE FROM sqlmig.sqlmig_ledger_version WHERE version = 3")
    logged.add(2, "b", "CREATE TABLE b (id int);")
    logged.apply()
    assert 3 in [r[0] for r in logged.query("SELECT version FROM sqlmig.sqlmig_ledger_version")]
    assert [r[0] for r in logged.query("SELECT action FROM sqlmig.sqlmig_audit ORDER BY id")] == [
        "apply", "apply"]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        logged.query("DELETE FROM sqlmig.sqlmig_audit")


def test_the_audit_commands_choices_are_the_ledgers_actions(project):
    """`sqlmig audit --action` offers exactly the actions the ledger's CHECK allows."""
    from sqlmig.cli.governance import audit as audit_cmd
    from sqlmig.core import audit

    project.add(1, "a", "CREATE TABLE a (id int);")
    project.apply()
    check = project.scalar(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conname = 'sqlmig_audit_action_check'")
    in_ledger = set(re.findall(r"'([a-z-]+)'::text", check))
    option = next(p for p in audit_cmd.params if p.name == "action")
    assert set(option.type.choices) == set(audit.ACTIONS) == in_ledger
