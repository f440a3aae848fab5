"""Classification tags in comments: parsed by the catalog layer, checked by
`sqlmig docs --coverage/--check --require-classification`."""

from __future__ import annotations

import pytest

from sqlmig.schema.classification import parse


@pytest.mark.parametrize("comment, on, pii, retention, level, personal", [
    ("Login email. @pii email", "column", "email", None, None, False),
    ("Surrogate key. @pii none", "column", "none", None, None, False),
    ("Accounts. @contains-personal-data @retention 400d @group core", "table", None, "400d",
     None, True),
    ("Secrets. @classification confidential.", "table", None, None, "confidential", False),
    ("Write to ops@example.com for access.", "column", None, None, None, False),
])
def test_tags_are_parsed(comment, on, pii, retention, level, personal):
    c = parse(comment, on=on)
    assert (c.pii, c.retention, c.level, c.personal_data, c.problems) == (
        pii, retention, level, personal, ())


@pytest.mark.parametrize("comment, on, problem", [
    ("x @pi email", "column", "unknown tag @pi"),
    ("x @retention forever", "column", "@retention forever: expected"),
    ("x @classification secret", "table", "@classification secret: expected one of"),
    ("x @pii", "column", "@pii needs a value"),
    ("x @pii Email", "column", "@pii Email: expected a kind"),
    ("x @pii email", "table", "@pii belongs on a column comment"),
    ("x @contains-personal-data", "column", "belongs on a table comment"),
    ("x @pii email @pii name", "column", "@pii appears twice"),
])
def test_bad_tags_are_problems(comment, on, problem):
    assert any(problem in p for p in parse(comment, on=on).problems)


SCHEMA = """CREATE TABLE people (id int PRIMARY KEY, email text, note text);
COMMENT ON TABLE people IS 'People. @contains-personal-data';
COMMENT ON COLUMN people.id IS 'Key. @pii none';
COMMENT ON COLUMN people.email IS 'Address. @pii email';
COMMENT ON COLUMN people.note IS 'Free text.';
"""


def test_require_classification_names_the_unclassified_column(project):
    project.add(1, "people", SCHEMA, "DROP TABLE people;\n")
    project.apply()
    plain = project.cli("docs", "--coverage")
    assert plain.exit_code == 0, plain.stderr
    r = project.cli("docs", "--coverage", "--require-classification")
    assert r.exit_code == 1
    assert "column public.people.note: not classified" in r.stderr + r.stdout
    assert "public.people.email" not in r.stderr


def test_unknown_tag_fails_only_when_classification_is_required(project):
    project.add(1, "people", SCHEMA.replace("'Free text.'", "'Free text. @pii none @secret'"),
                "DROP TABLE people;\n")
    project.apply()
    r = project.cli("docs", "--coverage", "--require-classification")
    assert r.exit_code == 1 and "column public.people.note: unknown tag @secret" in r.stderr
    assert "Traceback" not in r.stderr


def test_fully_classified_table_passes(project):
    project.add(1, "people", SCHEMA.replace("'Free text.'", "'Free text. @pii free-text'"),
                "DROP TABLE people;\n")
    project.apply()
    r = project.cli("docs", "--coverage", "--require-classification")
    assert r.exit_code == 0, r.stderr


def test_markdown_and_html_show_the_classification(project, tmp_path):
    project.add(1, "people", SCHEMA, "DROP TABLE people;\n")
    project.apply()
    assert project.cli("docs", "--out", str(tmp_path / "md")).exit_code == 0
    page = (tmp_path / "md" / "tables" / "public.people.md").read_text()
    assert "| Classification |" in page and "pii: email" in page
    assert "Classification: personal data" in page
    assert project.cli("docs", "--format", "html", "--out", str(tmp_path / "s.html")).exit_code == 0
    html = (tmp_path / "s.html").read_text()
    assert 'id="pii-only"' in html and 'data-pd="1"' in html and 'data-pii="1"' in html
