"""``sqlmig init``, ``sqlmig create`` and ``sqlmig drop`` against the real server.

The oracle for create/drop is the server's own catalog (pg_database), read on
a separate connection to the maintenance database.
"""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

import sqlmig
from sqlmig import api
from sqlmig.cli.main import cli
from sqlmig.governance.settings import PolicySettings


def run(*args: str, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(cli, list(args), env=env)


def tree(root: Path) -> list[tuple[str, bytes]]:
    return sorted((str(p.relative_to(root)), p.read_bytes() if p.is_file() else b"")
                  for p in root.rglob("*"))


# -- init ------------------------------------------------------------------------------


def test_init_writes_a_project_that_loads(tmp_path):
    root = tmp_path / "shop"
    result = run("init", str(root))
    assert result.exit_code == 0, result.output
    for rel in ("config/dev.yaml", "config/production.yaml", "sql/manifest.sha256",
                "sql/migrations/.gitkeep", "sql/rollbacks/.gitkeep", "sql/checks/.gitkeep"):
        assert (root / rel).is_file(), rel
    assert (root / ".gitignore").read_text().splitlines() == [".sqlmig/", "backups/"]
    assert "database_url: ${DATABASE_URL:-embedded}" in (root / "config" / "dev.yaml").read_text()
    assert api.config(root, "dev").database_url == "embedded"
    assert sqlmig.check_manifest(root).ok
    assert api.new("create users", root).version == 1


def test_init_production_is_strict(tmp_path, monkeypatch):
    root = tmp_path / "shop"
    api.init(root)
    monkeypatch.setenv("PRODUCTION_DATABASE_URL", "postgresql://db.example/shop")
    cfg = api.config(root, "production")
    policy = PolicySettings.of(cfg)
    assert (policy.auto_apply, policy.approval, policy.backup) == (False, "required", "required")
    assert policy.maintenance_window and policy.require_clean_git


def test_init_refuses_an_existing_project_and_writes_nothing(tmp_path):
    root = tmp_path / "shop"
    (root / "sql").mkdir(parents=True)
    (root / "notes.txt").write_text("mine\n")
    before = tree(root)
    result = run("init", str(root))
    assert result.exit_code == 2, result.output
    assert "already a sqlmig project" in result.output and "Traceback" not in result.output
    assert tree(root) == before


def test_init_adds_to_an_existing_gitignore(tmp_path):
    (tmp_path / ".gitignore").write_text("node_modules/\nbackups/")
    api.init(tmp_path)
    assert (tmp_path / ".gitignore").read_text() == "node_modules/\nbackups/\n.sqlmig/\n"


def test_no_project_found_suggests_init(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("status")
    assert result.exit_code == 2 and "sqlmig init" in result.output


# -- create and drop -------------------------------------------------------------------


@pytest.fixture
def fresh(tmp_path, pg_server):
    """A project whose dev database does not exist yet; dropped afterwards."""
    name = f"sqlmig_t_{uuid.uuid4().hex[:10]}"
    root = tmp_path / "proj"
    api.init(root)
    (root / "config" / "dev.yaml").write_text(f"database_url: '{pg_server.url(name)}'\n")
    yield root, name
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def exists(pg_server, name: str) -> bool:
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                            (name,)).fetchone() == (1,)


def test_create_then_already_exists_then_drop(fresh, pg_server):
    root, name = fresh
    first = run("create", "--project", str(root))
    assert first.exit_code == 0 and f'created database "{name}"' in first.output
    assert exists(pg_server, name)
    again = run("create", "--project", str(root))
    assert again.exit_code == 0 and "already exists" in again.output
    gone = run("drop", "--yes", "--project", str(root))
    assert gone.exit_code == 0, gone.output
    assert not exists(pg_server, name)


def test_create_quotes_the_name(tmp_path, pg_server):
    name = f"Sqlmig T {uuid.uuid4().hex[:6]}; x"
    root = tmp_path / "proj"
    api.init(root)
    (root / "config" / "dev.yaml").write_text(f"database_url: \"{pg_server.url(name)}\"\n")
    try:
        assert api.create_database(root).outcome == "created"
        assert exists(pg_server, name)
    finally:
        with psycopg.connect(pg_server.url("postgres"), autocommit=True) as conn:
            conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {}").format(
                psycopg.sql.Identifier(name)))


def test_drop_needs_yes(fresh, pg_server):
    root, name = fresh
    api.create_database(root)
    result = run("drop", "--project", str(root))
    assert result.exit_code == 3 and "--yes" in result.output
    assert exists(pg_server, name)


@pytest.mark.parametrize("env,extra", [
    ("production", ""), ("staging", ""), ("prod", ""),
    ("guarded", "auto_apply: false\n"), ("guarded", "approval: required\n"),
    ("guarded", "backup: required\n"),
    ("guarded", "maintenance_window:\n  - Sun 02:00-04:00 UTC\n"),
])
def test_drop_is_refused_outside_development(fresh, pg_server, env, extra):
    root, name = fresh
    url = (root / "config" / "dev.yaml").read_text()
    (root / "config" / f"{env}.yaml").write_text(url + extra)
    api.create_database(root)
    result = run("drop", "--yes", "--env", env, "--project", str(root))
    assert result.exit_code == 3, result.output
    assert "not a development environment" in result.output
    assert exists(pg_server, name)


@pytest.mark.parametrize("system", ["postgres", "template0", "template1"])
def test_drop_refuses_the_servers_own_databases(tmp_path, pg_server, system):
    root = tmp_path / "proj"
    api.init(root)
    result = run("drop", "--yes", "--project", str(root),
                 "--database-url", pg_server.url(system))
    assert result.exit_code == 3 and "server's own databases" in result.output
    assert exists(pg_server, system)


def test_drop_refuses_while_another_session_is_connected(fresh, pg_server):
    root, name = fresh
    api.create_database(root)
    with psycopg.connect(pg_server.url(name), application_name="the_app"):
        result = run("drop", "--yes", "--project", str(root))
        assert result.exit_code == 3, result.output
        assert "1 other session(s)" in result.output and "the_app" in result.output
        assert exists(pg_server, name)


def test_drop_of_a_missing_database_says_so(fresh):
    root, name = fresh
    result = run("drop", "--yes", "--project", str(root))
    assert result.exit_code == 0 and "does not exist" in result.output


def test_create_is_visible_to_psql(fresh, pg_server):
    root, name = fresh
    api.create_database(root)
    out = subprocess.run(["psql", "-XAtc", "SELECT datname FROM pg_database",
                          pg_server.url("postgres")], capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip(f"psql not usable here: {out.stderr}")
    assert name in out.stdout.split()
