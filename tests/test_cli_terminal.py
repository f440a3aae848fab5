"""Colour and progress on a terminal, and nothing of either in a pipe.

The real ``sqlmig`` runs in a subprocess whose stdout and stderr are a
pseudo-terminal (python's ``pty``) or pipes.  ``NO_COLOR`` (any non-empty
value) turns colour off everywhere, ``FORCE_COLOR`` turns it on even in a
pipe; progress (a long migration's elapsed seconds) is shown on a terminal
only, whatever the colour variables say."""

from __future__ import annotations

import os
import pty
import subprocess
import time
from pathlib import Path

import pytest

from conftest import sqlmig_command
from sqlmig.cli.render.progress import elapsed

ANSI = b"\x1b["


def environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm"
    env.update(extra)
    return env


def on_pty(*args: str, env: dict[str, str], timeout: float = 60) -> tuple[int, bytes]:
    """Run sqlmig with stdout and stderr on one pseudo-terminal; its exit code and output."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sqlmig_command(), *args], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(timeout=timeout), out


def piped(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sqlmig_command(), *args], capture_output=True, env=env, timeout=60)


@pytest.fixture
def lint_project(tmp_path: Path) -> Path:
    """A project whose one migration draws lint warnings (no database needed)."""
    (tmp_path / "sql" / "migrations").mkdir(parents=True)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "dev.yaml").write_text("database_url: postgresql://nobody@localhost/x\n")
    (tmp_path / "sql" / "migrations" / "0001_t.sql").write_text("CREATE TABLE t (a int);\n")
    return tmp_path


MISSING = ("status", "--project", "/nonexistent/sqlmig-project")  # exit 2, an error: line


@pytest.mark.slow
def test_error_line_is_coloured_on_a_terminal_unless_no_color():
    code, out = on_pty(*MISSING, env=environ())
    assert code == 2 and b"error: " in out and ANSI in out, out
    code, out = on_pty(*MISSING, env=environ(NO_COLOR="1"))
    assert code == 2 and b"error: " in out and ANSI not in out, out


@pytest.mark.slow
def test_error_line_is_plain_in_a_pipe_unless_force_color():
    plain = piped(*MISSING, env=environ())
    assert plain.returncode == 2 and plain.stderr.startswith(b"error: "), plain.stderr
    forced = piped(*MISSING, env=environ(FORCE_COLOR="1"))
    assert forced.returncode == 2 and ANSI in forced.stderr, forced.stderr
    both = piped(*MISSING, env=environ(FORCE_COLOR="1", NO_COLOR="yes"))
    assert ANSI not in both.stderr  # NO_COLOR wins


@pytest.mark.slow
@pytest.mark.parametrize("variable", ["", "NO_COLOR"])
def test_lint_follows_no_color_on_a_terminal(lint_project, variable):
    env = environ(**({variable: "1"} if variable else {}))
    code, out = on_pty("lint", "--project", str(lint_project), env=env)
    assert code == 0 and b"missing-primary-key" in out, out
    assert (ANSI in out) is (not variable), out


@pytest.mark.slow
def test_lint_is_plain_in_a_pipe_and_coloured_with_force_color(lint_project):
    plain = piped("lint", "--project", str(lint_project), env=environ())
    assert b"missing-primary-key" in plain.stdout and ANSI not in plain.stdout
    forced = piped("lint", "--project", str(lint_project), env=environ(FORCE_COLOR="1"))
    assert ANSI in forced.stdout


@pytest.mark.slow
def test_a_long_migration_shows_its_elapsed_seconds_on_a_terminal_only(project):
    project.add(1, "slow", "SELECT pg_sleep(2.6);\n")
    code, out = on_pty("apply", "--project", str(project.root), env=environ(NO_COLOR="1"))
    assert code == 0, out
    # The tick is written after the line's "... " and erased before "ok".
    assert b"[1/1] 0001_slow ... 2s\b\b  \b\bok " in out, out
    project.add(2, "slow_too", "SELECT pg_sleep(2.6);\n")
    result = piped("apply", "--project", str(project.root), env=environ(FORCE_COLOR="1"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("[1/1] 0002_slow_too ... ") and "ok" in lines[0], lines
    assert "\b" not in result.stdout.decode() and "2s" not in lines[0]


def test_elapsed_writes_on_a_terminal_and_erases_what_it_wrote():
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as stream:
        with elapsed("backing up", stream, after=0.05):
            time.sleep(0.3)
        stream.write("done\n")
    text = ""
    while "done" not in text:
        text += os.read(master, 4096).decode()
    os.close(master)
    assert text.startswith("backing up ... 0s"), repr(text)
    # Back to the start of the line and blank: what follows is on a clean line.
    written = "backing up ... 0s"
    assert ("\b" * len(written) + " " * len(written) + "\b" * len(written) + "done") in text


def test_elapsed_writes_nothing_into_a_pipe():
    read, write = os.pipe()
    with os.fdopen(write, "w") as stream:
        with elapsed("backing up", stream, after=0.05):
            time.sleep(0.2)
    with os.fdopen(read) as r:
        assert r.read() == ""
