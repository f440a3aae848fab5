"""``sqlmig import`` of projects made and deployed by the real tools.

dbmate (npm package ``dbmate``, which ships the binary), yoyo (PyPI
``yoyo-migrations``, in a venv of its own) and Sqitch (Debian ``sqitch``)
create the files and apply them to a real database; sqlmig then imports the
files and adopts the tool's ledger.  The oracles are the tools' own tables,
dumped before and after (unchanged), the tool's own record of what it applied,
and sqlmig's status and rollback afterwards.  Each tool is installed by the
session when missing (bounded in time); a test skips with the reason when
that is impossible.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from typing import NoReturn
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

import sqlmig
from sqlmig.cli.main import cli

INSTALL_TIMEOUT = 300


def _unavailable(reason: str) -> NoReturn:
    """Skip here; in CI (which installs these tools itself) a failed install is
    a failure, never a silent skip."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must be able to install this tool: {reason}")
    pytest.skip(reason)


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
                          **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="session")
def dbmate(tmp_path_factory: pytest.TempPathFactory) -> str:
    if shutil.which("dbmate"):
        return str(shutil.which("dbmate"))
    if shutil.which("npm") is None:
        pytest.skip("dbmate needs npm (npm install dbmate), which is not installed")
    where = tmp_path_factory.mktemp("dbmate")
    try:
        done = _run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(where),
                     "dbmate"])
    except (OSError, subprocess.SubprocessError) as exc:
        _unavailable(f"npm install dbmate failed: {exc}")
    exe = where / "node_modules" / ".bin" / "dbmate"
    if done.returncode != 0 or not exe.exists():
        _unavailable(f"npm install dbmate failed: {done.stderr[-500:]}")
    return str(exe)


@pytest.fixture(scope="session")
def yoyo(tmp_path_factory: pytest.TempPathFactory) -> str:
    where = tmp_path_factory.mktemp("yoyo-venv")
    try:
        venv.create(where, with_pip=True)
        pip = where / "bin" / "pip"
        done = _run([str(pip), "install", "-q", "yoyo-migrations", "psycopg2-binary"])
    except (OSError, subprocess.SubprocessError) as exc:
        _unavailable(f"pip install yoyo-migrations failed: {exc}")
    exe = where / "bin" / "yoyo"
    if done.returncode != 0 or not exe.exists():
        _unavailable(f"pip install yoyo-migrations failed: {done.stderr[-500:]}")
    return str(exe)


@pytest.fixture(scope="session")
def sqitch() -> str:
    if shutil.which("sqitch") is None or shutil.which("psql") is None:
        if not (os.environ.get("CI") and hasattr(os, "geteuid") and os.geteuid() == 0
                and shutil.which("apt-get")):
            pytest.skip("sqitch is not installed (apt-get install sqitch postgresql-client; "
                        "CI as root installs it itself)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            _run(["apt-get", "update", "-qq"], env=env)
            _run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "sqitch",
                  "postgresql-client"], env=env)
        except (OSError, subprocess.SubprocessError) as exc:
            _unavailable(f"apt-get install sqitch failed: {exc}")
    exe = shutil.which("sqitch")
    if exe is None or shutil.which("psql") is None:
        _unavailable("sqitch or psql could not be installed")
    return exe


def _tables(url: str, *names: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the other tool's tables, as the oracle of "left untouched"."""
    out = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for name in names:
            out[name] = conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()
    return out


def _ledger(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "SELECT version, name, status, source_tool, source_version, source_checksum"
            " FROM sqlmig.schema_migrations ORDER BY version").fetchall()


def _import(fmt: str, src: Path, into: Path, url: str) -> None:
    result = CliRunner().invoke(cli, ["import", fmt, str(src), "--into", str(into),
                                      "--database-url", url], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _socket_env(pg_server: object) -> dict[str, str]:
    return {**os.environ, "PGHOST": str(pg_server.host), "PGPORT": str(pg_server.port),  # type: ignore[attr-defined]
            "PGUSER": str(pg_server.user)}  # type: ignore[attr-defined]


def _dbname(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    return str(conninfo_to_dict(url)["dbname"])


def test_dbmate_project_and_history_are_adopted(dbmate, pg_server, db_url, tmp_path):
    src = tmp_path / "db" / "migrations"
    src.mkdir(parents=True)
    (src / "20240101120000_create_users.sql").write_text(
        "-- migrate:up\nCREATE TABLE users (id int PRIMARY KEY, email text);\n\n"
        "-- migrate:down\nDROP TABLE users;\n")
    (src / "20240102120000_index_email.sql").write_text(
        "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_email ON users (email);"
        "\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY users_email;\n")
    (src / "20240103120000_add_name.sql").write_text(
        "-- migrate:up\nALTER TABLE users ADD COLUMN name text;\n\n-- migrate:down\n")
    db = _dbname(db_url)
    url = (f"postgres://{pg_server.user}@/{db}?socket={pg_server.host}&port={pg_server.port}"
           "&sslmode=disable")
    # dbmate applies the first two; the third stays pending.
    (tmp_path / "later").mkdir()
    shutil.move(str(src / "20240103120000_add_name.sql"), tmp_path / "later")
    done = _run([dbmate, "--url", url, "--migrations-dir", str(src), "--no-dump-schema", "up"])
    assert done.returncode == 0, done.stderr
    shutil.move(str(tmp_path / "later" / "20240103120000_add_name.sql"), src)
    before = _tables(db_url, "public.schema_migrations")
    assert [r[0] for r in before["public.schema_migrations"]] == ["20240101120000",
                                                                 "20240102120000"]

    into = tmp_path / "proj"
    _import("dbmate", src, into, db_url)

    assert _tables(db_url, "public.schema_migrations") == before
    assert _ledger(db_url) == [
        (20240101120000, "20240101120000_create_users", "imported", "dbmate", "20240101120000",
         None),
        (20240102120000, "20240102120000_index_email", "imported", "dbmate", "20240102120000",
         None),
    ]
    mig = into / "sql" / "migrations"
    assert "-- sqlmig: no-transaction" in (mig / "20240102120000_index_email.sql").read_text()
    # The empty down section is no rollback: rolling it back is refused, not a no-op.
    assert not (into / "sql" / "rollbacks" / "20240103120000_add_name.sql").exists()
    assert subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=into / "sql",
                          capture_output=True).returncode == 0
    st = sqlmig.status(into, database_url=db_url)
    assert st.ok, st.problems
    assert [m.version for m in st.pending] == [20240103120000]
    assert st.current_version == 20240102120000
    # An imported migration rolls back like an applied one (here outside a
    # transaction, as dbmate's down section said) ...
    sqlmig.rollback(into, database_url=db_url, steps=1)
    with psycopg.connect(db_url, autocommit=True) as conn:
        assert conn.execute("SELECT to_regclass('users_email')").fetchone() == (None,)
    # ... and sqlmig carries on where dbmate stopped.
    applied = sqlmig.apply(into, database_url=db_url)
    assert [m.version for m in applied.applied] == [20240102120000, 20240103120000]
    with pytest.raises(sqlmig.LedgerProblem, match="add_name has no rollback file"):
        sqlmig.rollback(into, database_url=db_url, steps=1)


def test_yoyo_project_and_history_are_adopted(yoyo, pg_server, db_url, tmp_path):
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001.create-users.sql").write_text("CREATE TABLE users (id int PRIMARY KEY);\n")
    (src / "0001.create-users.rollback.sql").write_text("DROP TABLE users;\n")
    (src / "0002.index-users.sql").write_text(
        "-- depends: 0001.create-users\n-- transactional: false\n"
        "CREATE INDEX CONCURRENTLY users_id ON users (id);\n")
    db = _dbname(db_url)
    url = f"postgresql://{pg_server.user}@/{db}?host={pg_server.host}&port={pg_server.port}"
    done = _run([yoyo, "apply", "--batch", "--no-config-file", "--database", url, str(src)])
    assert done.returncode == 0, done.stderr + done.stdout
    yoyo_tables = ("public._yoyo_migration", "public._yoyo_log")
    before = _tables(db_url, *yoyo_tables)
    assert len(before["public._yoyo_migration"]) == 2

    into = tmp_path / "proj"
    _import("yoyo", src, into, db_url)

    assert _tables(db_url, *yoyo_tables) == before
    hashes = {r[1]: r[0] for r in before["public._yoyo_migration"]}
    assert _ledger(db_url) == [
        (1, "0001_create_users", "imported", "yoyo", "0001.create-users",
         hashes["0001.create-users"]),
        (2, "0002_index_users", "imported", "yoyo", "0002.index-users",
         hashes["0002.index-users"]),
    ]
    text = (into / "sql" / "migrations" / "0002_index_users.sql").read_text()
    assert "-- sqlmig: no-transaction" in text
    st = sqlmig.status(into, database_url=db_url)
    assert st.ok and not st.pending, st.problems


def test_sqitch_project_and_history_are_adopted(sqitch, pg_server, db_url, tmp_path):
    top = tmp_path / "flipr"
    top.mkdir()
    env = {**_socket_env(pg_server), "SQITCH_USER_CONFIG": str(tmp_path / "none.conf"),
           "SQITCH_FULLNAME": "Test User", "SQITCH_EMAIL": "test@example.com"}
    db = _dbname(db_url)

    def sq(*args: str) -> None:
        done = _run([sqitch, *args], cwd=top, env=env)
        assert done.returncode == 0, done.stderr + done.stdout

    sq("init", "flipr", "--engine", "pg")
    sq("add", "appschema", "-n", "Add the schema.")
    sq("add", "users", "--requires", "appschema", "-n", "Users.")
    (top / "deploy" / "appschema.sql").write_text(
        "-- Deploy flipr:appschema to pg\n\nBEGIN;\n\nCREATE SCHEMA flipr;\n\nCOMMIT;\n")
    (top / "revert" / "appschema.sql").write_text(
        "-- Revert flipr:appschema from pg\n\nBEGIN;\n\nDROP SCHEMA flipr;\n\nCOMMIT;\n")
    (top / "deploy" / "users.sql").write_text(
        "-- Deploy flipr:users to pg\n\nBEGIN;\n\nCREATE TABLE flipr.users (nick text PRIMARY "
        "KEY);\n\nCOMMIT;\n")
    (top / "revert" / "users.sql").write_text(
        "BEGIN;\nDROP TABLE flipr.users;\nCOMMIT;\n")
    sq("deploy", f"db:pg:{db}")
    before = _tables(db_url, "sqitch.changes", "sqitch.events", "sqitch.projects")
    assert sorted(r[2] for r in before["sqitch.changes"]) == ["appschema", "users"]

    into = tmp_path / "proj"
    _import("sqitch", top, into, db_url)

    assert _tables(db_url, "sqitch.changes", "sqitch.events", "sqitch.projects") == before
    rows = _ledger(db_url)
    hashes = {r[2]: r[1] for r in before["sqitch.changes"]}
    assert rows == [(1, "0001_appschema", "imported", "sqitch", "appschema", hashes["appschema"]),
                    (2, "0002_users", "imported", "sqitch", "users", hashes["users"])]
    up = (into / "sql" / "migrations" / "0002_users.sql").read_text()
    assert "BEGIN" not in up and "COMMIT" not in up and "CREATE TABLE flipr.users" in up
    st = sqlmig.status(into, database_url=db_url)
    assert st.ok and not st.pending, st.problems
    sqlmig.rollback(into, database_url=db_url, steps=2)
    with psycopg.connect(db_url, autocommit=True) as conn:
        assert conn.execute("SELECT to_regnamespace('flipr')").fetchone() == (None,)


def test_sqitch_reworked_change_is_refused_and_nothing_is_written(sqitch, pg_server, tmp_path):
    top = tmp_path / "flipr"
    top.mkdir()
    env = {**_socket_env(pg_server), "SQITCH_USER_CONFIG": str(tmp_path / "none.conf"),
           "SQITCH_FULLNAME": "Test User", "SQITCH_EMAIL": "test@example.com"}

    def sq(*args: str) -> None:
        done = _run([sqitch, *args], cwd=top, env=env)
        assert done.returncode == 0, done.stderr + done.stdout

    sq("init", "flipr", "--engine", "pg")
    sq("add", "users", "-n", "Users.")
    sq("tag", "v1.0", "-n", "Tag v1.0.")
    sq("rework", "users", "-n", "Users, again.")
    into = tmp_path / "proj"
    result = CliRunner().invoke(cli, ["import", "sqitch", str(top), "--into", str(into)])
    assert result.exit_code == 2, result.output
    assert "sqitch.plan" in result.output and "reworked" in result.output
    assert "Traceback" not in result.output
    assert not into.exists()


assert sys.version_info >= (3, 10)
