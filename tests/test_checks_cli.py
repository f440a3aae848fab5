"""`sqlmig check` on the command line: files refused, selection, reports, exit codes,
--record / --history and --on-fail."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sqlmig.cli.main import cli

PASS = "SELECT 'PASS' AS status, 'all good' AS name, 'nothing wrong' AS detail"
WARN = "-- sqlmig: tags nightly\nSELECT 'WARN' AS status, 'w' AS name, 'watch out' AS detail"
FAIL = ("-- sqlmig: tags nightly, security\n"
        "SELECT 'FAIL' AS status, 'broken <thing> & \"more\"' AS name, 'it broke' AS detail, "
        "42 AS affected_rows")
ERROR = "SELECT 'PASS' AS status, 'x' AS name, '' AS detail FROM missing_table"


def write_check(project: Any, name: str, sql: str) -> Path:
    path = project.root / "sql" / "checks" / f"{name}.sql"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql, encoding="utf-8")
    return path


@pytest.fixture
def mixed(project: Any) -> Any:
    write_check(project, "a_pass", PASS)
    write_check(project, "b_warn", WARN)
    write_check(project, "c_fail", FAIL)
    write_check(project, "d_error", ERROR)
    return project


# -- exit codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "args", "code"),
    [
        (["a_pass"], [], 0),
        (["a_pass", "b_warn"], [], 0),
        (["a_pass", "b_warn"], ["--strict"], 1),
        (["a_pass", "c_fail"], [], 1),
        (["a_pass", "d_error"], [], 1),
    ],
    ids=["pass", "warn", "warn-strict", "fail", "error"],
)
def test_exit_code_follows_the_worst_result(project, files, args, code):
    sources = {"a_pass": PASS, "b_warn": WARN, "c_fail": FAIL, "d_error": ERROR}
    for name in files:
        write_check(project, name, sources[name])
    result = project.cli("check", *args)
    assert result.exit_code == code, result.output


@pytest.mark.parametrize(
    "args",
    [["--format", "yaml"], ["--jobs", "0"], ["--history", "--format", "junit"],
     ["--only", "nope"], ["--tag", "nope"], ["--exclude", "nope"], ["--timeout", "soon"]],
    ids=["format", "jobs", "history-junit", "only", "tag", "exclude", "timeout"],
)
def test_usage_errors_exit_2(mixed, args):
    result = mixed.cli("check", *args)
    assert result.exit_code == 2, result.output


def test_no_check_files_is_a_usage_error(project):
    result = project.cli("check")
    assert result.exit_code == 2
    assert "no checks to run" in result.output and "--builtin" in result.output


def test_the_installed_command_exits_1_on_failure(mixed):
    done = mixed.run("check", "--only", "a_pass,c_fail")
    assert done.returncode == 1
    assert "1 PASS, 0 WARN, 1 FAIL, 0 ERROR in" in done.stdout


# -- files sqlmig refuses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "where", "message"),
    [
        ("-- sqlmig: timout 5s\n" + PASS, "checks/bad.sql:1", "unknown directive `sqlmig: timout`"),
        ("-- x\n-- sqlmig: timeout soon\n" + PASS, "checks/bad.sql:2",
         "`soon`: expected a duration with a unit"),
        ("-- sqlmig: timeout 30\n" + PASS, "checks/bad.sql:1", "`30` has no unit: write 30s"),
        ("-- sqlmig: tags Nightly!\n" + PASS, "checks/bad.sql:1", "bad tag 'nightly!'"),
        ("-- sqlmig: tags\n" + PASS, "checks/bad.sql:1", "needs a reason"),
        (PASS + ";\n\n" + PASS + ";\n", "checks/bad.sql:3", "exactly one query, found 2"),
        ("-- about\nCOMMIT;\n", "checks/bad.sql:2", "COMMIT is not allowed in a check"),
        ("-- only a comment\n", "checks/bad.sql", "contains no query"),
        (PASS + "\n\\gset\n", "checks/bad.sql:2", "meta-command \\gset"),
    ],
    ids=["unknown-directive", "bad-timeout", "timeout-without-unit", "bad-tag", "empty-tags", "two-statements",
         "commit", "empty", "meta-command"],
)
def test_a_bad_check_file_is_refused_with_file_and_line_before_anything_runs(
        project, sql, where, message):
    write_check(project, "a_good", PASS)
    write_check(project, "bad", sql)
    result = project.cli("check", "--record")
    assert result.exit_code == 2, result.output
    assert f"{where}:" in result.output or f"{where}: " in result.output
    assert message in result.output
    assert "a_good" not in result.output
    # nothing ran, so nothing was recorded either
    assert not project.table_exists("sqlmig.sqlmig_check_runs")


# -- selection -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "ran"),
    [
        (["--only", "a_pass"], ["a_pass"]),
        (["--only", "a_pass,d_error"], ["a_pass", "d_error"]),
        (["--only", "a_*", "--only", "b_warn"], ["a_pass", "b_warn"]),
        (["--tag", "nightly"], ["b_warn", "c_fail"]),
        (["--tag", "security"], ["c_fail"]),
        (["--exclude", "d_error"], ["a_pass", "b_warn", "c_fail"]),
        (["--exclude", "nightly"], ["a_pass", "d_error"]),
        (["--tag", "nightly", "--exclude", "c_*"], ["b_warn"]),
    ],
)
def test_only_tag_and_exclude_choose_the_checks(mixed, args, ran):
    result = mixed.cli("check", "--format", "json", *args)
    assert [c["check"] for c in json.loads(result.stdout)["result"]["checks"]] == ran


def test_a_selection_that_leaves_nothing_is_refused(mixed):
    result = mixed.cli("check", "--only", "a_pass", "--exclude", "a_pass")
    assert result.exit_code == 2
    assert "leaves no check to run" in result.output


# -- human output ---------------------------------------------------------------------------------------


def test_human_output_groups_results_by_file_and_ends_with_the_summary(mixed):
    result = mixed.cli("check", "--jobs", "2")
    lines = result.output.splitlines()
    heads = [line for line in lines if not line.startswith(" ")]
    assert [h.split()[0] for h in heads[:4]] == ["a_pass", "b_warn", "c_fail", "d_error"]
    assert "(checks/c_fail.sql," in heads[2]
    assert re.fullmatch(r"  FAIL  broken <thing> & \"more\"  it broke", lines[lines.index(heads[2]) + 1])
    assert "affected_rows=42" in result.output
    assert 'relation "missing_table" does not exist (42P01)' in result.output
    assert re.fullmatch(r"1 PASS, 1 WARN, 1 FAIL, 1 ERROR in \d+\.\d{1,2} s", lines[-1])
    assert "\x1b[" not in result.output  # not a terminal: no colors


def test_colors_on_a_terminal_and_none_with_no_color(mixed):
    runner = CliRunner()
    args = ["check", "--project", str(mixed.root)]
    colored = runner.invoke(cli, args, color=True, env={"NO_COLOR": None})
    assert "\x1b[31m" in colored.output  # FAIL in red
    plain = runner.invoke(cli, args, color=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.output
    assert plain.exit_code == colored.exit_code == 1


# -- JSON -------------------------------------------------------------------------------------------------

RESULT_SCHEMA = {
    "type": "object",
    "required": ["check", "file", "name", "status", "detail", "extra", "duration_ms"],
    "properties": {
        "check": {"type": "string"}, "file": {"type": "string"}, "name": {"type": "string"},
        "status": {"enum": ["PASS", "WARN", "FAIL", "ERROR"]}, "detail": {"type": "string"},
        "extra": {"type": "object"}, "duration_ms": {"type": "number"},
    },
}
REPORT_SCHEMA = {
    "type": "object",
    "required": ["version", "env", "started_at", "duration_ms", "jobs", "strict", "ok", "run_id",
                 "summary", "checks", "results", "on_fail"],
    "properties": {
        "version": {"enum": [1]},
        "env": {"type": "string"}, "started_at": {"type": "string"},
        "duration_ms": {"type": "number"}, "jobs": {"type": "integer"},
        "strict": {"type": "boolean"}, "ok": {"type": "boolean"},
        "run_id": {"type": ["integer", "null"]},
        "summary": {
            "type": "object",
            "required": ["PASS", "WARN", "FAIL", "ERROR", "checks", "results"],
            "properties": {k: {"type": "integer"}
                           for k in ("PASS", "WARN", "FAIL", "ERROR", "checks", "results")},
        },
        "checks": {"type": "array", "items": {
            "type": "object",
            "required": ["check", "file", "description", "tags", "status", "duration_ms", "rows",
                         "error"],
            "properties": {
                "check": {"type": "string"}, "file": {"type": "string"},
                "description": {"type": ["string", "null"]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "status": {"enum": ["PASS", "WARN", "FAIL", "ERROR"]},
                "duration_ms": {"type": "number"}, "rows": {"type": "integer"},
                "error": {"type": ["object", "null"]},
            },
        }},
        "results": {"type": "array", "items": RESULT_SCHEMA},
        "on_fail": {"type": ["object", "null"]},
    },
}
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
          "number": (int, float), "integer": int}


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> None:
    """The subset of JSON Schema the report's schema uses (type, enum, required,
    properties, items); every key a schema object lists must be present."""
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r} not in {schema['enum']}"
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(isinstance(value, _TYPES[t]) and not (t in ("integer", "number")
                 and isinstance(value, bool)) for t in types)
        assert ok, f"{path}: {value!r} is not {types}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{path}: missing {key}"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                validate(value[key], sub, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], f"{path}[{i}]")


def test_json_report_follows_the_documented_schema(mixed):
    result = mixed.cli("check", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)["result"]
    validate(doc, REPORT_SCHEMA)
    assert doc["summary"] == {"PASS": 1, "WARN": 1, "FAIL": 1, "ERROR": 1, "checks": 4,
                              "results": 4}
    assert doc["ok"] is False and doc["version"] == 1
    fail = next(r for r in doc["results"] if r["status"] == "FAIL")
    assert fail == {"check": "c_fail", "file": "checks/c_fail.sql",
                    "name": 'broken <thing> & "more"', "status": "FAIL", "detail": "it broke",
                    "extra": {"affected_rows": 42}, "duration_ms": fail["duration_ms"]}
    error = next(c for c in doc["checks"] if c["status"] == "ERROR")["error"]
    assert error["sqlstate"] == "42P01"
    assert next(c for c in doc["checks"] if c["check"] == "c_fail")["tags"] == [
        "nightly", "security"]


# -- JUnit ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("strict", [False, True])
def test_junit_report_has_a_testcase_per_result(mixed, strict):
    result = mixed.cli("check", "--format", "junit", *(["--strict"] if strict else []))
    assert result.exit_code == 1
    root = ET.fromstring(result.output.encode())
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["a_pass", "b_warn", "c_fail", "d_error"]
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 4 == int(root.get("tests"))
    by_name = {c.get("classname"): c for c in cases}
    assert list(by_name["sqlmig.check.a_pass"]) == []
    fail = by_name["sqlmig.check.c_fail"].find("failure")
    assert fail is not None and fail.get("message") == "it broke" and fail.get("type") == "FAIL"
    assert by_name["sqlmig.check.c_fail"].get("name") == 'broken <thing> & "more"'
    error = by_name["sqlmig.check.d_error"].find("error")
    assert error is not None and "missing_table" in error.get("message")
    warn = by_name["sqlmig.check.b_warn"]
    if strict:
        assert warn.find("failure").get("type") == "WARN"
        assert root.get("failures") == "2"
    else:
        assert warn.find("failure") is None and "watch out" in warn.find("system-out").text
        assert root.get("failures") == "1"
    assert root.get("errors") == "1"
    for suite in suites:
        assert int(suite.get("tests")) == len(suite.findall("testcase"))


def test_output_file_gets_the_report_and_stdout_the_summary(mixed, tmp_path):
    target = tmp_path / "report.xml"
    result = mixed.cli("check", "--format", "junit", "--output", str(target))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        result.output.splitlines()[0], f"report written to {target}"]
    assert result.output.startswith("1 PASS, 1 WARN, 1 FAIL, 1 ERROR in ")
    assert ET.parse(target).getroot().tag == "testsuites"


# -- --record and --history ---------------------------------------------------------------------------------


def test_record_stores_runs_and_history_shows_what_changed(project):
    project.query("CREATE TABLE t (id int PRIMARY KEY, v int)")
    write_check(project, "positive", "SELECT 'FAIL' AS status, 't.v positive' AS name, "
                "count(*)::text AS detail FROM t WHERE v <= 0 HAVING count(*) > 0")
    write_check(project, "other", PASS)
    assert project.cli("check", "--record").exit_code == 0
    project.query("INSERT INTO t VALUES (1, -1)")
    second = project.cli("check", "--record")
    assert second.exit_code == 1 and "recorded as run 2" in second.output
    project.query("UPDATE t SET v = 1")
    assert project.cli("check", "--record", "--only", "positive").exit_code == 0

    runs = project.query("SELECT id, env, checks, passed, failed FROM sqlmig.sqlmig_check_runs ORDER BY id")
    assert runs == [(1, "dev", 2, 2, 0), (2, "dev", 2, 1, 1), (3, "dev", 1, 1, 0)]
    rows = project.query("SELECT check_name, name, status, detail FROM sqlmig.sqlmig_check_results "
                         "WHERE run_id = 2 ORDER BY ordinal")
    assert rows == [("other", "all good", "PASS", "nothing wrong"),
                    ("positive", "t.v positive", "FAIL", "1")]
    assert project.scalar("SELECT max(version) FROM sqlmig.sqlmig_ledger_version") >= 2

    history = project.cli("check", "--history")
    assert history.exit_code == 0
    text = history.output
    assert [line.split()[0] for line in text.splitlines()[1:4]] == ["3", "2", "1"]
    assert "newly fixed: positive: t.v positive (FAIL -> PASS)" in text
    assert "newly failing: positive: t.v positive (PASS -> FAIL)" in text
    assert "no change since run 1" not in text

    doc = json.loads(project.cli("check", "--history", "--format", "json", "--limit", "2").stdout)["result"]
    assert [r["id"] for r in doc["runs"]] == [3, 2]
    assert doc["runs"][0]["newly_fixed"] == [
        {"check": "positive", "name": "t.v positive", "status": "PASS", "was": "FAIL"}]
    assert doc["runs"][1]["previous_run"] == 1


def test_history_without_recorded_runs(project):
    result = project.cli("check", "--history")
    assert result.exit_code == 0
    assert "no recorded check runs" in result.output


def test_record_waits_for_the_migration_lock_only_to_create_its_tables(mixed):
    import psycopg

    from sqlmig.core import lock

    assert mixed.cli("check", "--record").exit_code == 1
    with psycopg.connect(mixed.url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (lock.key("sqlmig"),))
        # the tables exist: recording needs no lock and does not wait
        assert mixed.cli("check", "--record").exit_code == 1
    assert mixed.scalar("SELECT count(*) FROM sqlmig.sqlmig_check_runs") == 2


# -- --on-fail -------------------------------------------------------------------------------------------------


def hook(tmp_path: Path, body: str) -> str:
    script = tmp_path / "hook.py"
    script.write_text(body)
    return f"{sys.executable} {script}"


def test_on_fail_receives_the_json_report_on_stdin(mixed, tmp_path):
    got = tmp_path / "got.json"
    envfile = tmp_path / "env.json"
    cmd = hook(tmp_path, f"import json, os, sys\nopen({str(got)!r}, 'w').write(sys.stdin.read())\n"
                         f"json.dump(dict(os.environ), open({str(envfile)!r}, 'w'))\n")
    result = mixed.cli("check", "--on-fail", cmd, env={"PGPASSWORD": "s3cret-pw"})
    assert result.exit_code == 1
    assert "1 FAIL" in result.output and "--on-fail: ran" in result.output
    doc = json.loads(got.read_text())
    validate(doc, REPORT_SCHEMA)
    assert doc["summary"]["FAIL"] == 1 and doc["summary"]["ERROR"] == 1
    env = json.loads(envfile.read_text())
    assert "PGPASSWORD" not in env and "s3cret-pw" not in json.dumps(env)
    assert env["SQLMIG_CHECK_STATUS"] == "ERROR"


def test_a_failing_on_fail_command_is_reported_without_hiding_the_results(mixed, tmp_path):
    cmd = hook(tmp_path, "import sys\nsys.stdin.read()\nprint('pager down', file=sys.stderr)\n"
                         "sys.exit(3)\n")
    result = mixed.cli("check", "--on-fail", cmd, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)["result"]
    assert doc["on_fail"] == {"command": cmd, "returncode": 3, "error": "exit status 3"}
    assert doc["summary"]["FAIL"] == 1
    human = mixed.cli("check", "--on-fail", cmd)
    assert "FAIL  broken" in human.output
    assert "--on-fail: " in human.output and "failed: exit status 3" in human.output
    assert "pager down" in human.output


@pytest.mark.parametrize(
    ("source", "strict", "runs"),
    [(PASS, False, False), (WARN, False, False), (WARN, True, True), (FAIL, False, True)],
    ids=["pass", "warn", "warn-strict", "fail"],
)
def test_on_fail_runs_only_when_the_run_fails(project, tmp_path, source, strict, runs):
    write_check(project, "only", source)
    marker = tmp_path / "ran"
    cmd = hook(tmp_path, f"import sys\nsys.stdin.read()\nopen({str(marker)!r}, 'w').write('x')\n")
    result = project.cli("check", "--on-fail", cmd, *(["--strict"] if strict else []))
    assert result.exit_code == (1 if runs else 0)
    assert marker.exists() is runs
    assert ("--on-fail: ran" in result.output) is runs
