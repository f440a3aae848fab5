"""The append-only audit log (``sqlmig_audit``): who changed what, when and why.

sqlmig appends through ``sqlmig_audit_append()`` (sqlmig/sql/ledger_0006.sql);
triggers make the server reject UPDATE, DELETE and TRUNCATE for everyone,
sqlmig and the owner included, and stamp every row with the server's time
(``clock_timestamp()``) and the authenticated user (``session_user``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..core.connection import redact
from ..core.ledger import Ledger, os_user

if TYPE_CHECKING:
    import psycopg

TABLE = "sqlmig_audit"
ACTIONS = ("access", "apply", "approve", "backup", "baseline", "bind", "override", "reject",
           "repair", "request", "resolve", "restore", "rollback", "tag")
OUTCOMES = ("failed", "interrupted", "ok", "refused")
_DETAIL_LIMIT = 4000


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log."""

    id: int
    at: datetime
    env: str
    action: str
    outcome: str  # ok | failed | refused
    db_user: str
    os_user: str | None
    git_commit: str | None
    versions: list[int]
    duration_ms: int | None
    emergency: bool
    reason: str | None
    detail: str | None
    request_id: int | None
    backup_file: str | None
    backup_sha256: str | None


def exists(conn: psycopg.Connection, ledger: Ledger) -> bool:
    return ledger.has(conn, TABLE)


def record(
    conn: psycopg.Connection,
    ledger: Ledger,
    *,
    env: str,
    action: str,
    outcome: str,
    versions: Iterable[int] = (),
    git_commit: str | None = None,
    duration_ms: int | None = None,
    emergency: bool = False,
    reason: str | None = None,
    detail: str | None = None,
    request_id: int | None = None,
    backup_file: str | None = None,
    backup_sha256: str | None = None,
    secrets: Sequence[str | None] = (),
) -> int:
    """Append one row (in its own autocommit statement) and return its id.

    ``detail`` and ``reason`` pass through :func:`~sqlmig.connection.redact`
    with ``secrets``: a password quoted in an error message never reaches
    the table.
    """
    if detail is not None:
        detail = redact(detail, *secrets)[:_DETAIL_LIMIT]
    if reason is not None:
        reason = redact(reason, *secrets)
    # The server stamps the time (clock_timestamp()) and the user (session_user).
    row = ledger.call(conn, "sqlmig_audit_append", env, action, outcome, os_user(), git_commit,
                      sorted(set(versions)), duration_ms, emergency, reason, detail, request_id,
                      backup_file, backup_sha256)
    assert row is not None
    return int(row)


def entries(
    conn: psycopg.Connection,
    ledger: Ledger,
    *,
    since: datetime | None = None,
    action: str | None = None,
    outcome: str | None = None,
    user: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Rows matching every given filter, newest first; ``user`` matches the
    database or the OS user."""
    from psycopg import sql
    from psycopg.rows import class_row

    if not exists(conn, ledger):
        return []
    where: list[sql.Composable] = []
    params: list[object] = []
    if since is not None:
        where.append(sql.SQL("at >= %s"))
        params.append(since)
    if action is not None:
        where.append(sql.SQL("action = %s"))
        params.append(action)
    if outcome is not None:
        where.append(sql.SQL("outcome = %s"))
        params.append(outcome)
    if user is not None:
        where.append(sql.SQL("(db_user = %s OR os_user = %s)"))
        params += [user, user]
    query = sql.SQL(
        "SELECT id, at, env, action, outcome, db_user, os_user, git_commit, versions::bigint[],"
        " duration_ms, emergency, reason, detail, request_id, backup_file, backup_sha256 FROM {}"
    ).format(ledger.ident(TABLE))
    if where:
        query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
    query += sql.SQL(" ORDER BY id DESC")
    if limit is not None:
        query += sql.SQL(" LIMIT {}").format(sql.Literal(limit))
    with conn.cursor(row_factory=class_row(AuditEntry)) as cur:
        cur.execute(query, params)
        return cur.fetchall()


def stamp_ledger(
    conn: psycopg.Connection,
    ledger: Ledger,
    versions: Sequence[int],
    after_history_id: int,
    backup_file: str,
    backup_sha256: str,
) -> None:
    """Write the guarding backup onto the schema_migrations and sqlmig_history
    rows a run wrote (history rows newer than ``after_history_id``)."""
    if versions:
        ledger.call(conn, "sqlmig_stamp_backup", list(versions), after_history_id, backup_file,
                    backup_sha256)


def last_history_id(conn: psycopg.Connection, ledger: Ledger) -> int:
    from psycopg import sql

    row = conn.execute(
        sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(ledger.history_table)
    ).fetchone()
    return int(row[0]) if row else 0


def parse_since(text: str | None) -> datetime | None:
    """``--since``: an ISO date or date-time (UTC unless it says otherwise), or an
    age in the duration grammar (90min, 12h, 7d) counted back from sqlmig's clock."""
    from datetime import timedelta, timezone

    from ..errors import ConfigError
    from . import clock, duration

    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            age = duration.parse(text)
        except ValueError as exc:
            raise ConfigError(
                f"--since {text!r}: expected an ISO date or time (2026-03-01, "
                f"2026-03-01T02:00Z) or an age with its unit (90min, 12h, 7d): {exc}."
            ) from None
        return clock.now() - timedelta(microseconds=age.microseconds)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
