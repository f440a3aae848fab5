"""Human output: tables with headers and counts, one timestamp format
(ISO 8601 to the second, with the offset), real plurals."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from sqlmig.cli.render.text import plural, table, timestamp

ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"


@pytest.mark.parametrize(("n", "word", "text"), [
    (0, "migration", "0 migrations"), (1, "migration", "1 migration"),
    (2, "migration", "2 migrations"), (1, "entry", "1 entry"), (3, "entry", "3 entries"),
    (2, "difference", "2 differences"),
])
def test_plural(n, word, text):
    assert plural(n, word) == text


def test_timestamp_is_iso_8601_to_the_second_with_offset():
    at = datetime(2026, 3, 1, 2, 10, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    assert timestamp(at) == "2026-03-01T02:10:00+01:00"
    assert timestamp(None) == "-"


def test_table_aligns_columns_under_their_header():
    lines = table(["Version", "Name"], [["1", "a"], ["10", "long_name"]], right=(0,))
    assert lines == ["Version  Name", "      1  a", "     10  long_name"]


@pytest.fixture
def applied(project: Any) -> Any:
    project.add(1, "accounts", "CREATE TABLE accounts (id int PRIMARY KEY);\n",
                "DROP TABLE accounts;\n")
    project.add(2, "orders", "CREATE TABLE orders (id int PRIMARY KEY);\n", "DROP TABLE orders;\n")
    return project


def test_apply_says_1_migration_and_2_migrations(applied):
    assert applied.cli("apply", "--to", "1").stdout.splitlines()[-1].startswith(
        "applied 1 migration: version none -> 1")
    applied.add(3, "items", "CREATE TABLE items (id int PRIMARY KEY);\n", "DROP TABLE items;\n")
    assert "applied 2 migrations: version 1 -> 3" in applied.cli("apply").stdout


def test_status_is_one_table_with_a_count_line(applied):
    applied.cli("apply", "--to", "1")
    out = applied.cli("status").stdout.splitlines()
    assert out[0].split() == ["Version", "Name", "Applied", "at", "By", "Commit", "Time",
                              "State"]
    assert re.match(rf"\s+1  0001_accounts\s+{ISO}\s+\S+.*\d+ ms\s+applied$", out[1]), out[1]
    assert re.match(r"\s+2  0002_orders(\s+-){4}\s+pending$", out[2]), out[2]
    assert out[3] == "1 applied, 1 pending"
    assert out[4] == "current version: 1; no problems"
    # every row starts its Name column where the header does
    col = out[0].index("Name")
    assert {line[col:col + 5] for line in out[1:3]} == {"0001_", "0002_"}


def test_history_has_headers_timestamps_and_a_count(applied):
    applied.cli("apply")
    out = applied.cli("history").stdout.splitlines()
    assert out[0].split() == ["At", "Action", "Version", "Name", "By", "Time"]
    assert all(re.match(ISO + "  apply ", line) for line in out[1:3]), out
    assert out[-1] == "2 events"


def test_audit_and_approvals_have_headers(applied):
    applied.cli("apply")
    out = applied.cli("audit").stdout.splitlines()
    assert out[0].split() == ["ID", "At", "Env", "Action", "Outcome", "By", "Versions", "Time",
                              "Notes"]
    assert re.match(rf"#\d+\s+{ISO}\s+dev\s+apply\s+ok\b", out[1]), out[1]
    assert out[-1] == "1 entry"
    (applied.root / "config" / "prod.yaml").write_text(
        f"database_url: '{applied.url}'\napproval: required\n")
    applied.add(3, "items", "CREATE TABLE items (id int PRIMARY KEY);\n", "DROP TABLE items;\n")
    assert applied.cli("request", "--env", "prod").exit_code == 0
    out = applied.cli("approvals", "--env", "prod").stdout.splitlines()
    assert out[0].split()[:3] == ["ID", "State", "Action"]
    assert re.search(rf"#\d+\s+pending\s+apply\s+3\s.*{ISO}$", out[1]), out[1]
    assert out[-1] == "1 request"


def test_check_history_is_a_table_of_runs(applied):
    checks = applied.root / "sql" / "checks"
    checks.mkdir()
    (checks / "ok.sql").write_text("SELECT 'PASS' AS status, 'x' AS name, '' AS detail")
    applied.cli("apply")
    for _ in range(2):
        assert applied.cli("check", "--record").exit_code == 0
    out = applied.cli("check", "--history").stdout.splitlines()
    assert out[0].split() == ["Run", "Started", "at", "Env", "Summary", "Changes"]
    assert re.match(rf"\s*\d+\s+{ISO}\s+dev\s+1 PASS, .*no change since run \d+$", out[1]), out
    assert out[-1] == "2 recorded runs"


def test_drift_counts_in_words(applied):
    applied.cli("apply", "--to", "1")
    assert "matches its 1 applied migration (version 1)" in applied.cli("drift").stdout
    applied.query("CREATE TABLE by_hand (id int)")
    assert "1 difference from what" in applied.cli("drift").stdout
