"""Files, manifest and config: refused before any SQL runs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import sqlmig
from sqlmig.core.sqltext import split_statements


def test_manifest_is_verifiable_with_sha256sum(project):
    project.add(1, "create_users", "CREATE TABLE users (id bigint PRIMARY KEY);", "DROP TABLE users;")
    project.add(2, "add_email", "ALTER TABLE users ADD COLUMN email text;")
    text = (project.root / "sql" / "manifest.sha256").read_text()
    assert [line.split("  ")[1] for line in text.splitlines()] == [
        "migrations/0001_create_users.sql",
        "migrations/0002_add_email.sql",
        "rollbacks/0001_create_users.sql",
    ]
    proc = subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=project.root / "sql",
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_manifest_check_names_missing_extra_and_changed_files(project):
    project.add(1, "a", "SELECT 1;", "SELECT 1;")
    project.add(2, "b", "SELECT 2;")
    (project.root / "sql" / "migrations" / "0001_a.sql").write_text("SELECT 11;")
    (project.root / "sql" / "rollbacks" / "0001_a.sql").unlink()
    project.add(3, "c", "SELECT 3;", manifest=False)
    r = project.cli("manifest", "--check")
    assert r.exit_code == 3
    assert "changed since the manifest was written: migrations/0001_a.sql" in r.stderr
    assert "listed in the manifest but missing: rollbacks/0001_a.sql" in r.stderr
    assert "not in the manifest: migrations/0003_c.sql" in r.stderr


def test_manifest_tampering_refuses_apply_and_changes_nothing(project):
    project.add(1, "create_t", "CREATE TABLE t (id int);")
    manifest = project.root / "sql" / "manifest.sha256"
    manifest.write_text(manifest.read_text().replace("migrations/0001", "migrations/0009"))
    r = project.cli("apply")
    assert r.exit_code == 3
    assert "manifest.sha256 does not match" in r.stderr
    assert not project.table_exists("t")
    assert not project.table_exists("schema_migrations")


def test_new_creates_next_numbered_pair_and_updates_manifest(project):
    project.add(7, "first", "SELECT 1;", "SELECT 1;")
    r = project.cli("new", "Add user profiles!")
    assert r.exit_code == 0, r.output
    up = project.root / "sql" / "migrations" / "0008_add_user_profiles.sql"
    down = project.root / "sql" / "rollbacks" / "0008_add_user_profiles.sql"
    assert up.exists() and down.exists()
    assert sqlmig.check_manifest(project.root).ok
    # The new file is a header only: apply refuses it until SQL is written.
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "0008_add_user_profiles.sql: the file contains no SQL statement" in r.stderr


def test_new_refuses_when_manifest_already_mismatched(project):
    project.add(1, "a", "SELECT 1;")
    (project.root / "sql" / "migrations" / "0001_a.sql").write_text("SELECT 2;")
    r = project.cli("new", "next")
    assert r.exit_code == 3
    assert not (project.root / "sql" / "migrations" / "0002_next.sql").exists()


@pytest.mark.parametrize(
    "name",
    ["1_short.sql", "0001-dash.sql", "0001_Upper.sql", "abcd_x.sql", "0001_.sql"],
)
def test_badly_named_files_are_refused(project, name):
    (project.root / "sql" / "migrations" / name).write_text("SELECT 1;")
    r = project.cli("status")
    assert r.exit_code == 2
    assert f"migrations/{name}: bad file name" in r.stderr
    assert "NNNN_slug.sql" in r.stderr


def test_duplicate_versions_are_refused(project):
    project.add(1, "one", "SELECT 1;", manifest=False)
    project.add(1, "uno", "SELECT 1;", manifest=False)
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "version 1 is also used by" in r.stderr
    assert not project.table_exists("schema_migrations")


def test_rollback_without_migration_is_refused(project):
    (project.root / "sql" / "rollbacks" / "0004_ghost.sql").write_text("SELECT 1;")
    r = project.cli("status")
    assert r.exit_code == 2
    assert "rollbacks/0004_ghost.sql" in r.stderr


def test_unknown_directive_is_refused_with_line(project):
    project.add(1, "x", "-- create things\n-- sqlmig: no-transacton\nSELECT 1;", manifest=False)
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "0001_x.sql:2: unknown directive `sqlmig: no-transacton`" in r.stderr


def test_irreversible_needs_a_reason(project):
    project.add(1, "x", "-- sqlmig: irreversible\nSELECT 1;", manifest=False)
    r = project.cli("status")
    assert r.exit_code == 2
    assert "needs a reason" in r.stderr


def test_unknown_config_key_is_an_error_naming_file_and_key(project):
    cfg = project.root / "config" / "dev.yaml"
    cfg.write_text(cfg.read_text() + "lock_timout: 5s\n")
    r = project.cli("status")
    assert r.exit_code == 2
    assert "dev.yaml: unknown key `lock_timout`. Did you mean `lock_timeout`?" in r.stderr
    assert "keep_backups" in r.stderr  # every known key is listed, the features' too


@pytest.mark.parametrize("value", ["five seconds", "true", "[1, 2]"])
def test_bad_config_value_is_an_error(project, value):
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nlock_timeout: {value}\n")
    r = project.cli("status")
    assert r.exit_code == 2
    assert "bad value for `lock_timeout`" in r.stderr


def test_config_expands_variables_with_defaults(tmp_path):
    from sqlmig.core import settings as config

    cfg_dir = tmp_path / "config"
    cfg_dir.mkdir()
    (cfg_dir / "dev.yaml").write_text(
        "database_url: ${DATABASE_URL:-embedded}\nschema: ${LEDGER_SCHEMA:-ops}\n")
    c = config.load(cfg_dir, "dev", environ={})
    assert c.database_url == "embedded" and c.embedded and c.schema == "ops"
    c = config.load(cfg_dir, "dev", environ={"DATABASE_URL": "postgresql://h/db"})
    assert c.database_url == "postgresql://h/db"
    (cfg_dir / "staging.yaml").write_text("database_url: ${STAGING_URL}\n")
    with pytest.raises(sqlmig.ConfigError, match=r"staging.yaml: key `database_url` uses \$\{STAGING_URL\}"):
        config.load(cfg_dir, "staging", environ={})


def test_missing_environment_lists_the_known_ones(project):
    r = project.cli("status", "--env", "prod")
    assert r.exit_code == 2
    assert "prod.yaml does not exist (environments: dev)" in r.stderr


def test_split_statements_keeps_bodies_and_offsets():
    text = (
        "-- header\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n"
        "CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + 1;\nEND;\n"
        "COMMENT ON FUNCTION f() IS 'a; b';\n"
    )
    stmts = split_statements(text)
    assert len(stmts) == 3
    assert [s.line for s in stmts] == [2, 7, 11]
    assert text[stmts[2].offset:].startswith("COMMENT ON FUNCTION")


def test_help_does_not_import_heavy_modules():
    code = ("import sys, sqlmig.cli; "
            "print(sorted(m for m in ('psycopg', 'sqlparse', 'yaml') if m in sys.modules))")
    out = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[]"


def test_public_api_is_deliberate():
    assert sqlmig.__all__ == sorted(sqlmig.__all__)
    for name in sqlmig.__all__:
        assert getattr(sqlmig, name) is not None
    assert issubclass(sqlmig.MigrationFailed, sqlmig.SqlmigError)
    assert sqlmig.SafetyRefusal.exit_code == 3
    assert sqlmig.ConfigError.exit_code == 2


def test_public_names_survive_importing_every_submodule():
    """A submodule named like a public function would replace it on the package
    (Python binds ``sqlmig.<submodule>`` when it is imported): keep names apart."""
    import importlib
    import pkgutil
    import types

    for info in pkgutil.walk_packages(sqlmig.__path__, "sqlmig."):
        if info.name != "sqlmig.adapters.pytest_plugin":
            importlib.import_module(info.name)
    clobbered = [n for n in sqlmig.__all__ if isinstance(getattr(sqlmig, n), types.ModuleType)]
    assert clobbered == []


def test_every_command_has_help_and_is_in_the_readme():
    import click

    from sqlmig.cli.main import cli

    readme = (Path(__file__).parent.parent / "README.md").read_text()

    def walk(group: click.Group, prefix: str):
        for name, cmd in group.commands.items():
            full = f"{prefix} {name}".strip()
            yield full, cmd
            if isinstance(cmd, click.Group):
                yield from walk(cmd, full)

    for full, cmd in walk(cli, ""):
        assert (cmd.help or "").strip(), f"`sqlmig {full}` has no help text"
        assert f"sqlmig {full}" in readme, f"`sqlmig {full}` is not documented in README.md"


def test_database_url_option_overrides_an_unset_variable_in_the_config(project):
    (project.root / "config" / "staging.yaml").write_text(
        "database_url: ${SQLMIG_TEST_UNSET_URL}\nlock_timeout: 5s\n")
    r = project.cli("status", "--env", "staging", "--database-url", project.url)
    assert r.exit_code == 0, r.output
    r = project.cli("status", "--env", "staging")
    assert r.exit_code == 2 and "SQLMIG_TEST_UNSET_URL" in r.stderr
