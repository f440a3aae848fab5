"""What a fleet does once per run, and what it does once per target.

Once per run: read and hash the project's files and read the manifest (every
target's Session asks the same Project).  Once per target: one connection when
a target needs one (its pre-read and its apply share it), its own lock, ledger
and audit row.
"""

from __future__ import annotations

import builtins
import io
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest import Server
from test_fleet import (
    Fleet,
    applied_versions,
    create_databases,
    drop_databases,
    query,
    schema_config,
)

import sqlmig


@pytest.fixture
def fleet(tmp_path: Path) -> Fleet:
    return Fleet(tmp_path / "proj")


@pytest.fixture
def reads(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each file under the project's sql/ is opened for reading, by
    its path relative to sql/ (builtins.open and io.open: what Path.read_bytes
    and a plain open() both end up calling; and os.open, with which migration
    files are read)."""
    counts: Counter[str] = Counter()
    sql_dir = (fleet.root / "sql").resolve()
    real, real_os = io.open, os.open

    def count(file: Any) -> None:
        if isinstance(file, (str, os.PathLike)):
            try:
                counts[Path(file).resolve().relative_to(sql_dir).as_posix()] += 1
            except ValueError:
                pass

    def counting(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if not set(mode) & set("wax+"):
            count(file)
        return real(file, mode, *args, **kwargs)

    def counting_os(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if not flags & (os.O_WRONLY | os.O_RDWR):
            count(file)
        return real_os(file, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting)
    monkeypatch.setattr(io, "open", counting)
    monkeypatch.setattr(os, "open", counting_os)
    return counts


@pytest.fixture
def git_asked(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each time sqlmig asks git about a project (sqlmig.core.git.state)."""
    from sqlmig.core import git

    asked: list[Path] = []
    real = git.state

    def counting(project_root: Path, sql_dir: Path) -> git.GitState:
        asked.append(project_root)
        return real(project_root, sql_dir)

    monkeypatch.setattr(git, "state", counting)
    return asked


SQL_FILES = {"migrations/0001_accounts.sql", "migrations/0002_plans.sql",
             "migrations/0003_plan_column.sql", "manifest.sha256"}


def test_project_files_are_read_once_per_fleet_run_not_per_target(
        fleet: Fleet, db_url: str, reads: Counter[str], git_asked: list[Path]) -> None:
    names = [f"t{n}" for n in range(1, 7)]
    query(db_url, "; ".join(f"CREATE SCHEMA {n}" for n in names))
    fleet.config(schema_config(db_url, names))

    result = sqlmig.fleet_apply(fleet.root, "fleet", jobs=3)
    assert result.ok and result.count("applied") == 6, [t.error for t in result.targets]
    assert all(applied_versions(db_url, n) == [1, 2, 3] for n in names)
    assert dict(reads) == {p: 1 for p in SQL_FILES}
    assert len(git_asked) == 1  # the commit each ledger row records: asked once

    reads.clear()
    git_asked.clear()
    noop = sqlmig.fleet_apply(fleet.root, "fleet", jobs=3)
    assert noop.count("up-to-date") == 6
    assert dict(reads) == {p: 1 for p in SQL_FILES}
    assert git_asked == []  # nothing to record: git is not asked at all

    reads.clear()
    status = sqlmig.fleet_status(fleet.root, "fleet", jobs=3)
    assert status.ok and status.versions == {"3": 6}
    assert dict(reads) == {p: 1 for p in SQL_FILES}


def test_a_changed_file_is_still_refused_on_every_target(
        fleet: Fleet, db_url: str, reads: Counter[str]) -> None:
    """Read once, checked per target: each target refuses the mismatch itself."""
    names = ["t1", "t2", "t3"]
    query(db_url, "; ".join(f"CREATE SCHEMA {n}" for n in names))
    fleet.config(schema_config(db_url, names))
    (fleet.root / "sql" / "migrations" / "0003_plan_column.sql").write_text("SELECT 1;\n")

    result = sqlmig.fleet_apply(fleet.root, "fleet", jobs=2)
    assert [t.outcome for t in result.targets] == ["refused"] * 3
    assert all("changed since the manifest was written: migrations/0003_plan_column.sql"
               in (t.error or "") for t in result.targets)
    assert all(applied_versions(db_url, n) == [] for n in names)
    assert reads["manifest.sha256"] == 1


@pytest.fixture
def databases(pg_server: Server) -> Iterator[list[str]]:
    prefix = f"sqlmig_once_{uuid.uuid4().hex[:8]}"
    names = [f"{prefix}_{n}" for n in range(1, 4)]
    create_databases(pg_server, names)
    yield names
    drop_databases(pg_server, names)


def sessions(admin_url: str, names: list[str]) -> dict[str, int]:
    """pg_stat_database.sessions of each database, once no backend is left on them
    (a backend reports its session as it exits, a moment after its client closed)."""
    deadline = time.monotonic() + 10
    with psycopg.connect(admin_url, autocommit=True) as conn:
        while True:
            live = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = ANY(%s)",
                                (names,)).fetchone()
            if (live and live[0] == 0) or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        time.sleep(0.05)
        conn.execute("SELECT pg_stat_clear_snapshot()")
        rows = conn.execute("SELECT datname, sessions FROM pg_stat_database"
                            " WHERE datname = ANY(%s)", (names,)).fetchall()
    return {str(name): int(n) for name, n in rows}


def test_one_connection_per_target_for_the_read_and_the_apply(
        pg_server: Server, fleet: Fleet, databases: list[str]) -> None:
    targets = "".join(f"  - {{name: {n}, database_url: '{pg_server.url(n)}'}}\n"
                      for n in databases)
    fleet.config("targets:\n" + targets)
    admin = pg_server.url("postgres")
    before = sessions(admin, databases)

    result = sqlmig.fleet_apply(fleet.root, "fleet", jobs=2)
    assert result.ok and result.count("applied") == 3, [t.error for t in result.targets]
    applied = sessions(admin, databases)
    assert {n: applied[n] - before[n] for n in databases} == {n: 1 for n in databases}

    noop = sqlmig.fleet_apply(fleet.root, "fleet", jobs=2)
    assert noop.count("up-to-date") == 3
    after = sessions(admin, databases)
    assert {n: after[n] - applied[n] for n in databases} == {n: 1 for n in databases}
    # Each target's own ledger and audit row, as before.
    for n in databases:
        url = pg_server.url(n)
        assert applied_versions(url) == [1, 2, 3]
        assert query(url, "SELECT count(*) FROM sqlmig.sqlmig_audit")[0][0] == 1
