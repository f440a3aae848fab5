"""`sqlmig drift` and `refuse_on_drift`: hand-made changes in a live database."""

from __future__ import annotations

import json

import pytest
from conftest import scratch_databases as shared_scratch_databases
# Replays go to the session's scratch server (`scratch: auto`), not the target's.

BASE = """CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                          email text NOT NULL, role text NOT NULL DEFAULT 'guest');
"""


@pytest.fixture
def applied(project):
    project.add(1, "users", BASE, "DROP TABLE users;\n")
    project.add(2, "users_email_idx", "CREATE INDEX users_email_idx ON users (email);\n",
                "DROP INDEX users_email_idx;\n")
    project.apply()
    return project


def scratch_databases(project, scratch_server: str) -> list[str]:
    return shared_scratch_databases(project, scratch_server, "drift")


def test_no_drift_exits_0(applied, scratch_server):
    result = applied.cli("drift")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("no drift: dev matches its 2 applied migrations (version 2)")
    assert scratch_databases(applied, scratch_server) == []


def test_manual_alter_table_is_reported_with_exit_3(applied, scratch_server):
    applied.query("ALTER TABLE users ADD COLUMN nickname text")
    applied.query("ALTER TABLE users ALTER COLUMN role SET DEFAULT 'admin'")
    applied.query("DROP INDEX users_email_idx")
    result = applied.cli("drift")
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        "drift in dev (version 2): 3 differences from what the applied migrations produce",
        "  default of users.role changed from 'guest'::text to 'admin'::text",
        "  index users_email_idx is missing",
        "  column users.nickname was added (not in the migrations)",
    ]
    data = json.loads(applied.cli("drift", "--json").stdout)["result"]
    assert data["applied"] == [1, 2] and len(data["differences"]) == 3
    assert scratch_databases(applied, scratch_server) == []


def test_only_applied_migrations_are_expected(applied):
    applied.add(3, "pending", "CREATE TABLE pending (id int);\n", "DROP TABLE pending;\n")
    assert applied.cli("drift").exit_code == 0


def test_refuse_on_drift_blocks_apply(applied):
    (applied.root / "config" / "dev.yaml").write_text(
        f"database_url: '{applied.url}'\nrefuse_on_drift: true\n")
    applied.add(3, "settings", "CREATE TABLE settings (key text PRIMARY KEY);\n",
                "DROP TABLE settings;\n")
    applied.query("ALTER TABLE users ADD COLUMN nickname text")
    result = applied.cli("apply")
    assert result.exit_code == 3
    assert "refusing to apply to dev: its schema differs" in result.stderr
    assert "column users.nickname was added (not in the migrations)" in result.stderr
    assert applied.ledger_versions() == [1, 2] and not applied.table_exists("settings")
    # once the hand-made change is undone, apply goes ahead
    applied.query("ALTER TABLE users DROP COLUMN nickname")
    assert applied.cli("apply").exit_code == 0
    assert applied.ledger_versions() == [1, 2, 3]


def test_refuse_on_drift_is_validated(project):
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nrefuse_on_drift: sometimes\n")
    result = project.cli("drift")
    assert result.exit_code == 2
    assert "bad value for `refuse_on_drift`: 'sometimes'; expected true or false" in result.stderr


def test_applied_version_without_file_is_refused(applied):
    (applied.root / "sql" / "migrations" / "0002_users_email_idx.sql").unlink()
    (applied.root / "sql" / "rollbacks" / "0002_users_email_idx.sql").unlink()
    result = applied.cli("drift")
    assert result.exit_code == 3
    assert "applied version(s) 2 have no migration file" in result.stderr
