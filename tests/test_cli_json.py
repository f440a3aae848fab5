"""``--json``: one envelope per invocation, for every command, success or failure.

The oracle is the JSON Schema shipped in the package (draft 2020-12, checked
by ``jsonschema``), not the code that prints the envelope; the database state
is read back with SQL.
"""

from __future__ import annotations

import json
import uuid
from importlib import resources
from typing import Any

import click
import jsonschema
import psycopg
import pytest

import sqlmig

PASSWORD = "s3cret-Pw-9"


@pytest.fixture(scope="session")
def validator() -> jsonschema.protocols.Validator:
    text = resources.files("sqlmig.cli.render").joinpath("envelope.schema.json").read_text()
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    # With the format checker: every "date-time" must be RFC 3339 (ISO 8601
    # with an offset), which needs rfc3339-validator (in the test extra).
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert "date-time" in checker.checkers
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def envelope(result: Any, validator: Any, command: str) -> dict[str, Any]:
    """The one JSON object on stdout, valid against the schema, whose exit code
    is the process's."""
    doc = json.loads(result.stdout)  # fails on anything but exactly one JSON value
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    assert doc["command"] == command
    assert doc["exit_code"] == result.exit_code
    assert doc["ok"] is (result.exit_code == 0)
    assert doc["sqlmig"] == sqlmig.__version__ and doc["schema"] == 1
    return doc


@pytest.fixture
def applied(project: Any) -> Any:
    project.add(1, "accounts", "CREATE TABLE accounts (id int PRIMARY KEY, email text);\n",
                "DROP TABLE accounts;\n")
    project.add(2, "orders", "CREATE TABLE orders (id int PRIMARY KEY);\n", "DROP TABLE orders;\n")
    project.apply()
    return project


# -- success ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "command"), [
    (["status"], "status"),
    (["plan"], "plan"),
    (["history"], "history"),
    (["apply", "--dry-run"], "apply"),
    (["apply"], "apply"),
    (["rollback", "--dry-run"], "rollback"),
    (["manifest"], "manifest"),
    (["manifest", "--check"], "manifest"),
    (["drift"], "drift"),
    (["snapshot"], "snapshot"),
    (["snapshot", "--out", "schema.json"], "snapshot"),
    (["lint"], "lint"),
    (["lint", "--explain", "drop-table"], "lint"),
    (["check", "--builtin", "--only", "builtin/tables_without_primary_key"], "check"),
    (["check", "--history"], "check"),
    (["audit"], "audit"),
    (["approvals"], "approvals"),
    (["docs", "--out", "d"], "docs"),
    (["new", "add things"], "new"),
])
def test_every_command_prints_one_valid_envelope(applied, validator, args, command):
    r = applied.cli(*args, "--json")
    doc = envelope(r, validator, command)
    assert r.exit_code == 0, r.stderr
    assert doc["error"] is None and doc["result"] is not None


def test_rollback_and_history_results(applied, validator):
    doc = envelope(applied.cli("rollback", "--json"), validator, "rollback")
    assert [m["version"] for m in doc["result"]["rolled_back"]] == [2]
    doc = envelope(applied.cli("history", "--json"), validator, "history")
    assert [(e["action"], e["version"]) for e in doc["result"]][:2] == [("rollback", 2),
                                                                      ("apply", 2)]


def test_resolve_verify_and_server_status(applied, validator):
    doc = envelope(applied.cli("verify", "--json"), validator, "verify")
    assert doc["ok"] and {c["status"] for c in doc["result"]["checks"]} == {"pass"}
    doc = envelope(applied.cli("server", "status", "--json"), validator, "server status")
    assert doc["exit_code"] == 3 and doc["result"]["running"] is False and doc["error"] is None


def test_backup_and_restore_into_a_new_database(applied, validator, pg_server):
    doc = envelope(applied.cli("backup", "--json"), validator, "backup")
    assert doc["ok"], applied.cli("backup").stderr
    target = f"sqlmig_t_{uuid.uuid4().hex[:12]}"
    try:
        r = applied.cli("restore", doc["result"]["file"], "--into", target, "--json")
        doc = envelope(r, validator, "restore")
        assert doc["ok"] and doc["result"]["into_new_database"] is True
    finally:
        with psycopg.connect(pg_server.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}"')


# -- failures ----------------------------------------------------------------------------------


def test_a_failing_migration_is_an_error_envelope_and_leaves_nothing(applied, validator):
    applied.add(3, "broken", "CREATE TABLE tmp_x (id int);\nSELECT nope FROM tmp_x;\n",
                "DROP TABLE tmp_x;\n")
    r = applied.cli("apply", "--json")
    doc = envelope(r, validator, "apply")
    assert r.exit_code == 1 and doc["result"] is None
    err = doc["error"]
    assert err["type"] == "MigrationFailed" and "DatabaseError" in err["types"]
    assert (err["sqlstate"], err["line"], err["version"]) == ("42703", 2, 3)
    assert err["file"].endswith("0003_broken.sql")
    assert "error:" in r.stderr  # the human line stays on stderr
    assert applied.ledger_versions() == [1, 2] and not applied.table_exists("tmp_x")


def test_applied_before_the_failure_are_listed(project, validator):
    project.add(1, "ok", "CREATE TABLE ok (id int);\n", "DROP TABLE ok;\n")
    project.add(2, "bad", "SELECT 1/0;\n", "SELECT 1;\n")
    doc = envelope(project.cli("apply", "--json"), validator, "apply")
    assert [m["version"] for m in doc["error"]["applied"]] == [1]
    assert doc["error"]["sqlstate"] == "22012"


def test_a_bad_config_key_is_exit_2_with_the_file(applied, validator):
    (applied.root / "config" / "typo.yaml").write_text(f"database_urll: '{applied.url}'\n")
    r = applied.cli("status", "--env", "typo", "--json")
    doc = envelope(r, validator, "status")
    assert r.exit_code == 2 and doc["error"]["type"] == "ConfigError"
    assert "database_urll" in doc["error"]["message"]
    assert doc["error"]["file"].endswith("typo.yaml")


@pytest.mark.parametrize("command", ["status", "apply", "drift", "audit", "history"])
def test_a_connection_failure_never_shows_the_password(applied, validator, command):
    url = f"postgresql://someone:{PASSWORD}@127.0.0.1:1/nowhere"
    r = applied.cli(command, "--database-url", url, "--json")
    doc = envelope(r, validator, command)
    assert r.exit_code == 2 and doc["error"]["type"] == "ConnectionFailed"
    assert "ConfigError" in doc["error"]["types"]
    assert PASSWORD not in r.stdout and PASSWORD not in r.stderr
    assert "someone:***@" in doc["error"]["message"]


def test_a_password_in_a_result_is_redacted(project, validator):
    project.add(1, "role", f"CREATE ROLE r_{uuid.uuid4().hex[:8]} PASSWORD '{PASSWORD}';\n")
    r = project.cli("plan", "--json")
    doc = envelope(r, validator, "plan")
    assert PASSWORD not in r.stdout and "'***'" in doc["result"]["steps"][0]["sql"]


def test_lint_findings_exit_1_with_the_findings(project, validator):
    project.add(1, "drop", "DROP TABLE accounts;\n")
    for args in (["--json"], ["--format", "json"]):  # --format json is the same envelope
        r = project.cli("lint", *args)
        doc = envelope(r, validator, "lint")
        assert r.exit_code == 1 and doc["error"] is None
        assert doc["result"]["summary"]["errors"] >= 1
        assert "drop-table" in {f["rule"] for f in doc["result"]["findings"]}


def test_a_failing_check_exits_1_with_its_report(applied, validator):
    checks = applied.root / "sql" / "checks"
    checks.mkdir()
    (checks / "bad.sql").write_text("SELECT 'FAIL' AS status, 'x' AS name, 'broken' AS detail")
    docs = []
    for args in (["--json"], ["--format", "json"]):
        r = applied.cli("check", *args)
        docs.append(envelope(r, validator, "check"))
        assert r.exit_code == 1
    assert docs[0]["result"]["summary"]["FAIL"] == 1 and docs[0]["result"]["ok"] is False
    assert docs[0].keys() == docs[1].keys()


def test_status_problems_and_drift_are_results_with_exit_3(applied, validator):
    applied.query("CREATE TABLE by_hand (id int)")
    doc = envelope(applied.cli("drift", "--json"), validator, "drift")
    assert doc["exit_code"] == 3 and doc["error"] is None and doc["result"]["differences"]
    applied.add(1, "accounts", "CREATE TABLE accounts (id bigint PRIMARY KEY);\n")  # edited
    doc = envelope(applied.cli("status", "--json"), validator, "status")
    assert doc["exit_code"] == 3 and doc["result"]["problems"]


def test_a_check_that_fails_carries_result_and_error(applied, validator):
    assert applied.cli("snapshot", "--out", "s.json").exit_code == 0
    applied.query("CREATE TABLE by_hand (id int)")
    doc = envelope(applied.cli("snapshot", "--out", "s.json", "--check", "--json"), validator,
                   "snapshot")
    assert doc["exit_code"] == 1 and doc["error"]["type"] == "CheckFailed"
    assert doc["result"]["differences"] == ["table by_hand is not in the committed snapshot"]


def test_a_manifest_mismatch_lists_its_problems(applied, validator):
    applied.add(3, "later", "CREATE TABLE later (id int);\n", manifest=False)
    doc = envelope(applied.cli("manifest", "--check", "--json"), validator, "manifest")
    assert doc["exit_code"] == 3 and doc["error"]["type"] == "ManifestMismatch"
    assert "SafetyRefusal" in doc["error"]["types"] and doc["error"]["problems"]
    assert doc["result"]["ok"] is False


def test_a_usage_error_is_an_envelope_too(applied, validator):
    r = applied.cli("status", "--jobs", "2", "--json")
    doc = envelope(r, validator, "status")
    assert r.exit_code == 2 and doc["error"]["type"] == "UsageError"
    assert "Usage:" in r.stderr


def test_policy_refusal_and_approval_requests(applied, validator):
    (applied.root / "config" / "prod.yaml").write_text(
        f"database_url: '{applied.url}'\napproval: required\n")
    applied.add(3, "more", "CREATE TABLE more (id int);\n", "DROP TABLE more;\n")
    doc = envelope(applied.cli("apply", "--env", "prod", "--yes", "--json"), validator, "apply")
    assert doc["exit_code"] == 3 and doc["error"]["type"] == "PolicyRefusal"
    assert doc["error"]["policy"] == "approval"
    req = envelope(applied.cli("request", "--env", "prod", "--json"), validator, "request")
    assert req["ok"] and req["result"]["state"] == "pending"
    doc = envelope(applied.cli("approve", str(req["result"]["id"]), "--env", "prod", "--json"),
                   validator, "approve")
    assert doc["exit_code"] == 3 and doc["error"]["policy"] == "four_eyes"
    doc = envelope(applied.cli("approvals", "--env", "prod", "--json"), validator, "approvals")
    assert [r["id"] for r in doc["result"]] == [req["result"]["id"]]
    doc = envelope(applied.cli("reject", str(req["result"]["id"]), "--env", "prod", "--json"),
                   validator, "reject")
    assert doc["ok"] and doc["result"]["state"] == "rejected"


# -- fleets --------------------------------------------------------------------------------------


def test_fleet_status_apply_and_check(project, validator):
    names = ["t1", "t2"]
    project.query("; ".join(f"CREATE SCHEMA {n}" for n in names))
    (project.root / "config" / "fleet.yaml").write_text(
        f"database_url: '{project.url}'\ntargets_schemas: [{', '.join(names)}]\n")
    project.add(1, "things", "CREATE TABLE things (id int PRIMARY KEY);\n")
    doc = envelope(project.cli("apply", "--env", "fleet", "--json"), validator, "apply")
    assert doc["ok"] and [t["outcome"] for t in doc["result"]["targets"]] == ["applied"] * 2
    doc = envelope(project.cli("status", "--env", "fleet", "--json"), validator, "status")
    assert doc["ok"] and doc["result"]["versions"] == {"1": 2}
    checks = project.root / "sql" / "checks"
    checks.mkdir()
    (checks / "ok.sql").write_text("SELECT 'PASS' AS status, 'x' AS name, '' AS detail")
    doc = envelope(project.cli("check", "--env", "fleet", "--json"), validator, "check")
    assert doc["ok"] and len(doc["result"]["targets"]) == 2


def test_the_schema_names_every_command_that_takes_json(validator):
    """A new command with --json must get a result schema (and a line here)."""
    from sqlmig.cli.main import cli

    def walk(group: Any, prefix: str = "") -> list[str]:
        found = []
        ctx = click.Context(group)  # the group loads its commands' modules on demand
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            if hasattr(cmd, "commands"):
                found += walk(cmd, f"{prefix}{name} ")
            elif any(p.name == "as_json" for p in cmd.params):
                found.append(prefix + name)
        return found

    known = set(validator.schema["properties"]["command"]["enum"])
    assert set(walk(cli)) == known


def test_a_password_in_failing_sql_is_redacted_everywhere(project, validator):
    role = f"r_{uuid.uuid4().hex[:8]}"
    project.add(1, "role", f"CREATE ROLE {role} PASSWORD '{PASSWORD}';\nSELECT 1/0;\n")
    r = project.cli("apply", "--json")
    doc = envelope(r, validator, "apply")
    assert doc["error"]["sqlstate"] == "22012"
    assert PASSWORD not in r.stdout and PASSWORD not in r.stderr
    r = project.cli("history", "--json")
    assert PASSWORD not in r.stdout


def test_a_password_in_a_check_result_is_redacted(applied, validator):
    """Results carry text from the database itself; the envelope redacts every string."""
    checks = applied.root / "sql" / "checks"
    checks.mkdir()
    (checks / "url.sql").write_text(f"SELECT 'PASS' AS status, 'replica' AS name, "
                                    f"'postgresql://app:{PASSWORD}@replica/db' AS detail")
    r = applied.cli("check", "--json")
    doc = envelope(r, validator, "check")
    assert PASSWORD not in r.stdout
    assert doc["result"]["results"][0]["detail"] == "postgresql://app:***@replica/db"
