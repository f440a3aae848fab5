"""The everyday loop: ``sqlmig new``, write the SQL, ``sqlmig apply``.

In an environment that applies without review (dev: ``auto_apply: true``, no
approval, no require_clean_git) apply updates the manifest lines of files
edited since ``new`` whose migration the database has not applied, and says
so; anywhere else, and for an applied file anywhere, the mismatch still
refuses (exit 3) and nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest

import sqlmig

CREATE = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n"
DROP = "DROP TABLE users;\n"


def new_and_edit(project, description: str = "create users") -> tuple[Path, Path]:
    r = project.cli("new", description)
    assert r.exit_code == 0, r.output
    name = "0001_" + description.replace(" ", "_") + ".sql"
    up = project.root / "sql" / "migrations" / name
    down = project.root / "sql" / "rollbacks" / name
    up.write_text(up.read_text() + CREATE)
    down.write_text(down.read_text() + DROP)
    return up, down


def test_new_says_the_manifest_needs_rewriting_after_an_edit(project):
    r = project.cli("new", "create users")
    assert r.exit_code == 0, r.output
    assert "`sqlmig manifest`" in r.stdout


def test_apply_in_dev_updates_the_manifest_of_edited_unapplied_files_with_a_notice(project):
    new_and_edit(project)
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert ("notice: manifest.sha256 updated for migrations/0001_create_users.sql, "
            "rollbacks/0001_create_users.sql (edited since sqlmig new); commit it") in r.stderr
    assert project.table_exists("users")
    assert sqlmig.check_manifest(project.root).ok


@pytest.mark.parametrize("policy", [
    "auto_apply: false\n",
    "approval: required\n",
    "require_clean_git: true\n",
])
def test_apply_elsewhere_still_refuses_an_edited_file(project, policy):
    new_and_edit(project)
    manifest = project.root / "sql" / "manifest.sha256"
    before = manifest.read_bytes()
    config = project.root / "config" / "dev.yaml"
    config.write_text(config.read_text() + policy)
    r = project.cli("apply", "--yes")
    assert r.exit_code == 3, r.output
    assert "manifest.sha256 does not match" in r.stderr
    assert "notice:" not in r.stderr
    assert manifest.read_bytes() == before
    assert not project.table_exists("users")


def test_apply_never_rewrites_the_manifest_for_an_applied_file(project):
    up, _ = new_and_edit(project)
    assert project.cli("apply").exit_code == 0
    manifest = project.root / "sql" / "manifest.sha256"
    before = manifest.read_bytes()
    up.write_text(up.read_text() + "ALTER TABLE users ADD COLUMN name text;\n")
    r = project.cli("apply")
    assert r.exit_code == 3, r.output
    assert "changed since the manifest was written: migrations/0001_create_users.sql" in r.stderr
    assert "notice:" not in r.stderr
    assert manifest.read_bytes() == before


def test_an_edited_applied_file_blocks_the_update_of_a_new_one(project):
    up, _ = new_and_edit(project)
    assert project.cli("apply").exit_code == 0
    r = project.cli("new", "second")
    assert r.exit_code == 0, r.output
    second = project.root / "sql" / "migrations" / "0002_second.sql"
    second.write_text(second.read_text() + "CREATE TABLE t2 (id int);\n")
    up.write_text(up.read_text() + "-- edited after it was applied\n")
    r = project.cli("apply")
    assert r.exit_code == 3, r.output
    assert "notice:" not in r.stderr
    assert not project.table_exists("t2")


def test_dry_run_changes_nothing(project):
    new_and_edit(project)
    manifest = project.root / "sql" / "manifest.sha256"
    before = manifest.read_bytes()
    r = project.cli("apply", "--dry-run")
    assert r.exit_code == 3, r.output
    assert manifest.read_bytes() == before
