"""sqlmig compliance report on the Brainliest reference database with demo
data (demo/seed.py, planted defects: recommendations kept past their
retention period).  Oracles: the roles and grants the test makes itself,
has_column_privilege and retention_backlog() read directly, jsonschema."""

from __future__ import annotations

import importlib.util
import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import psycopg
import pytest
from click.testing import CliRunner

import sqlmig.api  # noqa: F401  (registers the features: the plugin's template reads config/dev.yaml)
from sqlmig.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
AUDITOR = "compliance_test_reader"


@pytest.fixture(scope="session")
def sqlmig_server(pg_server):
    return pg_server.url("postgres")


@pytest.fixture
def seeded(sqlmig_db):
    spec = importlib.util.spec_from_file_location("brainliest_seed", ROOT / "demo" / "seed.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.seed(sqlmig_db.url, scale=0.02, seed=42, defects=True)
    with psycopg.connect(sqlmig_db.url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {AUDITOR}")
        conn.execute(f"CREATE ROLE {AUDITOR} NOLOGIN")
        conn.execute(f"GRANT SELECT (id, email) ON users TO {AUDITOR}")
    yield sqlmig_db.url
    with psycopg.connect(sqlmig_db.url, autocommit=True) as conn:
        conn.execute(f"REVOKE ALL ON users FROM {AUDITOR}")
        conn.execute(f"DROP ROLE {AUDITOR}")


def report(url: str, *args: str):
    r = CliRunner().invoke(cli, ["compliance", "report", "--database-url", url,
                                 "--project", str(ROOT), *args], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return r


def scalar(url: str, sql: str):
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchone()[0]


def test_markdown_has_every_section_with_its_source(seeded):
    out = report(seeded).stdout
    titles = re.findall(r"^## (.*)$", out, flags=re.M)
    assert titles == ["1. Personal-data inventory", "2. Retention", "3. Access control",
                      "4. Change control", "5. Integrity"]
    assert out.count("\nSource: ") == 5


def test_readers_are_the_roles_the_server_lets_read_the_column(seeded):
    doc = json.loads(report(seeded, "--format", "json").stdout)["result"]
    users = next(t for t in doc["inventory"] if t["table"] == "public.users")
    cols = {c["name"]: c for c in users["columns"]}
    assert cols["email"]["pii"] == "email"
    assert AUDITOR in cols["email"]["readers"]
    assert AUDITOR not in cols["password_hash"]["readers"]
    assert scalar(seeded, f"SELECT has_column_privilege('{AUDITOR}', 'users', 'email', "
                          "'SELECT')") is True
    role = next(x for x in doc["roles"] if x["name"] == AUDITOR)
    assert role["grants"] == ["SELECT on public.users"] or role["grants"] == []


def test_retention_reports_the_overdue_rows_the_backlog_check_counts(seeded):
    expected = scalar(seeded, "SELECT sum(rows_due) FROM retention_backlog(now()) "
                              "WHERE table_name = 'study_recommendations'")
    assert expected > 0  # the planted defect
    doc = json.loads(report(seeded, "--format", "json").stdout)["result"]
    items = [i for i in doc["retention"] if i["table"] == "study_recommendations"]
    assert sum(i["rows_due"] for i in items) == expected
    oldest = scalar(seeded, "SELECT min(expires_at)::text FROM study_recommendations")
    assert items[0]["oldest"] == oldest
    assert f"OVERDUE: study_recommendations (expired_recommendations): {expected} rows" in \
        report(seeded).stdout


def test_the_reference_schema_is_fully_classified(seeded):
    doc = json.loads(report(seeded, "--format", "json").stdout)["result"]
    assert doc["unclassified"] == []
    assert {t["table"] for t in doc["inventory"]} >= {"public.users", "public.auth_logs"}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_two_reports_differ_only_in_the_header(seeded, fmt):
    first = report(seeded, "--format", fmt).stdout.splitlines()
    second = report(seeded, "--format", fmt).stdout.splitlines()
    differ = [(a, b) for a, b in zip(first, second) if a != b]
    assert len(first) == len(second)
    assert all("generated: " in a for a, _ in differ), differ


def test_json_matches_the_envelope_schema(seeded):
    doc = json.loads(report(seeded, "--format", "json").stdout)
    schema = json.loads((resources.files("sqlmig.cli.render") / "envelope.schema.json")
                        .read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    assert doc["command"] == "compliance report"


def test_the_report_needs_no_write(seeded):
    # A database whose sessions are read-only by default: any write would fail.
    dbname = scalar(seeded, "SELECT current_database()")
    with psycopg.connect(seeded, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{dbname}" SET default_transaction_read_only = on')
    try:
        assert "## 5. Integrity" in report(seeded).stdout
    finally:
        with psycopg.connect(seeded, autocommit=True) as conn:
            conn.execute("SET default_transaction_read_only = off")
            conn.execute(f'ALTER DATABASE "{dbname}" RESET default_transaction_read_only')


def test_out_writes_the_file(seeded, tmp_path):
    target = tmp_path / "report.html"
    r = report(seeded, "--format", "html", "--out", str(target))
    assert "wrote the compliance report (html)" in r.stdout
    assert target.read_text().startswith("<!DOCTYPE html>")


def test_bad_since_is_one_clear_error(seeded):
    r = CliRunner().invoke(cli, ["compliance", "report", "--database-url", seeded,
                                 "--project", str(ROOT), "--since", "soon"])
    assert r.exit_code == 2 and "--since soon" in r.stderr and "Traceback" not in r.stderr
