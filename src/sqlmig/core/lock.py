"""The migration lock: a session-level PostgreSQL advisory lock.

One key per ledger (derived from its schema), taken before the ledger is
read and held until the run ends.  A session-level lock dies with its
connection, so a killed runner can never leave the lock behind.  With
``lock: table`` (engines without advisory locks) :class:`TableLock` holds a
row lock instead, which dies with its connection just the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..errors import LockTimeout

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class LockHolder:
    pid: int
    user: str | None
    application_name: str | None
    backend_start: datetime | None
    state: str | None
    query_start: datetime | None

    def describe(self) -> str:
        since = self.backend_start.isoformat(timespec="seconds") if self.backend_start else "?"
        return (
            f"pid {self.pid}, user {self.user}, application_name {self.application_name!r}, "
            f"connected since {since}, state {self.state}"
        )


def key(schema: str) -> int:
    """A signed 64-bit advisory lock key for the ledger in ``schema``."""
    digest = hashlib.sha256(f"sqlmig:{schema}.schema_migrations".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def acquire(conn: psycopg.Connection, lock_key: int, wait_seconds: float) -> None:
    """Take the lock, waiting up to ``wait_seconds``; raise LockTimeout naming the holder.

    The wait happens in the server (pg_advisory_lock under lock_timeout), so
    the lock passes to the next waiter the moment it is released.
    """
    import psycopg

    if wait_seconds <= 0:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (lock_key,)).fetchone()
        if row and row[0]:
            return
    else:
        try:
            conn.execute(
                "SELECT set_config('lock_timeout', %s, false)", (f"{int(wait_seconds * 1000)}ms",)
            )
            conn.execute("SELECT pg_advisory_lock(%s)", (lock_key,))
            return
        except psycopg.errors.LockNotAvailable:
            pass
        finally:
            if not conn.closed:
                conn.execute("RESET lock_timeout")
    holders = holders_of(conn, lock_key)
    who = "; ".join(h.describe() for h in holders) or "a session that has since ended"
    raise LockTimeout(
        f"another sqlmig run holds the migration lock (waited {wait_seconds:g} s): {who}. "
        "Wait for it to finish, or raise --lock-wait.",
    )


def release(conn: psycopg.Connection, lock_key: int) -> None:
    if not conn.closed:
        conn.execute("SELECT pg_advisory_unlock(%s)", (lock_key,))


def holders_of(conn: psycopg.Connection, lock_key: int) -> list[LockHolder]:
    """Sessions holding the lock (pg_locks splits a bigint key into classid/objid)."""
    from psycopg.rows import class_row

    unsigned = lock_key & 0xFFFFFFFFFFFFFFFF
    with conn.cursor(row_factory=class_row(LockHolder)) as cur:
        cur.execute(
            "SELECT a.pid, a.usename AS user, a.application_name, a.backend_start, a.state,"
            " a.query_start"
            " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND l.classid = %s::oid AND l.objid = %s::oid",
            (unsigned >> 32, unsigned & 0xFFFFFFFF),
        )
        return cur.fetchall()


# -- lock: table ----------------------------------------------------------------------

LOCK_TABLE = "sqlmig_lock"
LOCK_TABLE_DDL = "ledger_0004.sql"
# Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog
# (unique_violation on pg_type, or duplicate_table): the loser retries.
_CREATE_RACE = ("23505", "42P07", "42P06")


class TableLock:
    """``lock: table``: a row lock held by a transaction on a dedicated connection.

    For PostgreSQL-compatible engines without advisory locks.  The run takes
    ``SELECT ... FOR UPDATE`` on the one row of ``<schema>.sqlmig_lock`` in a
    transaction it keeps open until the run ends.  A row lock belongs to its
    transaction, and the server rolls a transaction back when its connection
    drops, so a killed runner never leaves the lock behind: there is no expiry
    to tune and no heartbeat.  The price is one more connection per run and a
    transaction that stays open (with an xid) while the migrations run.
    """

    def __init__(self, schema: str, connect: Callable[[], psycopg.Connection]) -> None:
        self.schema = schema
        self.connect = connect
        self.conn: psycopg.Connection | None = None

    def acquire(self, wait_seconds: float) -> None:
        """Take the lock, waiting up to ``wait_seconds``; raise LockTimeout naming the holder."""
        import psycopg
        from psycopg import sql

        conn = self.connect()
        try:
            self._ensure_table(conn)
            table = sql.Identifier(self.schema, LOCK_TABLE)
            conn.execute("BEGIN")
            # The transaction must outlive the server's idle timeouts: it sits
            # idle while the migrations run on the other connection.
            conn.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
            conn.execute("SET LOCAL statement_timeout = 0")
            if conn.info.server_version >= 170000:
                conn.execute("SET LOCAL transaction_timeout = 0")
            if wait_seconds <= 0:
                query = sql.SQL("SELECT id FROM {} FOR UPDATE NOWAIT").format(table)
            else:
                conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(
                    sql.Literal(f"{max(1, int(wait_seconds * 1000))}ms")))
                query = sql.SQL("SELECT id FROM {} FOR UPDATE").format(table)
            try:
                row = conn.execute(query).fetchone()
            except psycopg.errors.LockNotAvailable:
                conn.execute("ROLLBACK")
                holders = table_holders(conn, self.schema)
                who = "; ".join(h.describe() for h in holders) or "a session that has since ended"
                raise LockTimeout(
                    f"another sqlmig run holds the migration lock (the row of "
                    f'"{self.schema}".{LOCK_TABLE}; waited {wait_seconds:g} s): {who}. '
                    "Wait for it to finish, or raise --lock-wait.",
                ) from None
            if row is None:
                raise LockTimeout(
                    f'"{self.schema}".{LOCK_TABLE} has no lock row (someone deleted it). '
                    f"Restore it: INSERT INTO \"{self.schema}\".{LOCK_TABLE} DEFAULT VALUES;"
                )
        except BaseException:
            conn.close()
            raise
        self.conn = conn

    def release(self) -> None:
        conn, self.conn = self.conn, None
        if conn is None or conn.closed:
            return
        try:
            conn.execute("ROLLBACK")
        except Exception:  # noqa: BLE001 - closing the connection releases the row lock too
            pass
        finally:
            conn.close()

    def _ensure_table(self, conn: psycopg.Connection) -> None:
        import psycopg
        from psycopg import sql

        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL",
                           (f'"{self.schema}"."{LOCK_TABLE}"',)).fetchone()
        if row and row[0]:
            return
        from importlib import resources

        ddl = (resources.files(__package__) / "sql" / LOCK_TABLE_DDL).read_text(encoding="utf-8")
        for attempt in range(3):
            try:
                with conn.transaction():
                    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                        sql.Identifier(self.schema)))
                    conn.execute("SELECT set_config('search_path', %s, true)",
                                 (f'"{self.schema}"',))
                    conn.execute(ddl)
                return
            except psycopg.Error as exc:
                if exc.sqlstate not in _CREATE_RACE or attempt == 2:
                    raise


def table_holders(conn: psycopg.Connection, schema: str) -> list[LockHolder]:
    """The session whose transaction holds the lock row: FOR UPDATE stamps the
    row's xmax with the locker's transaction id, on which that transaction
    holds an ExclusiveLock (visible in pg_locks) until it ends."""
    import psycopg
    from psycopg import sql
    from psycopg.rows import class_row

    try:
        with conn.cursor(row_factory=class_row(LockHolder)) as cur:
            cur.execute(sql.SQL(
                "SELECT a.pid, a.usename AS user, a.application_name, a.backend_start, a.state,"
                " a.query_start FROM {} l"
                " JOIN pg_locks x ON x.locktype = 'transactionid' AND x.granted"
                " AND x.mode = 'ExclusiveLock' AND x.transactionid = l.xmax"
                " JOIN pg_stat_activity a ON a.pid = x.pid"
            ).format(sql.Identifier(schema, LOCK_TABLE)))
            return cur.fetchall()
    except psycopg.Error:
        # Engines without pg_locks/pg_stat_activity: the message says less.
        return []
