"""`sqlmig check`: check files, verdicts, safety (read-only, timeouts), one snapshot."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest

import sqlmig
from sqlmig.checks.report import CheckReport


def write_check(project, name: str, sql: str) -> Path:
    path = project.root / "sql" / "checks" / f"{name}.sql"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql, encoding="utf-8")
    return path


def run(project, **kw) -> CheckReport:
    return sqlmig.check(project.root, **kw)


def by_check(report: CheckReport) -> dict[str, list[tuple[str, str, str]]]:
    return {c.check: [(r.status, r.name, r.detail) for r in c.results] for c in report.checks}


PASS = "SELECT 'PASS' AS status, 'p' AS name, 'fine' AS detail"


# -- verdicts ---------------------------------------------------------------------------------


def test_rows_become_results_with_their_status_name_detail_and_extra_columns(project):
    project.query("CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, -5), (2, 3)")
    write_check(project, "negative", """\
-- sqlmig: description No negative values
SELECT 'fail' AS status, 't.v >= 0' AS name, format('row %s is %s', id, v) AS detail,
       id AS row_id, now()::date AS day, 1.5::numeric AS ratio, ARRAY[1, 2] AS ids
  FROM t WHERE v < 0;
""")
    write_check(project, "warned", "SELECT ' Warn ' AS status, 'w' AS name, NULL AS detail")
    write_check(project, "passed", PASS)
    report = run(project)
    got = by_check(report)
    assert got["negative"] == [("FAIL", "t.v >= 0", "row 1 is -5")]
    assert got["warned"] == [("WARN", "w", "")]
    assert got["passed"] == [("PASS", "p", "fine")]
    extra = report.checks[0].results[0].extra
    assert extra["row_id"] == 1 and extra["ratio"] == 1.5 and extra["ids"] == [1, 2]
    assert isinstance(extra["day"], str)
    s = report.summary
    assert (s.passed, s.warned, s.failed, s.errored, s.checks) == (1, 1, 1, 0, 3)
    assert not report.ok()


def test_zero_rows_is_one_pass_named_after_the_check(project):
    write_check(project, "nothing_found", "-- sqlmig: description All good\nSELECT 'FAIL' AS status, "
                "'x' AS name, 'y' AS detail WHERE false")
    report = run(project)
    assert by_check(report) == {"nothing_found": [("PASS", "nothing_found", "All good")]}
    assert report.ok(strict=True)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT 'PASS' AS status, 'x' AS name", "lacks the column(s) detail"),
        ("SELECT 'OK' AS status, 'x' AS name, '' AS detail", "status 'OK' is not PASS, WARN or FAIL"),
        ("SELECT NULL AS status, 'x' AS name, '' AS detail", "status None is not PASS"),
        ("SELECT 'PASS' AS status, 'x' AS name,\n  '' AS detail FROM no_such_table",
         'relation "no_such_table" does not exist'),
        ("SELECT 1/0 AS status, 'x' AS name, '' AS detail", "division by zero (22012)"),
    ],
    ids=["missing-column", "bad-status", "null-status", "undefined-table", "runtime-error"],
)
def test_a_broken_check_is_error_and_the_others_still_run(project, sql, message):
    write_check(project, "a_ok", PASS)
    write_check(project, "b_broken", sql)
    write_check(project, "c_ok", PASS)
    report = run(project, jobs=1)
    got = by_check(report)
    assert got["a_ok"][0][0] == got["c_ok"][0][0] == "PASS"
    status, _, detail = got["b_broken"][0]
    assert status == "ERROR" and message in detail
    assert report.checks[1].error is not None
    assert report.summary.errored == 1 and not report.ok()


def test_server_error_position_points_into_the_file(project):
    write_check(project, "typo", "-- header\n-- more\nSELECT 'PASS' AS status, 'x' AS name,\n"
                "       '' AS detail FROM nope")
    report = run(project)
    error = report.checks[0].error
    assert error is not None and error.sqlstate == "42P01"
    assert (error.line, error.column) == (4, 26)
    assert report.results[0].detail.startswith("checks/typo.sql:4:26: relation \"nope\"")


# -- safety -------------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_check_that_writes_is_error_and_nothing_is_written(project, jobs):
    project.query("CREATE TABLE t (id int PRIMARY KEY); CREATE SEQUENCE s")
    write_check(project, "a_insert", "INSERT INTO t VALUES (1) RETURNING 'PASS' AS status, "
                "'x' AS name, '' AS detail")
    write_check(project, "b_cte", "WITH d AS (DELETE FROM t RETURNING id) SELECT 'PASS' AS status, "
                "'x' AS name, '' AS detail FROM d")
    write_check(project, "c_nextval", "SELECT 'PASS' AS status, nextval('s')::text AS name, "
                "'' AS detail")
    write_check(project, "d_ok", PASS)
    report = run(project, jobs=jobs)
    got = by_check(report)
    # Refused before they run (docs/checks.md, "Safety"): a check is a query.
    expected = {"a_insert": "INSERT is not a query",
                "b_cte": "DELETE (a data-changing WITH query) is not a query",
                "c_nextval": "the function nextval() has effects"}
    for name, why in expected.items():
        status, _, detail = got[name][0]
        assert status == "ERROR", name
        assert why in detail, detail
    assert got["d_ok"][0][0] == "PASS"
    assert project.scalar("SELECT count(*) FROM t") == 0
    assert project.scalar("SELECT last_value FROM s") == 1
    assert project.scalar("SELECT is_called FROM s") is False


@pytest.mark.parametrize("jobs", [1, 3])
def test_failed_checks_do_not_poison_the_next_check_on_the_same_connection(project, jobs):
    for i in range(8):
        write_check(project, f"c{i}", "SELECT 1/0 AS status, 'x' AS name, '' AS detail" if i % 2
                    else "SELECT 'PASS' AS status, current_setting('transaction_read_only') AS "
                         "name, current_setting('transaction_isolation') AS detail")
    report = run(project, jobs=jobs)
    for c in report.checks:
        if int(c.check[1:]) % 2:
            assert c.status == "ERROR"
        else:
            assert [(r.status, r.name, r.detail) for r in c.results] == [
                ("PASS", "on", "repeatable read")]


def test_a_slow_check_is_stopped_by_its_timeout_while_the_others_finish(project):
    write_check(project, "slow", "-- sqlmig: timeout 300ms\nSELECT 'PASS' AS status, 'x' AS name, "
                "pg_sleep(20)::text AS detail")
    write_check(project, "fast", PASS)
    started = time.perf_counter()
    report = run(project, jobs=1)
    assert time.perf_counter() - started < 10
    got = by_check(report)
    assert got["fast"][0][0] == "PASS"
    status, _, detail = got["slow"][0]
    assert status == "ERROR"
    assert "canceling statement due to statement timeout" in detail and "(57014)" in detail
    assert "300 ms" in detail
    assert report.checks[1].error.sqlstate == "57014"


def test_default_timeout_option_applies_to_files_without_a_directive(project):
    write_check(project, "slow", "SELECT 'PASS' AS status, 'x' AS name, pg_sleep(20)::text AS detail")
    report = run(project, timeout="200ms")
    assert report.checks[0].error.sqlstate == "57014"


def test_a_check_waiting_for_a_lock_gives_up_after_lock_timeout(project):
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nlock_timeout: 200ms\n")
    project.query("CREATE TABLE t (id int)")
    write_check(project, "blocked", "SELECT 'PASS' AS status, 'x' AS name, count(*)::text AS detail "
                "FROM t")
    with psycopg.connect(project.url) as holder:
        holder.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
        started = time.perf_counter()
        report = run(project)
        assert time.perf_counter() - started < 10
    error = report.checks[0].error
    assert error is not None and error.sqlstate == "55P03"


def test_a_check_whose_connection_is_killed_ends_the_run_with_errors_not_a_hang(project):
    """The server ends the check's backend mid-query (from another connection,
    as an operator or a failover would); the run reports it and finishes."""
    import threading

    write_check(project, "a_ok", "SELECT 'PASS' AS status, 'x' AS name, '' AS detail")
    write_check(project, "b_killed", "SELECT 'PASS' AS status, 'x' AS name,"
                " pg_sleep(30)::text AS detail")
    write_check(project, "c_after", "SELECT 'PASS' AS status, 'x' AS name, '' AS detail")

    def kill() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if project.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE query LIKE %s AND pid <> pg_backend_pid()",
                             ("%pg_sleep(30)%",)):
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill)
    killer.start()
    started = time.perf_counter()
    report = run(project, jobs=1)
    killer.join()
    assert time.perf_counter() - started < 20
    got = by_check(report)
    assert got["a_ok"][0][0] == "PASS"
    assert got["b_killed"][0][0] == "ERROR"
    assert "connection was lost" in got["b_killed"][0][2] or "terminat" in got["b_killed"][0][2]
    assert got["c_after"][0][0] == "ERROR" and "not run" in got["c_after"][0][2]


# -- one snapshot ---------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 3])
def test_every_check_sees_the_snapshot_taken_at_the_start(project, jobs):
    """A writer commits while the first checks run; a check that starts later,
    in a new transaction on another connection, must not see the row."""
    project.query("CREATE TABLE t (id int PRIMARY KEY)")
    sleeping = ("SELECT 'PASS' AS status, 'sleep' AS name, pg_sleep({})::text AS detail, "
                "pg_backend_pid() AS pid")
    # The leader (which exported the snapshot) takes a_sleep first and stays
    # busy; d_count then runs on a worker that imports the snapshot.
    write_check(project, "a_sleep", sleeping.format(1.5))
    write_check(project, "b_sleep", sleeping.format(1.5))
    write_check(project, "c_sleep", sleeping.format(0.6))
    write_check(project, "d_count", """\
SELECT CASE WHEN count(*) = 0 THEN 'PASS' ELSE 'FAIL' END AS status,
       'rows in t' AS name, count(*)::text AS detail,
       (SELECT clock_timestamp()) AS checked_at, pg_backend_pid() AS pid
  FROM t""")
    committed: list[float] = []

    def writer() -> None:
        with psycopg.connect(project.url, autocommit=True) as conn:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                n = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                 "'sqlmig' AND query LIKE '%%pg_sleep%%'").fetchone()[0]
                if n:
                    break
                time.sleep(0.02)
            conn.execute("INSERT INTO t VALUES (1)")
            committed.append(conn.execute("SELECT extract(epoch FROM clock_timestamp())")
                             .fetchone()[0])

    thread = threading.Thread(target=writer)
    thread.start()
    report = run(project, jobs=jobs)
    thread.join()
    assert project.scalar("SELECT count(*) FROM t") == 1
    count = report.checks[3]
    assert [(r.status, r.detail) for r in count.results] == [("PASS", "0")]
    assert report.jobs == jobs
    # d_count started after the insert had committed, and still did not see it.
    from datetime import datetime

    checked_at = datetime.fromisoformat(count.results[0].extra["checked_at"]).timestamp()
    assert checked_at > float(committed[0])
    if jobs > 1:
        assert count.results[0].extra["pid"] != report.checks[0].results[0].extra["pid"]


def test_never_more_connections_than_jobs(project):
    for name in "abcde":
        write_check(project, name, "SELECT 'PASS' AS status, 'x' AS name, pg_sleep(0.2)::text AS "
                    "detail")
    write_check(project, "f_count", """\
SELECT 'PASS' AS status, 'connections' AS name, count(*)::text AS detail
  FROM pg_stat_activity WHERE application_name = 'sqlmig' AND datname = current_database()""")
    report = run(project, jobs=2)
    assert report.jobs == 2
    assert int(report.checks[-1].results[0].detail) <= 2


# -- the Python API --------------------------------------------------------------------------------


def test_the_api_returns_a_typed_report(project):
    write_check(project, "ok", PASS)
    report = sqlmig.check(project.root, env="dev")
    assert isinstance(report, sqlmig.CheckReport)
    assert isinstance(report.checks[0], sqlmig.CheckOutcome)
    assert isinstance(report.results[0], sqlmig.CheckResult)
    assert isinstance(report.summary, sqlmig.CheckSummary)
    assert report.duration_ms > 0 and report.env == "dev"
    for name in ("check", "check_history", "CheckReport", "CheckResult", "CheckOutcome",
                 "CheckSummary", "CheckFault", "CheckFile", "RecordedRun", "OnFailResult"):
        assert name in sqlmig.__all__


def test_database_url_overrides_the_config(project, tmp_path):
    write_check(project, "ok", PASS)
    (project.root / "config" / "dev.yaml").write_text("database_url: 'postgresql://nobody@/x'\n")
    report = sqlmig.check(project.root, database_url=project.url)
    assert report.ok()
