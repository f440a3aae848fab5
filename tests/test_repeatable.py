"""Repeatable migrations (sql/repeatable/*.sql): applied after the versioned ones
whenever their contents change, each in its own transaction with its ledger row."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import sqlmig
from sqlmig.errors import ManifestMismatch, MigrationFailed, MigrationFileError

USERS = "CREATE TABLE users (id bigint PRIMARY KEY, email text, active boolean NOT NULL DEFAULT true);"
VIEW = "CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE active;\n"
VIEW_V2 = "CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE active AND email IS NOT NULL;\n"


def _rep(project, name: str, sql: str, *, manifest: bool = True) -> Path:
    path = project.root / "sql" / "repeatable" / f"{name}.sql"
    path.parent.mkdir(exist_ok=True)
    path.write_text(sql, encoding="utf-8")
    if manifest:
        project.write_manifest()
    return path


def _viewdef(project, name: str = "active_users") -> str | None:
    return project.scalar("SELECT pg_get_viewdef(to_regclass(%s))", (name,))


def _strict(project) -> None:
    """An environment that does not update the manifest by itself (not auto_apply)."""
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nauto_apply: false\n")


def _row(project, name: str):
    return project.query("SELECT checksum, applied_at, applied_by = session_user, execution_ms "
                         "FROM sqlmig.sqlmig_repeatables WHERE name = %s", (name,))


def test_runs_after_the_versioned_migrations_and_again_when_edited(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "views", VIEW)
    result = project.apply()
    assert [m.name for m in result.applied] == ["0001_users"]
    assert [r.file for r in result.repeatables] == ["repeatable/views.sql"]
    assert "email IS NOT NULL" not in _viewdef(project)
    # the view reads a table of the same run's migration: it ran after it
    first = _row(project, "views")
    assert first[0][0] == sqlmig.Project(project.root).repeatables[0].file.checksum
    assert first[0][2] is True

    _rep(project, "views", VIEW_V2)
    again = project.apply()
    assert again.applied == [] and [r.name for r in again.repeatables] == ["views"]
    assert "email IS NOT NULL" in _viewdef(project)
    assert _row(project, "views")[0][0] != first[0][0]
    assert project.scalar("SELECT count(*) FROM sqlmig.sqlmig_repeatable_history "
                          "WHERE name = 'views' AND action = 'apply'") == 2
    # the manifest lists the repeatable, and sha256sum agrees with it
    manifest = (project.root / "sql" / "manifest.sha256").read_text()
    assert "  repeatable/views.sql\n" in manifest
    check = subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=project.root / "sql",
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_an_unchanged_repeatable_is_not_run_again(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "views", VIEW)
    project.apply()
    before = _row(project, "views")
    result = project.apply()
    assert result.repeatables == [] and result.planned_repeatables == []
    assert _row(project, "views") == before
    assert project.scalar("SELECT count(*) FROM sqlmig.sqlmig_repeatable_history") == 1


def test_a_failing_repeatable_rolls_back_only_itself(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "a_views", VIEW)
    _rep(project, "b_broken", "CREATE OR REPLACE VIEW half AS SELECT 1 AS one;\n\n"
                              "SELECT no_such_column FROM users;\n")
    with pytest.raises(MigrationFailed) as caught:
        project.apply()
    exc = caught.value
    assert exc.line == 3 and str(exc.path).endswith("repeatable/b_broken.sql")
    assert "repeatable/b_broken.sql:3:" in exc.message
    assert [m.version for m in exc.applied] == [1]
    assert project.ledger_versions() == [1]
    assert _viewdef(project) is not None  # the repeatable before it stays applied
    assert project.scalar("SELECT to_regclass('half')") is None  # nothing of the failing one
    names = [r[0] for r in project.query("SELECT name FROM sqlmig.sqlmig_repeatables")]
    assert names == ["a_views"]


def test_a_failing_repeatable_reports_file_and_line_on_the_cli(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "broken", "-- a view\nSELECT no_such_column FROM users;\n")
    result = project.cli("apply")
    assert result.exit_code == 1
    assert "repeatable/broken.sql:2:" in result.stderr
    assert "Traceback" not in result.stderr
    assert project.ledger_versions() == [1]


def test_status_plan_and_dry_run_list_them(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "views", VIEW)
    st = project.status()
    assert [(s.name, s.state) for s in st.repeatables] == [("views", "new")]
    assert sqlmig.plan(project.root).repeatables[0].file.relpath == "repeatable/views.sql"
    dry = project.apply(dry_run=True)
    assert dry.planned_repeatables == ["repeatable/views.sql"]
    assert project.scalar("SELECT to_regclass('active_users')") is None
    out = project.cli("status")
    assert "repeatable/views.sql" in out.stdout and "new" in out.stdout
    plan = project.cli("plan", "--json")
    data = json.loads(plan.stdout)["result"]
    assert [r["file"] for r in data["repeatables"]] == ["repeatable/views.sql"]
    dry_out = project.cli("apply", "--dry-run").stdout
    assert "then would run 1 repeatable:\n  repeatable/views.sql" in dry_out
    envelope = json.loads(project.cli("apply", "--dry-run", "--json").stdout)
    assert envelope["result"]["planned_repeatables"] == ["repeatable/views.sql"]

    project.apply()
    assert [(s.name, s.state) for s in project.status().repeatables] == [("views", "current")]
    _rep(project, "views", VIEW_V2)
    assert [(s.name, s.state) for s in project.status().repeatables] == [("views", "changed")]
    (project.root / "sql" / "repeatable" / "views.sql").unlink()
    project.write_manifest()
    assert [(s.name, s.state) for s in project.status().repeatables] == [("views", "removed")]


def test_apply_to_below_the_newest_runs_no_repeatable(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    project.add(2, "more", "ALTER TABLE users ADD COLUMN name text;",
                "ALTER TABLE users DROP COLUMN name;")
    _rep(project, "views", VIEW)
    assert project.apply(to=1).repeatables == []
    assert [r.name for r in project.apply().repeatables] == ["views"]


def test_no_transaction_is_refused_before_anything_runs(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "idx", "-- sqlmig: no-transaction\nCREATE INDEX CONCURRENTLY i ON users (id);\n")
    with pytest.raises(MigrationFileError) as caught:
        project.apply()
    assert "repeatable/idx.sql:1:" in caught.value.message
    assert project.ledger_versions() == []
    assert [p.kind for p in project.status().problems] == ["invalid"]


def test_an_edited_repeatable_without_sqlmig_manifest_is_refused(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "views", VIEW)
    _strict(project)
    project.apply(yes=True)
    _rep(project, "views", VIEW_V2, manifest=False)
    with pytest.raises(ManifestMismatch) as caught:
        project.apply(yes=True)
    assert "changed since the manifest was written: repeatable/views.sql" in caught.value.problems
    assert "email IS NOT NULL" not in _viewdef(project)
    # a new repeatable not in the manifest is refused too
    _rep(project, "views", VIEW, manifest=False)
    _rep(project, "extra", "SELECT 1;\n", manifest=False)
    with pytest.raises(ManifestMismatch) as caught:
        project.apply(yes=True)
    assert "not in the manifest: repeatable/extra.sql" in caught.value.problems


def test_rollback_leaves_repeatables_alone(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    project.add(2, "more", "CREATE TABLE t (id int);", "DROP TABLE t;")
    _rep(project, "views", VIEW)
    project.apply()
    before = _row(project, "views")
    project.rollback()
    assert project.ledger_versions() == [1]
    assert _row(project, "views") == before and _viewdef(project) is not None


def test_new_repeatable_creates_the_file_and_the_manifest_line(project):
    result = project.cli("new", "--repeatable", "user views")
    assert result.exit_code == 0, result.stderr
    path = project.root / "sql" / "repeatable" / "user_views.sql"
    assert path.is_file()
    assert "repeatable/user_views.sql" in (project.root / "sql" / "manifest.sha256").read_text()
    again = project.cli("new", "--repeatable", "user views")
    assert again.exit_code == 2 and "already exists" in again.stderr


@pytest.mark.parametrize("name", ["Views.sql", "views.SQL", "my-views.sql"])
def test_a_bad_file_name_is_refused(project, name):
    directory = project.root / "sql" / "repeatable"
    directory.mkdir()
    (directory / name).write_text("SELECT 1;\n")
    result = project.cli("status")
    assert result.exit_code == 2
    assert f"repeatable/{name}: bad file name" in result.stderr


def test_json_results_match_the_shipped_schema(project):
    validator = _validator()
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "views", VIEW)
    runs = [("plan", "--json"), ("status", "--json"), ("apply", "--dry-run", "--json"),
            ("apply", "--json"), ("status", "--json"), ("new", "--repeatable", "more", "--json")]
    docs = {}
    for args in runs:
        result = project.cli(*args)
        doc = json.loads(result.stdout)
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]
        assert not errors, (args, errors[:3])
        docs[args] = doc["result"]
    assert docs[("apply", "--json")]["repeatables"][0]["file"] == "repeatable/views.sql"
    assert docs[("status", "--json")]["repeatables"][0]["state"] == "current"
    assert docs[("new", "--repeatable", "more", "--json")]["name"] == "more"


def _validator():
    from importlib import resources

    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(resources.files(
        "sqlmig.cli.render").joinpath("envelope.schema.json").read_text()))


def _verify(project, scratch_server):
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nscratch: '{scratch_server}'\n")
    result = project.cli("verify", "--json")
    errors = [f"{list(e.path)}: {e.message}"
              for e in _validator().iter_errors(json.loads(result.stdout))]
    assert not errors, errors[:3]
    return result


def test_verify_proves_a_repeatable_can_be_applied_twice(project, scratch_server):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "views", VIEW)
    _rep(project, "zz_reference", "CREATE TABLE IF NOT EXISTS kinds (k text PRIMARY KEY);\n"
                                  "INSERT INTO kinds VALUES ('a'), ('b') ON CONFLICT DO NOTHING;\n")
    result = _verify(project, scratch_server)
    assert result.exit_code == 0, result.stdout
    checks = json.loads(result.stdout)["result"]["repeatables"]
    assert [(c["file"], c["status"]) for c in checks] == [
        ("repeatable/views.sql", "pass"), ("repeatable/zz_reference.sql", "pass")]
    assert "PASS repeatable/views.sql applied twice" in project.cli("verify").stdout
    # verify ran on a scratch database: the target is untouched
    assert project.ledger_versions() == []


@pytest.mark.parametrize("sql, expected", [
    ("CREATE TABLE kinds (k text);\n", "second application fails: repeatable/bad.sql:1"),
    ("CREATE TABLE IF NOT EXISTS kinds (k text);\nINSERT INTO kinds VALUES ('a');\n",
     "kinds has 2 rows after the second application, 1 after the first"),
    ("DO $$ BEGIN EXECUTE format('CREATE TABLE t_%s (id int)', "
     "(SELECT count(*) FROM pg_class WHERE relname LIKE 't\\_%')); END $$;\n",
     "appears"),
])
def test_verify_catches_a_repeatable_that_is_not_idempotent(project, scratch_server, sql,
                                                             expected):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "bad", sql)
    result = _verify(project, scratch_server)
    assert result.exit_code == 1, result.stdout
    (check,) = json.loads(result.stdout)["result"]["repeatables"]
    assert check["status"] == "fail"
    assert any(expected in p for p in check["errors"] + check["differences"]), check


def _lint(project):
    return project.cli("lint", "--json")


def _findings(project, rule="versioned-uses-repeatable"):
    result = _lint(project)
    doc = json.loads(result.stdout)["result"]
    return [f for f in doc["findings"] if f["rule"] == rule], doc


def test_lint_warns_about_a_versioned_migration_using_a_repeatables_view(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    project.add(2, "report", "-- uses the view\nCREATE TABLE report AS SELECT * FROM active_users;\n",
                "DROP TABLE report;")
    project.add(3, "grant", "GRANT SELECT ON active_users TO PUBLIC;\n",
                "REVOKE SELECT ON active_users FROM PUBLIC;\n")
    project.add(4, "drop", "DROP VIEW IF EXISTS active_users;\n", "SELECT 1;\n")
    _rep(project, "views", VIEW)
    _rep(project, "funcs", "CREATE OR REPLACE FUNCTION user_count() RETURNS bigint "
                           "LANGUAGE sql AS $$ SELECT count(*) FROM users $$;\n")
    project.add(5, "calls", "SELECT user_count();\n", "SELECT 1;\n")
    found, doc = _findings(project)
    where = sorted((f["path"], f["line"]) for f in found)
    assert where == [("sql/migrations/0002_report.sql", 2), ("sql/migrations/0003_grant.sql", 1),
                     ("sql/migrations/0004_drop.sql", 1), ("sql/migrations/0005_calls.sql", 1)]
    by_file = {f["path"]: f["message"] for f in found}
    assert "only repeatable/views.sql defines" in by_file["sql/migrations/0002_report.sql"]
    assert "stays dropped" in by_file["sql/migrations/0004_drop.sql"]
    assert "repeatable/funcs.sql" in by_file["sql/migrations/0005_calls.sql"]
    assert {"sql/repeatable/views.sql", "sql/repeatable/funcs.sql"} <= set(doc["files"])
    # the oracle for the trap itself: a fresh database fails exactly there
    with pytest.raises(MigrationFailed) as caught:
        project.apply()
    assert "0002_report.sql" in caught.value.message


def test_lint_trap_stays_quiet_on_unrelated_files(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    project.add(2, "other", "CREATE TABLE other (id bigint PRIMARY KEY);\n"
                           "INSERT INTO other SELECT id FROM users;\n", "DROP TABLE other;")
    # a view the versioned migrations create themselves, replaced by the repeatable later
    project.add(3, "view", "CREATE VIEW active_users AS SELECT id, email FROM users;\n"
                           "SELECT * FROM active_users;\n", "DROP VIEW active_users;")
    _rep(project, "views", VIEW)
    assert _findings(project)[0] == []


def test_lint_runs_the_statement_rules_on_repeatables(project):
    project.add(1, "users", USERS, "DROP TABLE users;")
    _rep(project, "cleanup", "DELETE FROM users;\n")
    found, _ = _findings(project, "delete-without-where")
    assert [(f["path"], f["line"]) for f in found] == [("sql/repeatable/cleanup.sql", 1)]


# -- environment policies cover a plan of repeatables only --------------------------------


def test_a_plan_of_repeatables_only_needs_the_confirmation_and_is_audited(project):
    project.add(1, "users", "CREATE TABLE users (id int, active bool);")
    project.apply()
    _strict(project)  # auto_apply: false
    _rep(project, "active_users", "CREATE OR REPLACE VIEW active_users AS"
         " SELECT id FROM users WHERE active;")
    r = project.cli("apply")
    assert r.exit_code == 3 and "not confirmed" in r.stderr, r.output
    assert "0 migrations and 1 repeatable migration to apply" in r.stderr
    assert "repeatable/active_users.sql" in r.stderr
    assert _viewdef(project) is None
    assert project.cli("apply", "--yes").exit_code == 0
    assert _viewdef(project) is not None
    assert project.query("SELECT action, outcome FROM sqlmig.sqlmig_audit"
                         " WHERE action = 'apply' ORDER BY id")[-2:] == [
        ("apply", "refused"), ("apply", "ok")]


def test_an_approval_covers_the_repeatables_of_the_plan(project):
    from sqlmig.governance import approval

    project.add(1, "users", "CREATE TABLE users (id int, active bool);")
    project.apply()
    _rep(project, "active_users", "CREATE OR REPLACE VIEW active_users AS SELECT id FROM users;")
    with sqlmig.Session(project.root) as s:
        first = approval.plan_hash(s.plan())
    _rep(project, "active_users", "CREATE OR REPLACE VIEW active_users AS"
         " SELECT id FROM users WHERE active;")
    with sqlmig.Session(project.root) as s:
        plan = s.plan()
        assert [r.file.relpath for r in plan.repeatables] == ["repeatable/active_users.sql"]
        assert approval.plan_hash(plan) != first
