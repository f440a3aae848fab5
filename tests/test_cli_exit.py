"""The console script ends with ``os._exit`` (sqlmig.cli.entry.exit_now) to skip
Python's teardown: everything else Python's own exit does must still happen.

Each test runs a real process and compares it with what plain Python does,
or looks at the outcome itself (the file a thread wrote, the directory a
finalizer removed)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

from conftest import sqlmig_command

from sqlmig.core import lock

SQLMIG = sqlmig_command()


def python(code: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60, **kw)


def test_threads_are_waited_for_and_atexit_runs_before_the_final_flush(tmp_path):
    """Non-daemon threads are joined, one started while joining too, and an
    executor never shut down ends (its threading atexit hook); daemon threads
    are not waited for; the atexit output, unflushed, is written by the final
    flush."""
    late, later = tmp_path / "late.txt", tmp_path / "later.txt"
    proc = python(f"""
        import atexit, threading, time
        from concurrent.futures import ThreadPoolExecutor
        from sqlmig.cli.entry import exit_now
        atexit.register(lambda: print("atexit ran", end=""))
        def write(path, then=None):
            time.sleep(0.3)
            if then:
                threading.Thread(target=write, args=(then,)).start()
            open(path, "w").write("written")
        threading.Thread(target=write, args=({str(late)!r}, {str(later)!r})).start()
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
        ThreadPoolExecutor(2).submit(time.sleep, 0.1)
        print("main ", end="")
        exit_now(3)
    """)
    assert proc.returncode == 3, proc.stderr
    assert late.read_text() == later.read_text() == "written"
    assert proc.stdout == "main atexit ran"


def test_a_finalizer_removes_its_temporary_directory(tmp_path):
    proc = python("""
        import tempfile
        from sqlmig.cli.entry import exit_now
        kept = tempfile.TemporaryDirectory()
        print(kept.name)
        exit_now(0)
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() and not Path(proc.stdout.strip()).exists()


@pytest.mark.parametrize("code, status, stderr", [
    ("None", 0, ""), ("5", 5, ""), ("256 + 7", 7, ""), ("'went wrong'", 1, "went wrong\n"),
])
def test_exit_codes_are_those_of_sys_exit(code, status, stderr):
    fast = python(f"from sqlmig.cli.entry import exit_now; exit_now({code})")
    plain = python(f"import sys; sys.exit({code})")
    assert (fast.returncode, fast.stderr) == (plain.returncode, plain.stderr) == (status, stderr)


def _closed_stdout(argv: list[str]) -> int:
    read, write = os.pipe()
    os.close(read)  # nobody reads: the first write fails with EPIPE
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    try:
        return subprocess.run(argv, stdout=write, stderr=subprocess.DEVNULL, env=env,
                              timeout=60).returncode
    finally:
        os.close(write)


@pytest.mark.parametrize("code", [0, 1])
def test_a_failed_final_flush_gives_pythons_status(code):
    """Buffered output that cannot be written at exit: Python's status 120,
    whatever the status was (without Python's "Exception ignored" message)."""
    fast = _closed_stdout([sys.executable, "-c", "import sys; from sqlmig.cli.entry import "
                           f"exit_now; sys.stdout.write('x'); exit_now({code})"])
    plain = _closed_stdout([sys.executable, "-c", f"import sys; sys.stdout.write('x'); "
                            f"sys.exit({code})"])
    assert fast == plain == 120


def test_a_closed_stream_is_not_flushed():
    fast = python("import sys; from sqlmig.cli.entry import exit_now; sys.stdout.close(); "
                  "exit_now(0)")
    plain = python("import sys; sys.stdout.close()")
    assert fast.returncode == plain.returncode == 0


def test_a_closed_stdout_ends_the_script_as_it_ends_click():
    plain = _closed_stdout([sys.executable, "-c", "import sys; from sqlmig.cli.main import cli; "
                            "sys.argv = ['sqlmig', 'lint', '--help']; cli(prog_name='sqlmig')"])
    assert _closed_stdout([SQLMIG, "lint", "--help"]) == plain


def test_the_console_script_prints_what_click_prints_with_its_status():
    """The real script against click run in-process, for a success and a usage error."""
    for argv, status in ((["lint", "--help"], 0), (["status", "--bogus"], 2)):
        script = subprocess.run([SQLMIG, *argv], capture_output=True, text=True, timeout=60)
        plain = python(f"""
            import sys
            from sqlmig.cli.main import cli
            sys.argv = ["sqlmig", *{argv!r}]
            cli(prog_name="sqlmig")
        """)
        assert (script.returncode, script.stdout, script.stderr) == (
            plain.returncode, plain.stdout, plain.stderr)
        assert script.returncode == status
        assert (script.stdout if status == 0 else script.stderr).strip()


def _sessions(url: str) -> tuple[int, int]:
    """(sessions, sessions_abandoned) of the database, as the server counts them:
    abandoned are those whose client went away without closing the connection."""
    dbname = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT sessions, sessions_abandoned FROM pg_stat_database "
                           "WHERE datname = %s", (dbname,)).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_the_script_closes_every_connection_before_it_exits(project):
    """os._exit drops what is still open without telling the server; the
    server counts such sessions as abandoned.  A positive control (a process
    that does leave one open) shows the counter sees it: the counters are read
    once the control's server process has ended, after every command's."""
    project.add(1, "t", "CREATE TABLE t (id int);", "DROP TABLE t;")
    project.add(2, "fails", "SELECT 1/0;")
    before = _sessions(project.url)
    argvs = [["apply", "--to", "1"], ["status"], ["plan"], ["history"], ["rollback", "--yes"],
             ["apply"], ["drift"]]
    outcomes = [project.run(*argv).returncode for argv in argvs]
    with psycopg.connect(project.url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (lock.key("sqlmig"),))
        outcomes.append(project.run("apply", "--lock-wait", "0").returncode)
        outcomes.append(project.run("apply", "--lock-wait", "200ms").returncode)
    assert outcomes == [0, 0, 0, 0, 0, 1, 0, 3, 3], outcomes
    leaving = python(f"""
        import os, psycopg
        conn = psycopg.connect({project.url!r})
        print(conn.info.backend_pid, flush=True)
        os._exit(0)
    """)
    assert leaving.returncode == 0, leaving.stderr
    pid = int(leaving.stdout)
    deadline = time.monotonic() + 30
    with psycopg.connect(project.url, autocommit=True) as conn:
        while conn.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s",
                           (pid,)).fetchone()[0] and time.monotonic() < deadline:
            time.sleep(0.05)
    while (now := _sessions(project.url))[1] == before[1] and time.monotonic() < deadline:
        time.sleep(0.05)  # its counters are flushed as it ends
    assert now[1] - before[1] == 1  # the control's, and none of sqlmig's
    assert now[0] - before[0] >= len(outcomes)
