"""Restoring a verified backup: in place (guarded) or into a new database.

The checksum is verified before anything is touched.  In place, every object
of the dump is dropped and recreated in one transaction, so on any error
nothing changes: pg_restore writes the script (``--clean --if-exists
--single-transaction``, which puts BEGIN and COMMIT into it) and psql, from
the same directory, runs it with ``ON_ERROR_STOP``.  A script cut short
never reaches its COMMIT, and psql ending with the transaction open rolls
it back.

pg_restore is not run against the database directly because its clean step
fails on partitioned tables: it drops each partition's primary key or unique
constraint on its own, which PostgreSQL refuses for a constraint inherited
from the partitioned parent ("cannot drop inherited constraint").  Those
drops are redundant, since the same script drops the partition itself, so
sqlmig leaves them out of the script: exactly the statements naming
constraints the live database shows as attached to a parent's
(``pg_constraint.conparentid <> 0``), and only in the drop section before
the first object is created.

sqlmig's audit log and approvals are left out of the restore list, so they
keep every row written since the backup, including the restore's own.  They
are recognised exactly, by the live ledger schema and their names (tables,
sequences, the trigger function, and the constraints, triggers, comments and
privileges on them), never by a substring: a user's ``sqlmig_audit_copy``, or
a ``public.sqlmig_audit`` beside a ledger in schema ``sqlmig``, is restored.

Before a restore in place the sidecar's source identity is compared with the
target's (backup/provenance.py): a backup of another database, or of unknown
provenance, needs ``from_other_database``.
"""

from __future__ import annotations

import re
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import provenance
from .settings import BackupSettings
from .dump import (
    RestoreResult,
    Tool,
    _dbname,
    _ms,
    _run,
    server_version_of,
    connection_args,
    find_tools,
    read_sidecar,
    verify_file,
    with_database,
)
from ..core.connection import password_of, redact
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

# The tables of the ledger schema a restore in place keeps as they are: the
# audit log and approvals keep the rows written since the backup.  What hangs
# on them (sequences, trigger functions) is read from the live catalog.
_KEPT_TABLES = ("sqlmig_audit", "sqlmig_approvals", "sqlmig_environment")


def restore(session: Session, file: Path | str, *, into: str | None = None, yes: bool = False,
            confirm: Callable[[str], bool] | None = None, emergency: bool = False,
            reason: str | None = None, from_other_database: bool = False) -> RestoreResult:
    """Restore a backup made by :func:`sqlmig.backup.make`.

    With ``into``, into a new database on the same server (the safe way to
    inspect a backup).  Otherwise into the environment's own database: only
    after ``yes`` or ``confirm(question)``, never with ``restore: refused``,
    with ``restore: emergency`` only given ``emergency`` and a ``reason``, and
    only a backup of this same database (system identifier and name) unless
    ``from_other_database``.  Audited either way, with the backup's source.
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
        _, server_major = server_version_of(session.conn)
        _, tool = find_tools(cfg, server_major)
        verified = verify_file(path, tool)
        source = provenance.of_sidecar(read_sidecar(path))
        if into:
            detail += f", from {provenance.describe_source(source)}"
            _into_new(session, path, tool, into)
        else:
            _check_rule(session, emergency, reason)
            target_identity = provenance.of_connection(session.conn, cfg.env)
            note = provenance.check_in_place(path, source, target_identity,
                                             from_other_database=from_other_database)
            if note:
                detail += f", {note}"
            _confirm(session, path, yes, confirm, note)
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
            audit.record(session.conn, session.ledger, env=cfg.env,
                         action="restore", outcome=outcome, emergency=emergency, reason=reason,
                         detail=detail, duration_ms=_ms(started), backup_file=path.name,
                         backup_sha256=_sidecar_sha(path), secrets=[password_of(url)])
    return RestoreResult(path, target, into is not None, _ms(started), verified)


def _sidecar_sha(path: Path) -> str | None:
    try:
        return str(read_sidecar(path).get("sha256"))
    except BackupFailed:
        return None


def _check_rule(session: Session, emergency: bool, reason: str | None) -> None:
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


def _confirm(session: Session, path: Path, yes: bool, confirm: Callable[[str], bool] | None,
             other: str | None) -> None:
    if yes:
        return
    source = f" ({other})" if other else ""
    question = (f"Replace the objects of database {_dbname(session.url)!r} with "
                f"{path.name}{source}?")
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
    psql = tool.path.parent / "psql"
    if not psql.is_file():
        raise RestoreFailed(f"no psql beside {tool.path}: restoring in place runs the restore "
                            "script with psql, in one transaction. Install the PostgreSQL "
                            "client tools there. Nothing was changed.")
    listing = subprocess.run([str(tool.path), "--list", str(path)], capture_output=True,
                             text=True, check=True).stdout
    schema = session.ledger.schema
    kept = _restore_list(listing, schema, _kept_names(session, schema),
                         _existing_schema(session, schema))
    list_file = path.with_name(path.name + f".{uuid.uuid4().hex[:8]}.list")
    list_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    try:
        conn_args, env = connection_args(session.url)
        script = [str(tool.path), "--clean", "--if-exists", "--single-transaction",
                  f"--use-list={list_file}", "--file=-", str(path)]
        runner = [str(psql), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", *conn_args]
        _pipe(script, runner, env, session.url, _inherited_constraint_drops(session))
    finally:
        list_file.unlink(missing_ok=True)


def _kept_names(session: Session, schema: str) -> list[str]:
    """The kept tables and, as the live database has them, their sequences and
    trigger functions, named as pg_restore --list names them."""
    from importlib import resources

    query = (resources.files(__package__) / "sql" / "kept_objects.sql").read_text(
        encoding="utf-8")
    rows = session.conn.execute(query, {"schema": schema,
                                        "tables": list(_KEPT_TABLES)}).fetchall()
    return [*_KEPT_TABLES, *(str(row[0]) for row in rows)]


def _restore_list(listing: str, ledger_schema: str, kept_names: list[str],
                  kept_schema: str | None) -> list[str]:
    """The dump's table of contents without the entries of ``kept_names`` in
    ``ledger_schema`` (sqlmig's audit log and approvals, and what hangs on
    them), and without ``kept_schema`` (the live schema that holds them):
    dropping it would fail on the tables kept in it, and creating it on the
    schema that is still there.

    An entry reads ``<id>; <catalog> <oid> <DESC> <schema> <tag> <owner>``,
    DESC in capitals (TABLE, TABLE DATA, CONSTRAINT, COMMENT, ACL...); the tag
    starts with the object's name, the table's for what hangs on a table, and
    for COMMENT and ACL with the object's kind (``TABLE x``, ``COLUMN x.col``).
    """
    names = "|".join(re.escape(n) for n in kept_names)
    kept_entry = re.compile(
        r"^\d+; \d+ \d+ [A-Z][A-Z ]*? " + re.escape(ledger_schema)
        + r" (?:(?:TABLE|COLUMN|SEQUENCE|FUNCTION) )?(?:" + names + r")(?: |\.|$)")
    schema_entry = (re.compile(r"^\d+; \d+ \d+ SCHEMA - " + re.escape(kept_schema) + " ")
                    if kept_schema else None)
    return [line for line in listing.splitlines()
            if not kept_entry.match(line)
            and not (schema_entry and schema_entry.match(line))]


def _existing_schema(session: Session, schema: str) -> str | None:
    row = session.conn.execute("SELECT to_regnamespace(%s) IS NOT NULL",
                               (f'"{schema}"',)).fetchone()
    return schema if row and row[0] else None


def _inherited_constraint_drops(session: Session) -> set[bytes]:
    """The drop statements pg_restore --clean writes for constraints inherited
    from a partitioned parent (spelled as pg_dump spells them), which the
    server refuses and which dropping the partition makes redundant."""
    rows = session.conn.execute("""
        SELECT format('ALTER TABLE IF EXISTS ONLY %I.%I DROP CONSTRAINT IF EXISTS %I;',
                      n.nspname, t.relname, c.conname)
          FROM pg_constraint c
          JOIN pg_class t ON t.oid = c.conrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE c.conparentid <> 0""").fetchall()
    return {str(row[0]).encode() for row in rows}


def _pipe(script: list[str], runner: list[str], env: dict[str, str], url: str,
          skip: set[bytes]) -> None:
    """pg_restore's script into psql, without the ``skip`` lines of its drop section."""
    import shutil
    import tempfile

    failed = ("restoring in place failed{}. Nothing was changed: the restore runs in one "
              "transaction, which was rolled back.")
    with tempfile.TemporaryFile() as producer_err, tempfile.TemporaryFile() as consumer_err:
        try:
            producer = subprocess.Popen(script, env=env, stdout=subprocess.PIPE,
                                        stderr=producer_err)
        except OSError as exc:
            raise RestoreFailed(failed.format(f": cannot run {script[0]}: {exc}")) from None
        try:
            consumer = subprocess.Popen(runner, env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, stderr=consumer_err)
        except OSError as exc:
            producer.kill()
            producer.wait()
            raise RestoreFailed(failed.format(f": cannot run {runner[0]}: {exc}")) from None
        assert producer.stdout is not None and consumer.stdin is not None
        try:
            # Every drop comes before the first object's "-- Name: ..." header;
            # from there on the script (and its COPY data) passes through untouched.
            for line in producer.stdout:
                if line.startswith(b"-- Name: "):
                    consumer.stdin.write(line)
                    shutil.copyfileobj(producer.stdout, consumer.stdin, 1 << 20)
                    break
                if line.rstrip(b"\n") not in skip:
                    consumer.stdin.write(line)
        except BrokenPipeError:
            producer.kill()  # psql stopped at an error (its stderr says which)
        producer.stdout.close()
        produced = producer.wait()
        if produced != 0 and consumer.poll() is None:
            # Before psql sees the end of its input: a script cut short has no
            # COMMIT, and killing psql guarantees the transaction is not ended by one.
            consumer.kill()
        try:
            consumer.stdin.close()
        except BrokenPipeError:
            pass
        consumed = consumer.wait()
        if consumed != 0:
            consumer_err.seek(0)
            message = consumer_err.read().decode(errors="replace").strip()
        elif produced != 0:
            producer_err.seek(0)
            message = producer_err.read().decode(errors="replace").strip()
        else:
            return
    raise RestoreFailed(failed.format(": " + redact(message or "killed", password_of(url))))
