"""rollback and resolve, and no-transaction migrations."""

from __future__ import annotations

import pytest

import sqlmig


def _three(project):
    for v in (1, 2, 3):
        project.add(v, f"t{v}", f"CREATE TABLE t{v} (id int);", f"DROP TABLE t{v};")


def test_rollback_one_step_by_default(project):
    _three(project)
    project.apply()
    result = project.rollback()
    assert [m.version for m in result.rolled_back] == [3]
    assert (result.from_version, result.to_version) == (3, 2)
    assert project.ledger_versions() == [1, 2]
    assert not project.table_exists("t3") and project.table_exists("t2")


def test_rollback_steps_and_to(project):
    _three(project)
    project.apply()
    r = project.cli("rollback", "--steps", "2")
    assert r.exit_code == 0, r.output
    assert "[1/2] rollback 0003_t3 ... ok" in r.stdout
    assert project.ledger_versions() == [1]
    project.apply()
    project.rollback(to=0)
    assert project.ledger_versions() == []
    assert not any(project.table_exists(f"t{v}") for v in (1, 2, 3))
    history = sqlmig.history(project.root)
    assert [(h.action, h.version) for h in history[:3]] == [("rollback", 1), ("rollback", 2), ("rollback", 3)]


def test_missing_rollback_is_refused_before_anything_runs(project):
    project.add(1, "a", "CREATE TABLE a (id int);", "DROP TABLE a;")
    project.add(2, "b", "CREATE TABLE b (id int);")
    project.add(3, "c", "CREATE TABLE c (id int);", "DROP TABLE c;")
    project.apply()
    r = project.cli("rollback", "--to", "0")
    assert r.exit_code == 3
    assert "0002_b has no rollback file" in r.stderr
    assert project.ledger_versions() == [1, 2, 3]
    assert project.table_exists("c")


@pytest.mark.parametrize("content", ["-- nothing to undo", "", "-- sqlmig: no-transaction\n"],
                         ids=["comment", "zero-bytes", "no-transaction"])
def test_a_rollback_file_with_no_statement_runs_and_removes_the_ledger_row(project, content):
    project.add(1, "t", "CREATE TABLE t (id int);", "DROP TABLE t;")
    project.add(2, "note", "COMMENT ON TABLE t IS 'a note';", content)
    project.add(3, "u", "CREATE TABLE u (id int);", "DROP TABLE u;")
    project.apply()
    r = project.cli("rollback", "--to", "0", "--yes")
    assert r.exit_code == 0, r.output
    assert project.ledger_rows() == []
    assert not project.table_exists("t") and not project.table_exists("u")
    history = sqlmig.history(project.root)
    assert [(h.action, h.version) for h in history[:3]] == [
        ("rollback", 1), ("rollback", 2), ("rollback", 3)]


def test_a_bad_rollback_file_blocks_only_a_rollback_that_reaches_it(project):
    _three(project)
    (project.root / "sql" / "rollbacks" / "0001_t1.sql").write_text("DROP TABLE t1;\nCOMMIT;\n")
    project.write_manifest()
    project.apply()
    r = project.cli("rollback", "--to", "1", "--yes")
    assert r.exit_code == 0, r.output
    assert [row[0] for row in project.ledger_rows()] == [1]
    assert not project.table_exists("t2") and project.table_exists("t1")
    r = project.cli("rollback", "--to", "0", "--yes")
    assert r.exit_code == 2, r.output
    assert "rollbacks/0001_t1.sql:2: top-level COMMIT is not allowed" in r.stderr
    assert [row[0] for row in project.ledger_rows()] == [1]
    assert project.table_exists("t1")


def test_irreversible_migration_is_refused(project):
    project.add(1, "drop_legacy", "-- sqlmig: irreversible drops the legacy data for good\nCREATE TABLE l (id int);",
                "DROP TABLE l;")
    project.apply()
    r = project.cli("rollback")
    assert r.exit_code == 3
    assert "marked irreversible: drops the legacy data for good" in r.stderr
    assert project.table_exists("l")


def test_failing_rollback_leaves_migration_applied(project):
    project.add(1, "a", "CREATE TABLE a (id int);", "DROP TABLE a;\nSELECT 1/0;")
    project.apply()
    r = project.cli("rollback")
    assert r.exit_code == 1
    assert "rollbacks/0001_a.sql:2:" in r.stderr
    assert "Nothing from this file was rolled back." in r.stderr
    assert project.table_exists("a")
    assert project.ledger_versions() == [1]


def test_rollback_refuses_on_checksum_drift(project):
    path = project.add(1, "a", "CREATE TABLE a (id int);", "DROP TABLE a;")
    project.apply()
    path.write_text("CREATE TABLE a (id bigint);")
    project.write_manifest()
    r = project.cli("rollback")
    assert r.exit_code == 3
    assert "changed after it was applied" in r.stderr
    assert project.table_exists("a")


def test_rollback_with_nothing_applied(project):
    _three(project)
    r = project.cli("rollback")
    assert r.exit_code == 0 and "nothing to roll back" in r.stdout


CONCURRENT = """\
-- sqlmig: no-transaction
CREATE TABLE items (id bigint PRIMARY KEY, name text);
SET search_path TO public;
CREATE INDEX CONCURRENTLY items_name_idx ON items (name);
"""


def test_no_transaction_migration_runs_statement_by_statement(project):
    project.add(1, "items", CONCURRENT, "-- sqlmig: no-transaction\nDROP INDEX CONCURRENTLY items_name_idx;\nDROP TABLE items;")
    r = project.cli("apply", "-v")
    assert r.exit_code == 0, r.output
    assert "statement 3/3" in r.stdout
    assert project.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_name_idx'::regclass")
    assert project.query("SELECT status, failed_statement FROM sqlmig.schema_migrations") == [("applied", None)]
    project.rollback()
    assert not project.table_exists("items")
    assert project.ledger_versions() == []


def test_no_transaction_failure_is_recorded_and_blocks_until_resolved(project):
    project.add(1, "half", "-- sqlmig: no-transaction\nCREATE TABLE first (id int);\n"
                           "CREATE INDEX CONCURRENTLY nope_idx ON missing_table (id);\n"
                           "CREATE TABLE third (id int);\n")
    project.add(2, "next", "CREATE TABLE nxt (id int);")
    r = project.cli("apply")
    assert r.exit_code == 1
    assert "migrations/0001_half.sql:3:" in r.stderr
    assert "Statement 2 of 3 failed" in r.stderr
    assert project.table_exists("first") and not project.table_exists("third")
    row = project.query("SELECT status, failed_statement, error FROM sqlmig.schema_migrations")[0]
    assert row[:2] == ("failed", 2) and "missing_table" in row[2]

    r = project.cli("apply")
    assert r.exit_code == 3
    assert "0001_half failed at statement 2" in r.stderr
    assert "sqlmig resolve 1 --as applied|rolled-back" in r.stderr
    assert not project.table_exists("nxt")
    assert project.cli("status").exit_code == 3

    # A human finishes the job by hand, then records it.
    project.query("CREATE TABLE third (id int)")
    r = project.cli("resolve", "1", "--as", "applied")
    assert r.exit_code == 0, r.output
    assert project.query("SELECT status FROM sqlmig.schema_migrations WHERE version = 1") == [("applied",)]
    project.apply()
    assert project.table_exists("nxt")
    actions = [h.action for h in sqlmig.history(project.root)]
    assert actions[:3] == ["apply", "resolve-applied", "failed"]


def test_resolve_as_rolled_back_makes_it_pending_again(project):
    path = project.add(1, "half", "-- sqlmig: no-transaction\nCREATE TABLE first (id int);\nSELECT 1/0;\n")
    with pytest.raises(sqlmig.MigrationFailed):
        project.apply()
    project.query("DROP TABLE first")
    project.cli("resolve", "1", "--as", "rolled-back")
    assert project.ledger_versions() == []
    path.write_text("-- sqlmig: no-transaction\nCREATE TABLE first (id int);\nSELECT 1;\n")
    project.write_manifest()
    project.apply()
    assert project.query("SELECT status FROM sqlmig.schema_migrations") == [("applied",)]


def test_resolve_refuses_a_migration_that_did_not_fail(project):
    project.add(1, "a", "SELECT 1;")
    project.apply()
    r = project.cli("resolve", "1", "--as", "rolled-back")
    assert r.exit_code == 3
    assert "only records the outcome of a failed no-transaction migration" in r.stderr
    assert project.ledger_versions() == [1]


def test_single_transaction_refuses_no_transaction_files(project):
    project.add(1, "a", "-- sqlmig: no-transaction\nCREATE TABLE a (id int);")
    r = project.cli("apply", "--single-transaction")
    assert r.exit_code == 2
    assert "cannot include no-transaction migrations" in r.stderr
    assert not project.table_exists("a")


def test_history_cli_lists_newest_first(project):
    _three(project)
    project.apply()
    project.rollback()
    r = project.cli("history", "--json")
    assert r.exit_code == 0
    import json
    events = json.loads(r.stdout)["result"]
    assert [(e["action"], e["version"]) for e in events] == [
        ("rollback", 3), ("apply", 3), ("apply", 2), ("apply", 1)]


def test_failed_concurrent_index_names_the_invalid_index_left_behind(project):
    project.add(1, "dups", "CREATE TABLE dups (v int);\nINSERT INTO dups VALUES (1), (1);")
    project.add(2, "uniq", "-- sqlmig: no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY dups_v_key ON dups (v);\n")
    r = project.cli("apply")
    assert r.exit_code == 1
    assert "23505" in r.stderr
    assert "INVALID index(es) left behind: public.dups_v_key" in r.stderr
    assert "DROP INDEX CONCURRENTLY" in r.stderr
    assert project.query("SELECT status FROM sqlmig.schema_migrations WHERE version = 2") == [("failed",)]


def test_rollback_dry_run_lists_the_files_it_would_run_and_runs_none(project):
    _three(project)
    project.apply()
    r = project.cli("rollback", "--to", "1", "--dry-run")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["dry run: would roll back from 3 to 1:",
                                     "  rollbacks/0003_t3.sql", "  rollbacks/0002_t2.sql"]
    assert project.ledger_versions() == [1, 2, 3]
