"""`lock: table`: the lock row for engines without advisory locks."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time

import psycopg

from conftest import TestProject
from sqlmig.core import lock
from sqlmig.core.connection import connect
from test_fleet import ACCOUNTS, Sampler, applied_versions, query

TABLE_LOCK = "lock: table\n"


def table_lock_project(project: TestProject) -> TestProject:
    (project.root / "config" / "dev.yaml").write_text(f"database_url: '{project.url}'\n{TABLE_LOCK}")
    project.add(1, "accounts", ACCOUNTS)
    return project


def holder(url: str) -> lock.TableLock:
    held = lock.TableLock("sqlmig", lambda: connect(url))
    held.acquire(0)
    return held


def test_apply_with_table_lock_creates_the_lock_row_and_no_advisory_lock(
        project: TestProject) -> None:
    table_lock_project(project)
    result = project.cli("apply")
    assert result.exit_code == 0, result.output
    assert project.query("SELECT id FROM sqlmig.sqlmig_lock") == [(True,)]
    assert 4 in [r[0] for r in project.query("SELECT version FROM sqlmig.sqlmig_ledger_version")]
    assert project.ledger_versions() == [1]
    assert project.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0


def test_a_held_lock_row_refuses_naming_the_holder(project: TestProject) -> None:
    table_lock_project(project)
    held = holder(project.url)
    try:
        assert held.conn is not None
        pid = held.conn.info.backend_pid
        result = project.cli("apply", "--lock-wait", "200ms")
    finally:
        held.release()
    assert result.exit_code == 3
    assert 'another sqlmig run holds the migration lock (the row of "sqlmig".sqlmig_lock; ' \
           "waited 0.2 s): pid " + str(pid) in result.stderr
    assert "application_name 'sqlmig'" in result.stderr
    assert project.ledger_versions() == []
    assert project.cli("apply").exit_code == 0


def test_a_waiting_run_gets_the_lock_when_it_is_released(project: TestProject) -> None:
    table_lock_project(project)
    held = holder(project.url)
    threading.Timer(0.5, held.release).start()
    started = time.perf_counter()
    result = project.cli("apply", "--lock-wait", "10s")
    assert result.exit_code == 0, result.output
    assert 0.4 < time.perf_counter() - started < 8
    assert project.ledger_versions() == [1]


def test_a_killed_runner_leaves_no_lock_behind(project: TestProject) -> None:
    table_lock_project(project)
    script = textwrap.dedent(f"""
        import sys, time
        from sqlmig.core import lock
        from sqlmig.core.connection import connect
        held = lock.TableLock("sqlmig", lambda: connect({project.url!r}))
        held.acquire(0)
        print("locked", flush=True)
        time.sleep(600)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        blocked = project.cli("apply", "--lock-wait", "0")
        assert blocked.exit_code == 3 and "holds the migration lock" in blocked.stderr
        proc.send_signal(signal.SIGKILL)  # no cleanup of any kind runs
        proc.wait(10)
        result = project.cli("apply", "--lock-wait", "10s")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert result.exit_code == 0, result.output
    assert project.ledger_versions() == [1]


def test_concurrent_first_runs_create_the_lock_table_once(db_url: str) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def take() -> None:
        try:
            barrier.wait()
            held = lock.TableLock("fresh_schema", lambda: connect(db_url))
            held.acquire(10)
            held.release()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert query(db_url, "SELECT count(*) FROM fresh_schema.sqlmig_lock") == [(1,)]


def test_fleet_with_table_lock_counts_the_lock_connection(project: TestProject) -> None:
    names = ["a1", "a2", "a3", "a4"]
    query(project.url, "; ".join(f"CREATE SCHEMA {n}" for n in names))
    project.add(1, "accounts", ACCOUNTS)
    (project.root / "config" / "fleet.yaml").write_text(
        f"database_url: '{project.url}'\ntargets_schemas: [{', '.join(names)}]\n{TABLE_LOCK}")
    one = project.cli("apply", "--env", "fleet", "--jobs", "1")
    assert one.exit_code == 1
    assert "needs 2 connections at once (1 session + 1 holding the lock row (lock: table))" \
        in one.stdout
    dbname = str(psycopg.conninfo.conninfo_to_dict(project.url)["dbname"])
    with Sampler(project.url, [dbname]) as sampler:
        result = project.cli("apply", "--env", "fleet", "--jobs", "3")
    assert result.exit_code == 0, result.output
    assert sampler.max <= 3
    assert all(applied_versions(project.url, n) == [1] for n in names)
    assert query(project.url, "SELECT count(*) FROM a1.sqlmig_lock") == [(1,)]


def test_a_new_run_waits_for_a_migration_that_outlived_its_runners_lock(
        project: TestProject) -> None:
    """The lock connection of a killed run is gone, but its migration's
    transaction still runs on the server: the next run must not start the same
    file beside it."""
    table_lock_project(project)
    holder(project.url).release()  # creates the lock table, as a first run would
    orphan = psycopg.connect(project.url, autocommit=True, application_name="sqlmig: 0001_x")
    try:
        orphan.execute("BEGIN")
        orphan.execute(lock.share_sql("sqlmig"))
        orphan.execute("CREATE TABLE accounts (id int)")  # what it was doing
        blocked = project.cli("apply", "--lock-wait", "0")
        assert blocked.exit_code == 3, blocked.output
        assert "a migration of an earlier sqlmig run is still executing" in blocked.stderr
        assert "application_name 'sqlmig: 0001_x'" in blocked.stderr
        assert project.ledger_versions() == []
        threading.Timer(0.5, orphan.execute, ("ROLLBACK",)).start()
        started = time.perf_counter()
        waited = project.cli("apply", "--lock-wait", "10s")
    finally:
        orphan.close()
    assert waited.exit_code == 0, waited.output
    assert 0.4 < time.perf_counter() - started < 8
    assert project.ledger_versions() == [1]


def test_lock_wait_needs_a_unit(project: TestProject) -> None:
    table_lock_project(project)
    result = project.cli("apply", "--lock-wait", "10")
    assert result.exit_code == 2
    assert "`10` has no unit: write 10s" in result.stderr
    result = project.cli("apply", "--lock-wait", "0.4us")
    assert result.exit_code == 2 and "a duration from 1ms to 2147483647ms" in result.stderr
    result = project.cli("apply", "--lock-wait", "30d")
    assert result.exit_code == 2 and "out of that range" in result.stderr
    assert project.ledger_versions() == []
