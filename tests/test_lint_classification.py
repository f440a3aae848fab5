"""Rule ``unclassified-personal-data``: classification read from the migration
files, without a database.

The oracle for "which columns end up unclassified" is PostgreSQL itself:
each scenario is also applied to a real database, and the catalog's own
classification check (what ``sqlmig docs --require-classification`` runs)
must name the same columns as the linter's replay of the files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest

import sqlmig
from sqlmig.linter import settings
from sqlmig.schema import catalog, classification

RULE = "unclassified-personal-data"
ON = {"lint.yaml": f"rules:\n  {RULE}: error\n"}
REPO = Path(__file__).resolve().parent.parent

PEOPLE = """CREATE TABLE people (id bigint PRIMARY KEY, email text, note text);
COMMENT ON TABLE people IS 'People. @contains-personal-data @retention 400d';
COMMENT ON COLUMN people.id IS 'Key. @pii none';
COMMENT ON COLUMN people.email IS 'Address. @pii email';
COMMENT ON COLUMN people.note IS 'Free text. @pii none';
"""


def lint(project: Any, config: dict[str, str] | None = ON, **kw: Any) -> list[Any]:
    for name, text in (config or {}).items():
        (project.root / "config" / name).write_text(text)
    return [f for f in sqlmig.lint(project.root, **kw).findings if f.rule == RULE]


def unclassified(findings: list[Any]) -> set[str]:
    """table.column of each 'not classified' finding."""
    return {m.group(1) for f in findings
            if (m := re.match(r"column (\S+) \(added at .*\) is not classified", f.message))}


def in_database(project: Any) -> set[str]:
    """The same, from the catalog of the database the migrations built."""
    project.apply()
    with psycopg.connect(project.url) as conn:
        cat = catalog.introspect(conn)
    found = classification.findings(cat, require=True)
    return {m.group(1).removeprefix("public.") for p in found
            if (m := re.match(r"column (\S+): not classified", p))}


def test_fully_classified_table_has_no_finding(project):
    project.add(1, "people", PEOPLE, "DROP TABLE people;\n")

    assert lint(project) == []
    assert in_database(project) == set()


def test_unclassified_column_is_reported_at_the_table_comment(project):
    project.add(1, "people", PEOPLE.replace("'Free text. @pii none'", "'Free text.'"),
                "DROP TABLE people;\n")

    (f,) = lint(project)

    assert (f.path, f.line, f.severity) == ("sql/migrations/0001_people.sql", 2, "error")
    assert f.message.startswith("column people.note (added at sql/migrations/0001_people.sql:1) "
                                "is not classified, and people is marked "
                                "@contains-personal-data")
    assert unclassified([f]) == in_database(project) == {"people.note"}


def test_column_added_later_without_classification(project):
    project.add(1, "people", PEOPLE, "DROP TABLE people;\n")
    project.add(2, "phone", "\n\nALTER TABLE people ADD COLUMN phone text, ADD COLUMN fax text;\n"
                "COMMENT ON COLUMN people.fax IS 'Fax. @pii phone';\n",
                "ALTER TABLE people DROP COLUMN phone, DROP COLUMN fax;\n")

    findings = lint(project)

    assert [(f.path, f.line) for f in findings] == [("sql/migrations/0001_people.sql", 2)]
    assert "(added at sql/migrations/0002_phone.sql:3)" in findings[0].message
    assert unclassified(findings) == in_database(project) == {"people.phone"}


def test_dropped_column_and_dropped_table_need_nothing(project):
    project.add(1, "people", PEOPLE.replace("'Free text. @pii none'", "'Free text.'")
                + "CREATE TABLE visits (id bigint PRIMARY KEY, ip inet);\n"
                "COMMENT ON TABLE visits IS 'Visits. @contains-personal-data';\n",
                "DROP TABLE visits, people;\n")
    project.add(2, "cleanup", "ALTER TABLE people DROP COLUMN note;\nDROP TABLE visits;\n",
                "SELECT 1;\n")

    assert lint(project) == []
    assert in_database(project) == set()


def test_later_comments_replace_earlier_ones(project):
    project.add(1, "people", PEOPLE.replace("'Free text. @pii none'", "'Free text.'"),
                "DROP TABLE people;\n")
    project.add(2, "classify", "COMMENT ON COLUMN people.note IS 'Free text. @pii none';\n"
                "COMMENT ON COLUMN public.people.email IS NULL;\n", "SELECT 1;\n")

    findings = lint(project)

    assert unclassified(findings) == in_database(project) == {"people.email"}


def test_renamed_tables_and_columns_keep_their_comments(project):
    project.add(1, "people", PEOPLE, "DROP TABLE people;\n")
    project.add(2, "rename", "ALTER TABLE people RENAME COLUMN note TO remark;\n"
                "ALTER TABLE people RENAME TO persons;\n"
                "COMMENT ON COLUMN persons.remark IS 'Remark, unreviewed.';\n", "SELECT 1;\n")

    findings = lint(project)

    assert [(f.path, f.line) for f in findings] == [("sql/migrations/0001_people.sql", 2)]
    assert unclassified(findings) == in_database(project) == {"persons.remark"}


@pytest.mark.parametrize("comment, problem", [
    ("'Free text. @pii none @secret'", "column people.note: unknown tag @secret"),
    ("'Free text. @pii none @retention'", "column people.note: @retention needs a value"),
    ("'Free text. @pii none @retention forever'",
     "column people.note: @retention forever: expected a number and d, w, m or y"),
    ("'Free text. @pii'", "column people.note: @pii needs a value"),
])
def test_malformed_tag_is_a_finding_at_its_comment(project, comment, problem):
    project.add(1, "people", PEOPLE.replace("'Free text. @pii none'", comment),
                "DROP TABLE people;\n")

    findings = lint(project)

    problems = [f for f in findings if "is not classified" not in f.message]
    assert [(f.path, f.line) for f in problems] == [("sql/migrations/0001_people.sql", 5)]
    assert problems[0].message.startswith(problem), problems[0].message
    # `@pii` without a kind decides nothing: the column is unclassified too
    assert unclassified(findings) == ({"people.note"} if comment == "'Free text. @pii'"
                                      else set())


def test_malformed_table_tag_of_an_unmarked_table(project):
    project.add(1, "notes", "CREATE TABLE notes (id bigint PRIMARY KEY);\n"
                "COMMENT ON TABLE notes IS 'Notes. @retention 2 years';\n", "DROP TABLE notes;\n")

    (f,) = lint(project)

    assert (f.line, f.message) == (
        2, "table notes: @retention 2: expected a number and d, w, m or y (400d, 2y)")


def test_off_by_default_on_in_strict(project):
    project.add(1, "people", PEOPLE.replace("'Free text. @pii none'", "'Free text.'"),
                "DROP TABLE people;\n")

    assert lint(project, config=None) == []
    assert len(lint(project, config={"lint.yaml": "profile: strict\n"})) == 1


def test_only_findings_involving_the_linted_files(project):
    project.add(1, "people", PEOPLE, "DROP TABLE people;\n")
    project.add(2, "phone", "ALTER TABLE people ADD COLUMN phone text;\n",
                "ALTER TABLE people DROP COLUMN phone;\n")
    project.add(3, "other", "CREATE TABLE other (id bigint PRIMARY KEY);\n",
                "DROP TABLE other;\n")
    mig = project.root / "sql" / "migrations"

    assert len(lint(project, paths=[mig / "0002_phone.sql"])) == 1
    assert lint(project, paths=[mig / "0003_other.sql"]) == []


def test_suppressed_above_the_table_comment(project):
    project.add(1, "people", PEOPLE.replace(
        "COMMENT ON TABLE", "-- sqlmig: allow unclassified-personal-data reviewed by the DPO\n"
        "COMMENT ON TABLE").replace("'Free text. @pii none'", "'Free text.'"),
        "DROP TABLE people;\n")

    assert lint(project) == []
    report = sqlmig.lint(project.root)
    assert [f.suppressed for f in report.suppressed if f.rule == RULE] == ["reviewed by the DPO"]


# -- the reference project -----------------------------------------------------------------


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    root = tmp_path / "ref"
    shutil.copytree(REPO / "sql", root / "sql")
    shutil.copytree(REPO / "config", root / "config")
    return root


def test_reference_project_is_fully_classified(reference):
    report = sqlmig.lint(reference)

    assert settings.load(reference / "config").severity(RULE) == "error"
    assert len(report.files) >= 9
    assert [f for f in report.findings if f.rule == RULE] == []


def test_reference_project_reports_a_new_unclassified_column(reference, runner_cli):
    (reference / "sql" / "migrations" / "0010_session_device.sql").write_text(
        "ALTER TABLE auth_sessions ADD COLUMN device_name text;\n")

    result = runner_cli("lint", "--project", str(reference))

    assert result.exit_code == 1, result.output
    assert ("sql/migrations/0009_classify_personal_data.sql\n  35:1\terror    column "
            "auth_sessions.device_name (added at sql/migrations/0010_session_device.sql:1) is "
            "not classified") in result.stdout


@pytest.fixture
def runner_cli() -> Any:
    from click.testing import CliRunner

    from sqlmig.cli.main import cli

    return lambda *args: CliRunner().invoke(cli, list(args), catch_exceptions=False)
