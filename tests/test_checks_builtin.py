"""`sqlmig check --builtin`: the generic checks shipped in the package."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

import sqlmig

BUILTINS = ["builtin/fk_without_index", "builtin/invalid_indexes", "builtin/ledger_checksums",
            "builtin/not_valid_constraints", "builtin/sequence_exhaustion",
            "builtin/tables_without_primary_key"]


def results(report: sqlmig.CheckReport, check: str) -> list[tuple[str, str]]:
    outcome = next(c for c in report.checks if c.check == check)
    assert outcome.error is None, outcome.error
    return [(r.status, r.name) for r in outcome.results]


def builtin(project: Any, **kw: Any) -> sqlmig.CheckReport:
    return sqlmig.check(project.root, builtin=True, **kw)


def test_a_healthy_database_passes_every_builtin_check(project):
    project.add(1, "base", "CREATE TABLE a (id int PRIMARY KEY);\n"
                "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);\n"
                "CREATE INDEX ON b (a_id);\n")
    project.apply()
    report = builtin(project)
    assert [c.check for c in report.checks] == BUILTINS
    assert [c.status for c in report.checks] == ["PASS"] * len(BUILTINS), report.results


def test_builtin_checks_run_without_project_checks_and_without_a_ledger(project):
    report = builtin(project)
    assert report.ok()
    assert "no ledger" in results_detail(report, "builtin/ledger_checksums")


def results_detail(report: sqlmig.CheckReport, check: str) -> str:
    return next(c for c in report.checks if c.check == check).results[0].detail


def test_foreign_key_without_index_is_a_warning_with_the_fix(project):
    project.query("CREATE TABLE a (id int PRIMARY KEY);"
                  "CREATE TABLE b (id int PRIMARY KEY, a_id int, x int,"
                  " CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a);"
                  "CREATE TABLE c (id int PRIMARY KEY, a_id int REFERENCES a, x int);"
                  "CREATE INDEX ON c (a_id, x);"  # leading column: supported
                  "CREATE TABLE d (id int PRIMARY KEY, a_id int REFERENCES a, x int);"
                  "CREATE INDEX ON d (x, a_id);"  # not leading: unsupported
                  "CREATE TABLE e (id int PRIMARY KEY, a_id int REFERENCES a);"
                  "CREATE INDEX ON e (a_id) WHERE a_id > 0")  # partial: unsupported
    report = builtin(project, only=["builtin/fk_without_index"])
    assert results(report, "builtin/fk_without_index") == [
        ("WARN", "b.b_a_fk"), ("WARN", "d.d_a_id_fkey"), ("WARN", "e.e_a_id_fkey")]
    assert "fix: CREATE INDEX CONCURRENTLY ON b (a_id)" in report.results[0].detail
    assert report.results[0].extra == {"table_name": "b", "referenced_table": "a"}


def test_an_invalid_index_fails(project):
    project.query("CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 1), (2, 1)")
    with psycopg.connect(project.url, autocommit=True) as conn, pytest.raises(psycopg.Error):
        conn.execute("CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v)")
    report = builtin(project, only=["builtin/invalid_indexes"])
    assert results(report, "builtin/invalid_indexes") == [("FAIL", "t_v_key")]
    assert "DROP INDEX CONCURRENTLY t_v_key" in report.results[0].detail
    assert not report.ok()


def test_not_valid_constraints_are_warnings(project):
    project.query("CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE t (id int PRIMARY KEY, v int,"
                  " a_id int); CREATE INDEX ON t (a_id);"
                  "ALTER TABLE t ADD CONSTRAINT v_pos CHECK (v > 0) NOT VALID;"
                  "ALTER TABLE t ADD CONSTRAINT t_a FOREIGN KEY (a_id) REFERENCES a NOT VALID;"
                  "CREATE DOMAIN pos AS int; ALTER DOMAIN pos ADD CONSTRAINT pos_chk CHECK (VALUE > 0)"
                  " NOT VALID")
    report = builtin(project, only=["builtin/not_valid_constraints"])
    assert results(report, "builtin/not_valid_constraints") == [
        ("WARN", "pos.pos_chk"), ("WARN", "t.t_a"), ("WARN", "t.v_pos")]
    assert "ALTER TABLE t VALIDATE CONSTRAINT v_pos" in report.results[2].detail
    assert "ALTER DOMAIN pos VALIDATE CONSTRAINT pos_chk" in report.results[0].detail


def test_tables_without_primary_key_are_warnings_but_not_partitions(project):
    project.query("CREATE TABLE nokey (v int);"
                  "CREATE TABLE keyed (id int PRIMARY KEY);"
                  "CREATE TABLE parted (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);"
                  "CREATE TABLE parted_2025 PARTITION OF parted FOR VALUES FROM ('2025-01-01') TO"
                  " ('2026-01-01');"
                  "CREATE TABLE bare_parted (v int) PARTITION BY LIST (v);"
                  "CREATE TABLE bare_parted_1 PARTITION OF bare_parted FOR VALUES IN (1)")
    report = builtin(project, only=["builtin/tables_without_primary_key"])
    assert results(report, "builtin/tables_without_primary_key") == [
        ("WARN", "bare_parted"), ("WARN", "nokey")]


def test_sequences_close_to_their_limit_warn_then_fail(project):
    project.query(
        "CREATE TABLE small (id serial PRIMARY KEY);"  # integer sequence
        "SELECT setval('small_id_seq', 1717986918);"
        "CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"
        "SELECT setval('ident_id_seq', 2040109465);"
        # a bigint sequence feeding an integer column: the column is the limit
        "CREATE SEQUENCE wide_seq; CREATE TABLE wide (id int PRIMARY KEY DEFAULT nextval('wide_seq'));"
        "ALTER SEQUENCE wide_seq OWNED BY wide.id; SELECT setval('wide_seq', 2000000000);"
        "CREATE SEQUENCE fine_seq; SELECT setval('fine_seq', 1000);"
        "CREATE SEQUENCE cycling MAXVALUE 100 CYCLE; SELECT setval('cycling', 99);"
        "CREATE SEQUENCE down_seq INCREMENT -1 MINVALUE -100 MAXVALUE -1 START -1;"
        " SELECT setval('down_seq', -95)")
    report = builtin(project, only=["builtin/sequence_exhaustion"])
    got = results(report, "builtin/sequence_exhaustion")
    # the most used first: ident 95%, down_seq 94.9%, wide 93.1%, small 80%
    assert got == [("FAIL", "ident_id_seq"), ("FAIL", "down_seq"), ("FAIL", "wide_seq"),
                   ("WARN", "small_id_seq")]
    details = {r.name: r.detail for r in report.results}
    assert "identity column ident.id (integer)" in details["ident_id_seq"]
    assert "ALTER TABLE ident ALTER COLUMN id TYPE bigint" in details["ident_id_seq"]
    assert "the column's type" in details["wide_seq"]
    assert next(r for r in report.results if r.name == "small_id_seq").extra["percent_used"] == 80.0


def test_ledger_checksums_find_changed_and_missing_files(project):
    first = project.add(1, "one", "CREATE TABLE one (id int PRIMARY KEY);")
    project.add(2, "two", "CREATE TABLE two (id int PRIMARY KEY);")
    project.apply()
    assert builtin(project, only=["builtin/ledger_checksums"]).ok()
    first.write_text("CREATE TABLE one (id bigint PRIMARY KEY);")
    (project.root / "sql" / "migrations" / "0002_two.sql").unlink()
    report = builtin(project, only=["builtin/ledger_checksums"])
    assert results(report, "builtin/ledger_checksums") == [("FAIL", "0001_one"), ("FAIL", "0002_two")]
    assert "migrations/0001_one.sql changed since it was applied" in report.results[0].detail
    assert "is applied but its file is missing" in report.results[1].detail
    assert report.results[0].extra["version"] == 1


def test_ledger_checksums_read_the_configured_ledger_schema(project):
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nschema: ops\n")
    first = project.add(1, "one", "CREATE TABLE one (id int PRIMARY KEY);")
    project.apply()
    first.write_text("-- edited\nCREATE TABLE one (id int PRIMARY KEY);")
    report = builtin(project, only=["builtin/ledger_checksums"])
    assert results(report, "builtin/ledger_checksums") == [("FAIL", "0001_one")]


def test_builtin_checks_can_be_selected_by_tag_and_excluded(project):
    report = builtin(project, tags=["builtin"], exclude=["builtin/ledger_*", "sequences"])
    assert [c.check for c in report.checks] == [
        "builtin/fk_without_index", "builtin/invalid_indexes", "builtin/not_valid_constraints",
        "builtin/tables_without_primary_key"]
