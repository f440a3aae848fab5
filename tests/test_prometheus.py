"""``--format prometheus`` of ``check``, ``status`` and ``drift``, read back by the official
parser (prometheus_client.parser), not by sqlmig's own code."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from sqlmig.cli.main import cli

# A result name with every character the format must escape in a label value.
NASTY = 'a "quoted" back\\slash\nnew line'


def write_check(project: Any, name: str, sql: str) -> Path:
    path = project.root / "sql" / "checks" / f"{name}.sql"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql, encoding="utf-8")
    return path


def invoke(project: Any, *args: str) -> Any:
    return CliRunner().invoke(cli, [*args, "--project", str(project.root)],
                              catch_exceptions=False)


def parse(text: str) -> dict[str, Any]:
    """{family name: family}, every family with HELP and TYPE (the parser's)."""
    families = {f.name: f for f in text_string_to_metric_families(text)}
    for f in families.values():
        assert f.name.startswith("sqlmig_") and f.documentation and f.type == "gauge", f
    return families


def samples(families: dict[str, Any], name: str) -> dict[tuple[tuple[str, str], ...], float]:
    return {tuple(sorted(s.labels.items())): s.value for s in families[name].samples}


def test_check_results_by_name_and_status(project):
    write_check(project, "a_pass", "SELECT 'PASS' AS status, 'all good' AS name, '' AS detail")
    write_check(project, "b_fail",
                "SELECT 'FAIL' AS status, n AS name, 'broken' AS detail "
                f"FROM (VALUES ('one'), ('one'), ({_literal(NASTY)})) v(n)")
    before = time.time()

    result = invoke(project, "check", "--format", "prometheus")

    assert result.exit_code == 1, result.output  # a FAIL: exit 1 as with every format
    fams = parse(result.stdout)
    rows = samples(fams, "sqlmig_check_result")
    assert rows == {
        (("check", "a_pass"), ("env", "dev"), ("name", "all good"), ("status", "PASS")): 1,
        (("check", "b_fail"), ("env", "dev"), ("name", "one"), ("status", "FAIL")): 2,
        (("check", "b_fail"), ("env", "dev"), ("name", NASTY), ("status", "FAIL")): 1,
    }
    assert samples(fams, "sqlmig_check_results") == {
        (("env", "dev"), ("status", s)): n
        for s, n in {"PASS": 1, "WARN": 0, "FAIL": 3, "ERROR": 0}.items()}
    assert samples(fams, "sqlmig_check_status")[
        (("check", "b_fail"), ("env", "dev"), ("status", "FAIL"))] == 1
    durations = samples(fams, "sqlmig_check_duration_seconds")
    assert set(durations) == {(("check", c), ("env", "dev")) for c in ("a_pass", "b_fail")}
    assert all(0 <= d < 30 for d in durations.values())
    assert samples(fams, "sqlmig_check_ok") == {(("env", "dev"),): 0}
    (done,) = samples(fams, "sqlmig_check_last_success_timestamp_seconds").values()
    assert before - 1 <= done <= time.time() + 1


def test_check_prometheus_written_to_a_file(project, tmp_path):
    write_check(project, "a_pass", "SELECT 'PASS' AS status, 'ok' AS name, '' AS detail")
    out = tmp_path / "sqlmig.prom"

    result = invoke(project, "check", "--format", "prometheus", "-o", str(out))

    assert result.exit_code == 0, result.output
    assert samples(parse(out.read_text()), "sqlmig_check_ok") == {(("env", "dev"),): 1}
    assert "# TYPE" not in result.stdout  # the terminal gets the summary only


def test_status_metrics_version_pending_failed_and_problems(project):
    project.add(1, "a", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n")
    project.add(2, "b", "CREATE TABLE b (id int);\n", "DROP TABLE b;\n")
    project.apply(to=1)
    project.add(3, "c", "CREATE TABLE c (id int);\n", "DROP TABLE c;\n")
    before = time.time()

    result = invoke(project, "status", "--format", "prometheus")

    assert result.exit_code == 0, result.output
    fams = parse(result.stdout)
    env = (("env", "dev"),)
    assert samples(fams, "sqlmig_schema_version") == {env: 1}
    assert samples(fams, "sqlmig_migrations_applied") == {env: 1}
    assert samples(fams, "sqlmig_migrations_pending") == {env: 2}
    assert samples(fams, "sqlmig_migrations_failed") == {env: 0}
    assert samples(fams, "sqlmig_status_problems") == {}
    assert samples(fams, "sqlmig_status_ok") == {env: 1}
    (read,) = samples(fams, "sqlmig_status_last_success_timestamp_seconds").values()
    assert before - 1 <= read <= time.time() + 1


def test_status_metrics_count_failed_migrations_and_problems(project):
    project.add(1, "a", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n")
    project.add(2, "idx", "-- sqlmig: no-transaction\nCREATE INDEX CONCURRENTLY i ON nope (x);\n",
                "DROP INDEX IF EXISTS i;\n")
    with pytest.raises(Exception):  # noqa: B017 - the migration fails, as intended
        project.apply()

    result = invoke(project, "status", "--format", "prometheus")

    assert result.exit_code == 3, result.output  # problems: exit 3 as with every format
    fams = parse(result.stdout)
    env = (("env", "dev"),)
    assert samples(fams, "sqlmig_migrations_failed") == {env: 1}
    assert samples(fams, "sqlmig_status_problems") == {(("env", "dev"), ("kind", "failed")): 1}
    assert samples(fams, "sqlmig_status_ok") == {env: 0}
    assert samples(fams, "sqlmig_schema_version") == {env: 1}


def test_status_format_json_is_the_envelope(project):
    result = invoke(project, "status", "--format", "json")

    import json

    assert json.loads(result.stdout)["command"] == "status"


def test_history_refuses_prometheus(project):
    write_check(project, "a_pass", "SELECT 'PASS' AS status, 'ok' AS name, '' AS detail")

    result = invoke(project, "check", "--history", "--format", "prometheus")

    assert result.exit_code == 2 and "--history prints" in result.output


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_fleet_status_metrics_carry_the_target(project):
    project.query("CREATE SCHEMA t1; CREATE SCHEMA t2")
    (project.root / "config" / "fleet.yaml").write_text(
        f"database_url: '{project.url}'\ntargets_schemas: [t1, t2]\n")
    project.add(1, "a", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n")
    project.add(2, "b", "CREATE TABLE b (id int);\n", "DROP TABLE b;\n")
    assert invoke(project, "apply", "--env", "fleet", "--target", "t1").exit_code == 0

    result = invoke(project, "status", "--env", "fleet", "--format", "prometheus")

    assert result.exit_code == 0, result.output
    fams = parse(result.stdout)
    t1, t2 = ((("env", "fleet"), ("target", t)) for t in ("t1", "t2"))
    assert samples(fams, "sqlmig_schema_version") == {t1: 2, t2: 0}
    assert samples(fams, "sqlmig_migrations_pending") == {t1: 0, t2: 2}
    assert samples(fams, "sqlmig_target_up") == {t1: 1, t2: 1}
    assert samples(fams, "sqlmig_target_state") == {
        (("env", "fleet"), ("state", "current"), ("target", "t1")): 1,
        (("env", "fleet"), ("state", "behind"), ("target", "t2")): 1}


def test_check_prometheus_on_a_fleet_is_refused(project):
    (project.root / "config" / "fleet.yaml").write_text(
        f"database_url: '{project.url}'\ntargets_schemas: [t1, t2]\n")
    write_check(project, "a_pass", "SELECT 'PASS' AS status, 'ok' AS name, '' AS detail")

    result = invoke(project, "check", "--env", "fleet", "--format", "prometheus")

    assert result.exit_code == 2 and "--format prometheus" in result.output, result.output


# -- sqlmig drift --------------------------------------------------------------------------


@pytest.fixture
def drift_project(project):
    project.add(1, "users", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n",
                "DROP TABLE users;\n")
    project.apply()
    return project


def test_drift_metrics_of_a_clean_database(drift_project):
    before = time.time()

    result = invoke(drift_project, "drift", "--format", "prometheus")

    assert result.exit_code == 0, result.output
    fams = parse(result.stdout)
    env = (("env", "dev"),)
    assert set(fams) == {"sqlmig_drift_detected", "sqlmig_drift_differences",
                         "sqlmig_drift_check_timestamp_seconds"}
    assert samples(fams, "sqlmig_drift_detected") == {env: 0}
    assert samples(fams, "sqlmig_drift_differences") == {env: 0}
    (checked,) = samples(fams, "sqlmig_drift_check_timestamp_seconds").values()
    assert before - 1 <= checked <= time.time() + 1


def test_drift_metrics_of_a_drifted_database_exit_3(drift_project):
    drift_project.query("ALTER TABLE users ADD COLUMN nickname text")
    drift_project.query("CREATE INDEX users_email_idx ON users (email)")

    result = invoke(drift_project, "drift", "--format", "prometheus")

    assert result.exit_code == 3, result.output  # drift: exit 3 as with every format
    fams = parse(result.stdout)
    env = (("env", "dev"),)
    assert samples(fams, "sqlmig_drift_detected") == {env: 1}
    assert samples(fams, "sqlmig_drift_differences") == {env: 2}


def test_drift_format_json_is_the_envelope(drift_project):
    import json

    drift_project.query("ALTER TABLE users ADD COLUMN nickname text")

    result = invoke(drift_project, "drift", "--format", "json")

    doc = json.loads(result.stdout)
    assert (doc["command"], doc["exit_code"]) == ("drift", 3)
    assert len(doc["result"]["differences"]) == 1
