"""`sqlmig verify --jobs N`: consecutive ranges proven at once, each on a scratch
database of its own, with the verdicts of one range (the oracle: the same
project verified with --jobs 1), on the session's scratch server."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

import sqlmig
from conftest import scratch_databases, sqlmig_command
from sqlmig.errors import DatabaseError

TABLE = "CREATE TABLE t{v} (id int PRIMARY KEY, note text);\n"
DROP = "DROP TABLE t{v};\n"


def verdicts(result: sqlmig.VerifyResult) -> list[tuple]:
    return [(c.version, c.name, c.status, c.rollback, c.reapply, c.errors, c.data, c.reason)
            for c in result.checks]


def verify(project, jobs: int, **kw) -> sqlmig.VerifyResult:
    return sqlmig.verify_migrations(project.root, jobs=jobs, **kw)


@contextmanager
def most_at_once(scratch_server: str) -> Iterator[list[int]]:
    """The largest number of verify's scratch databases that existed at once
    while the block ran, as a watcher polling pg_database saw it."""
    seen, done = [0], threading.Event()

    def watch() -> None:
        with psycopg.connect(scratch_server, autocommit=True) as conn:
            while not done.is_set():
                n = conn.execute("SELECT count(*) FROM pg_database "
                                 "WHERE datname LIKE 'sqlmig\\_verify\\_%'").fetchone()[0]
                seen[0] = max(seen[0], n)
                time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield seen
    finally:
        done.set()
        watcher.join()


@pytest.fixture
def mixed(project):
    """Twelve migrations: passing ones, a rollback that leaves an index, one that
    drops a default it did not add, a re-apply that fails, an irreversible one
    and one without a rollback, spread so that every range of three has some."""
    for v in range(1, 13):
        project.add(v, f"t{v}", TABLE.format(v=v), DROP.format(v=v))
    project.add(3, "t3", TABLE.format(v=3) + "CREATE INDEX t3_note ON t3 (note);\n",
                "DROP INDEX t3_note;\n")  # leaves table t3 (and the re-apply fails)
    project.add(6, "t6", "ALTER TABLE t1 ALTER COLUMN note SET DEFAULT 'x';\n",
                "ALTER TABLE t1 ALTER COLUMN note DROP DEFAULT;\nALTER TABLE t2 "
                "ALTER COLUMN note SET DEFAULT 'y';\n")  # changes t2 too
    project.add(8, "t8", TABLE.format(v=8) + "INSERT INTO t1 VALUES (1);\n", DROP.format(v=8))
    project.add(10, "t10", "-- sqlmig: irreversible drops data\n" + TABLE.format(v=10),
                DROP.format(v=10))
    (project.root / "sql" / "rollbacks" / "0011_t11.sql").unlink()
    project.write_manifest()
    return project


def test_ranges_give_the_verdicts_of_one_range(mixed, scratch_server):
    serial = verify(mixed, 1)
    with most_at_once(scratch_server) as seen:
        ranged = verify(mixed, 3)
    assert seen == [3]  # three ranges, each on a database of its own
    assert verdicts(ranged) == verdicts(serial)
    assert [c.status for c in ranged.checks] == [
        "pass", "pass", "fail", "pass", "pass", "fail", "pass", "fail", "pass", "skipped",
        "no rollback", "pass"]
    assert "table t3 is left over" in ranged.checks[2].rollback
    assert any("duplicate key" in e for e in ranged.checks[7].errors)
    assert not ranged.ok
    assert scratch_databases(mixed, scratch_server, "verify") == []


def test_a_migration_that_fails_to_apply_leaves_every_later_one_unverified(
        project, scratch_server):
    for v in range(1, 10):
        project.add(v, f"t{v}", TABLE.format(v=v), DROP.format(v=v))
    project.add(4, "t4", "ALTER TABLE nowhere ADD COLUMN x int;\n", "SELECT 1;\n")
    serial, ranged = verify(project, 1), verify(project, 3)
    assert verdicts(ranged) == verdicts(serial)
    statuses = [c.status for c in ranged.checks]
    assert statuses == ["pass"] * 3 + ["fail"] + ["not verified"] * 5
    assert {c.reason for c in ranged.checks[4:]} == {"0004_t4 failed to apply"}
    assert scratch_databases(project, scratch_server, "verify") == []


def test_a_failure_below_the_range_is_reported_as_without_ranges(project):
    for v in range(1, 8):
        project.add(v, f"t{v}", TABLE.format(v=v), DROP.format(v=v))
    project.add(2, "t2", "ALTER TABLE nowhere ADD COLUMN x int;\n", "SELECT 1;\n")
    with pytest.raises(sqlmig.SqlmigError) as serial:
        verify(project, 1, from_version=4)
    with pytest.raises(sqlmig.SqlmigError) as ranged:
        verify(project, 3, from_version=4)
    assert type(ranged.value) is type(serial.value)
    assert str(ranged.value) == str(serial.value) and "nowhere" in str(ranged.value)


def test_roles_made_by_the_files_are_proven_one_range_at_a_time(project, scratch_server):
    """A role belongs to the whole server: ranges replayed at once would create
    and drop it under each other ("role ... already exists")."""
    role = "sqlmig_verify_jobs_role"
    project.add(1, "role", f"CREATE ROLE {role};\n", f"DROP ROLE {role};\n")
    for v in range(2, 10):
        project.add(v, f"t{v}", TABLE.format(v=v) + f"GRANT SELECT ON t{v} TO {role};\n"
                    "SELECT pg_sleep(0.02);\n",
                    f"REVOKE SELECT ON t{v} FROM {role};\n" + DROP.format(v=v))
    with most_at_once(scratch_server) as seen:
        result = verify(project, 3)
    assert seen == [1]
    assert result.ok, [c.problems for c in result.checks]
    assert [c.status for c in result.checks] == ["pass"] * 9
    with psycopg.connect(scratch_server, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                            (role,)).fetchone() == (0,)


def test_after_a_failed_rollback_the_next_migration_starts_from_the_ups(
        project, scratch_server):
    """A rollback that drops its table but leaves another one behind fails; the
    re-apply succeeds.  The next migration, which creates that other table,
    runs on what the ups alone make (as in production), with or without
    ranges: it passes."""
    project.add(1, "t1", TABLE.format(v=1), DROP.format(v=1))
    project.add(2, "t2", TABLE.format(v=2), DROP.format(v=2) + "CREATE TABLE extra (id int);\n")
    project.add(3, "t3", "CREATE TABLE extra (id int);\n", "DROP TABLE extra;\n")
    project.add(4, "t4", TABLE.format(v=4), DROP.format(v=4))
    serial, ranged = verify(project, 1), verify(project, 2)
    assert [c.status for c in serial.checks] == ["pass", "fail", "pass", "pass"]
    assert "table extra is left over" in serial.checks[1].rollback
    assert verdicts(ranged) == verdicts(serial)
    assert scratch_databases(project, scratch_server, "verify") == []


def test_the_newest_version_runs_the_repeatables_and_the_data_pass(mixed, scratch_server):
    mixed.add(13, "t13", "ALTER TABLE t12 ADD COLUMN extra int;\n",
              "DELETE FROM t12 WHERE note = 'b';\nALTER TABLE t12 DROP COLUMN extra;\n")
    (mixed.root / "sql" / "repeatable").mkdir()
    (mixed.root / "sql" / "repeatable" / "views.sql").write_text(
        "CREATE OR REPLACE VIEW v12 AS SELECT id FROM t12;\n")
    mixed.write_manifest()
    seed = mixed.root / "seed.sql"
    seed.write_text("INSERT INTO t12 VALUES (1, 'a'), (2, 'b');\n")
    serial = verify(mixed, 1, with_data=True, seed_script=str(seed))
    ranged = verify(mixed, 4, with_data=True, seed_script=str(seed))
    assert verdicts(ranged) == verdicts(serial)
    assert ranged.checks[-1].data == ["rollback loses 1 of 2 rows of t12"]
    assert [(r.name, r.status) for r in serial.repeatables] == [("views", "pass")]
    assert [(r.name, r.status) for r in ranged.repeatables] == [("views", "pass")]
    assert scratch_databases(mixed, scratch_server, "verify") == []


def test_the_cli_takes_jobs(mixed):
    result = mixed.cli("verify", "--jobs", "2", "--json")
    assert result.exit_code == 1, result.output
    body = json.loads(result.stdout)
    checks = body.get("result", body).get("checks")
    assert [c["status"] for c in checks][:3] == ["pass", "pass", "fail"]
    bad = mixed.cli("verify", "--jobs", "0")
    assert bad.exit_code == 2 and "--jobs" in bad.stderr


@pytest.mark.parametrize("jobs", [1, 3])
def test_a_range_whose_connections_are_cut_ends_the_run_and_leaves_nothing(
        project, scratch_server, jobs):
    """The fault: every connection to one range's database is terminated while
    the ranges run.  Then look: verify ends with sqlmig's DatabaseError (not a
    psycopg traceback, nor a verdict blaming a migration), every range's
    database is dropped and no session to any of them is left."""
    for v in range(1, 10):
        project.add(v, f"t{v}", TABLE.format(v=v) + "SELECT pg_sleep(0.15);\n", DROP.format(v=v))
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(verify(project, jobs))
        except BaseException as exc:  # noqa: BLE001 - inspected below
            outcome.append(exc)

    runner = threading.Thread(target=run)
    runner.start()
    cut: list[str] = []
    with psycopg.connect(scratch_server, autocommit=True) as conn:
        deadline = time.monotonic() + 60
        while not cut and runner.is_alive() and time.monotonic() < deadline:
            rows = conn.execute(
                "SELECT datname FROM pg_stat_activity WHERE datname LIKE 'sqlmig\\_verify\\_%' "
                "AND state = 'active' GROUP BY datname ORDER BY datname").fetchall()
            if len(rows) >= min(jobs, 2):  # ranges running at once: cut the first one's
                cut.append(rows[0][0])
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = %s", (cut[0],))
            time.sleep(0.02)
    runner.join(timeout=120)
    assert cut and not runner.is_alive()
    [result] = outcome
    # Not a verdict: no migration is to blame for a connection cut under it.
    assert isinstance(result, DatabaseError), repr(result)
    assert "verify stopped" in str(result) and "Traceback" not in str(result)
    assert scratch_databases(project, scratch_server, "verify") == []
    with psycopg.connect(scratch_server, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname LIKE "
                            "'sqlmig\\_verify\\_%'").fetchone() == (0,)


@pytest.mark.parametrize("during", ["up", "rollback"])
def test_ctrl_c_stops_every_range_at_once(project, scratch_server, during):
    """SIGINT to a real `sqlmig verify --jobs 2` while both ranges run (during
    an up file; or during a rollback, whose cancelled statement fails it and
    would rebuild the range's database first): it exits 130 within a few
    seconds (the ranges had at least 8 s of sleeping left), with the scratch
    databases dropped and no session left on them."""
    up_sleep, down_sleep = (0.5, 0) if during == "up" else (1, 3)
    for v in range(1, 9):
        # Slow rollbacks in the second range only (5-8): rebuilding it after the
        # cancelled one would first re-apply 1-5, 5 s of ups.
        project.add(v, f"t{v}", TABLE.format(v=v) + f"SELECT pg_sleep({up_sleep});\n",
                    DROP.format(v=v) + f"SELECT pg_sleep({down_sleep if v >= 5 else 0});"
                    " -- the rollback\n")
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nscratch: '{scratch_server}'\n")
    proc = subprocess.Popen([sqlmig_command(), "verify", "--jobs", "2", "--project",
                             str(project.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    with psycopg.connect(scratch_server, autocommit=True) as conn:
        deadline = time.monotonic() + 60
        while conn.execute(
                "SELECT count(DISTINCT datname) FILTER (WHERE state = 'active'), "
                "count(*) FILTER (WHERE state = 'active' AND query LIKE '%-- the rollback%' "
                "AND query LIKE '%pg_sleep(3)%') FROM pg_stat_activity "
                "WHERE datname LIKE 'sqlmig\\_verify\\_%'").fetchone() < (2, int(during != "up")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.02)
    signalled = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    took = time.monotonic() - signalled
    assert proc.returncode == 130, err
    assert "interrupted by SIGINT" in err and "Traceback" not in err
    assert took < 4, f"{took:.1f} s: the ranges ran on after the signal"
    assert scratch_databases(project, scratch_server, "verify") == []
    with psycopg.connect(scratch_server, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname LIKE "
                            "'sqlmig\\_verify\\_%'").fetchone() == (0,)
