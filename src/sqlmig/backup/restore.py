"""Restoring a verified backup: in place (guarded) or into a new database.

The checksum is verified before anything is touched.  In place, pg_restore
runs with ``--clean --single-transaction``: every object of the dump is
dropped and recreated, or on an error nothing changes.  sqlmig's audit log
and approvals are left out of the restore list, so they keep every row
written since the backup, including the restore's own.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .settings import BackupSettings
from .dump import (
    RestoreResult,
    Tool,
    _dbname,
    _ms,
    _run,
    _server_version,
    connection_args,
    find_tools,
    read_sidecar,
    verify_file,
    with_database,
)
from ..core.connection import password_of
from ..errors import (
    BackupFailed,
    ConfigError,
    PolicyRefusal,
    RestoreFailed,
    SafetyRefusal,
    SqlmigError,
)

if TYPE_CHECKING:
    from ..core.session import Session

_KEEP_ON_RESTORE = ("sqlmig_audit", "sqlmig_approvals")


def restore(session: Session, file: Path | str, *, into: str | None = None, yes: bool = False,
            confirm: Callable[[str], bool] | None = None, emergency: bool = False,
            reason: str | None = None) -> RestoreResult:
    """Restore a backup made by :func:`sqlmig.backup.make`.

    With ``into``, into a new database on the same server (the safe way to
    inspect a backup).  Otherwise into the environment's own database: only
    after ``yes`` or ``confirm(question)``, never with ``restore: refused``,
    and with ``restore: emergency`` only given ``emergency`` and a ``reason``.
    Audited either way.
    """
    from ..core import audit

    path = Path(file).resolve()
    started = time.perf_counter()
    url = session.url
    cfg = session.config
    target = into or _dbname(url)
    detail = f"{path.name} into {'new database ' if into else ''}{target}"
    outcome = "failed"
    try:
        _, server_major = _server_version(session.conn)
        _, tool = find_tools(cfg, server_major)
        verified = verify_file(path, tool)
        if into:
            _into_new(session, path, tool, into)
        else:
            _check_policy(session, path, yes, confirm, emergency, reason)
            with session.locked():
                _in_place(session, path, tool)
                # A dump older than sqlmig's ledger files brings back an older
                # sqlmig_ledger_version; upgrade it again (the DDL is idempotent).
                session.ledger.ensure(session.conn)
        outcome = "ok"
    except SqlmigError as exc:
        outcome = "refused" if isinstance(exc, SafetyRefusal) else "failed"
        detail += f": {exc}"
        raise
    finally:
        if audit.exists(session.conn, session.ledger):
            audit.record(session.conn, session.ledger, at=session.clock(), env=cfg.env,
                         action="restore", outcome=outcome, emergency=emergency, reason=reason,
                         detail=detail, duration_ms=_ms(started), backup_file=path.name,
                         backup_sha256=_sidecar_sha(path), secrets=[password_of(url)])
    return RestoreResult(path, target, into is not None, _ms(started), verified)


def _sidecar_sha(path: Path) -> str | None:
    try:
        return str(read_sidecar(path).get("sha256"))
    except BackupFailed:
        return None


def _check_policy(session: Session, path: Path, yes: bool, confirm: Callable[[str], bool] | None,
                  emergency: bool, reason: str | None) -> None:
    cfg = session.config
    rule = BackupSettings.of(cfg).restore
    if rule == "refused":
        raise PolicyRefusal(
            f"environment {cfg.env!r} does not allow restoring in place (restore: refused). "
            "Restore into a new database with --into NEW_DB. Nothing was changed.",
            policy="restore")
    if rule == "emergency" and not (emergency and reason and reason.strip()):
        raise PolicyRefusal(
            f"environment {cfg.env!r} allows restoring in place only as an emergency "
            "(restore: emergency): pass --emergency --reason TEXT, or restore into a new "
            "database with --into NEW_DB. Nothing was changed.",
            policy="restore")
    if yes:
        return
    question = f"Replace the objects of database {_dbname(session.url)!r} with {path.name}?"
    if confirm is None or not confirm(question):
        raise PolicyRefusal(
            f"restore not confirmed ({question}) Pass --yes (yes=True) in non-interactive runs. "
            "Nothing was changed.", policy="confirmation")


def _into_new(session: Session, path: Path, tool: Tool, dbname: str) -> None:
    import psycopg
    from psycopg import sql

    try:
        session.conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    except psycopg.errors.DuplicateDatabase:
        raise ConfigError(f"--into {dbname}: that database already exists; name a new one."
                          ) from None
    url = with_database(session.url, dbname)
    conn_args, env = connection_args(url)
    _run([str(tool.path), "--exit-on-error", "--single-transaction", *conn_args, str(path)],
         env, url, "pg_restore", RestoreFailed)


def _in_place(session: Session, path: Path, tool: Tool) -> None:
    listing = subprocess.run([str(tool.path), "--list", str(path)], capture_output=True,
                             text=True, check=True).stdout
    kept = [line for line in listing.splitlines()
            if not any(name in line for name in _KEEP_ON_RESTORE)]
    list_file = path.with_name(path.name + f".{uuid.uuid4().hex[:8]}.list")
    list_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    try:
        conn_args, env = connection_args(session.url)
        _run([str(tool.path), "--clean", "--if-exists", "--exit-on-error", "--single-transaction",
              f"--use-list={list_file}", *conn_args, str(path)], env, session.url, "pg_restore",
             RestoreFailed)
    finally:
        list_file.unlink(missing_ok=True)
