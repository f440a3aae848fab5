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
    query: str | None = None

    @property
    def running(self) -> str | None:
        """The migration this sqlmig session is executing right now, from the
        application_name the runner sets for each file (``sqlmig: 0003_x``)."""
        app = self.application_name or ""
        if self.state == "active" and app.startswith(RUNNING_PREFIX):
            return app[len(RUNNING_PREFIX):]
        return None

    def describe(self) -> str:
        since = self.backend_start.isoformat(timespec="seconds") if self.backend_start else "?"
        return (
            f"pid {self.pid}, user {self.user}, application_name {self.application_name!r}, "
            f"connected since {since}, state {self.state}"
        )


# The runner names the file it executes in application_name, so that
# pg_stat_activity (and `sqlmig status`) can say which one is running.
RUNNING_PREFIX = "sqlmig: "


def key(schema: str) -> int:
    """A signed 64-bit advisory lock key for the ledger in ``schema``."""
    digest = hashlib.sha256(f"sqlmig:{schema}.schema_migrations".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def xact_key(schema: str) -> int:
    """A second key per ledger, only ever taken at transaction level: its
    presence in pg_locks proves the transaction that took it is still open."""
    digest = hashlib.sha256(f"sqlmig:{schema}.transaction".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def acquire(conn: psycopg.Connection, lock_key: int, wait_seconds: float) -> None:
    """Take the lock, waiting up to ``wait_seconds``; raise LockTimeout naming the holder.

    The wait happens in the server (pg_advisory_lock under lock_timeout), so
    the lock passes to the next waiter the moment it is released.
    """
    import psycopg

    # Free, as it nearly always is: one round trip instead of three.
    row = conn.execute("SELECT pg_try_advisory_lock(%s)", (lock_key,)).fetchone()
    if row and row[0]:
        return
    if wait_seconds > 0:
        try:
            conn.execute(
                # A positive wait below 1 ms must not become 0 ms: "wait forever".
                "SELECT set_config('lock_timeout', %s, false)",
                (f"{max(1, round(wait_seconds * 1000))}ms",)
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
    held = (" FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND l.classid = %s::oid AND l.objid = %s::oid")
    args = (unsigned >> 32, unsigned & 0xFFFFFFFF)
    # pg_locks alone first: nobody holds it nearly always (`status` asks each
    # time), and the join with pg_stat_activity costs a new session twice as much.
    row = conn.execute("SELECT EXISTS (SELECT 1" + held + ")", args).fetchone()
    if not (row and row[0]):
        return []
    with conn.cursor(row_factory=class_row(LockHolder)) as cur:
        cur.execute(
            "SELECT a.pid, a.usename AS user, a.application_name, a.backend_start, a.state,"
            " a.query_start, a.query FROM pg_stat_activity a"
            " WHERE a.pid IN (SELECT l.pid" + held + ")",
            args,
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
    ``SELECT ... FOR NO KEY UPDATE`` on the one row of ``<schema>.sqlmig_lock``
    in a transaction it keeps open until the run ends.  A row lock belongs to
    its transaction, and the server rolls a transaction back when its
    connection drops, so a killed runner never leaves the lock behind: there
    is no expiry to tune and no heartbeat.  The price is one more connection
    per run and a transaction that stays open (with an xid) while the
    migrations run.

    The migrations run on another connection, which can outlive a killed
    runner's lock connection for a while (until the server notices the dead
    client).  So each migration's transaction also takes ``FOR KEY SHARE`` on
    the row (:data:`SHARE_SQL`; it does not conflict with its own run's lock),
    and a new run, once it holds the row, takes ``FOR UPDATE`` in a savepoint
    and releases it again: that conflicts with a KEY SHARE still held by an
    orphaned migration, so the new run waits for it (up to ``lock_wait``)
    instead of starting the same file beside it.
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
            nowait = sql.SQL(" NOWAIT" if wait_seconds <= 0 else "")
            if wait_seconds > 0:
                conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(
                    sql.Literal(f"{max(1, int(wait_seconds * 1000))}ms")))
            try:
                row = conn.execute(sql.SQL("SELECT id FROM {} FOR NO KEY UPDATE{}").format(
                    table, nowait)).fetchone()
            except psycopg.errors.LockNotAvailable:
                conn.execute("ROLLBACK")
                holders = table_holders(conn, self.schema)
                who = "; ".join(h.describe() for h in holders) or "a session that has since ended"
                raise LockTimeout(
                    f"another sqlmig run holds the migration lock (the row of "
                    f'"{self.schema}".{LOCK_TABLE}; waited {wait_seconds:g} s): {who}. '
                    "Wait for it to finish, or raise --lock-wait.",
                ) from None
            try:
                conn.execute("SAVEPOINT sqlmig_orphans")
                conn.execute(sql.SQL("SELECT id FROM {} FOR UPDATE{}").format(table, nowait))
                conn.execute("ROLLBACK TO SAVEPOINT sqlmig_orphans")
            except psycopg.errors.LockNotAvailable:
                conn.execute("ROLLBACK")
                orphans = running_migrations(conn)
                who = "; ".join(h.describe() for h in orphans) or "a session that has ended since"
                raise LockTimeout(
                    "a migration of an earlier sqlmig run is still executing on the server "
                    f"although that run's lock is gone (its runner died or lost its connection; "
                    f"waited {wait_seconds:g} s): {who}. The server rolls it back or commits "
                    "it when it finishes or notices the dead client; wait, or raise --lock-wait. "
                    "Nothing was changed.",
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

        from .ledger import ensure_schema

        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL",
                           (f'"{self.schema}"."{LOCK_TABLE}"',)).fetchone()
        if row and row[0]:
            return
        from importlib import resources

        ddl = (resources.files(__package__) / "sql" / LOCK_TABLE_DDL).read_text(encoding="utf-8")
        for attempt in range(3):
            try:
                with conn.transaction():
                    ensure_schema(conn, self.schema)
                    conn.execute("SELECT set_config('search_path', %s, true)",
                                 (f'"{self.schema}"',))
                    conn.execute(ddl)
                return
            except psycopg.Error as exc:
                if exc.sqlstate not in _CREATE_RACE or attempt == 2:
                    raise


def share_sql(schema: str) -> str:
    """What each migration's transaction runs first under ``lock: table`` (see
    :class:`TableLock`): a KEY SHARE row lock that outlives a dead runner's lock."""
    from psycopg import sql

    return sql.SQL("SELECT FROM {} FOR KEY SHARE;\n").format(
        sql.Identifier(schema, LOCK_TABLE)).as_string(None)


def running_migrations(conn: psycopg.Connection) -> list[LockHolder]:
    """Other sqlmig sessions of this database executing a migration right now."""
    import psycopg
    from psycopg.rows import class_row

    try:
        with conn.cursor(row_factory=class_row(LockHolder)) as cur:
            cur.execute(
                "SELECT pid, usename AS user, application_name, backend_start, state,"
                " query_start, query FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND application_name LIKE %s AND state <> 'idle'",
                (RUNNING_PREFIX + "%",))
            return cur.fetchall()
    except psycopg.Error:
        return []


def table_holders(conn: psycopg.Connection, schema: str) -> list[LockHolder]:
    """The sessions whose transactions hold the lock row.  A row lock stamps the
    row's xmax with the locker's transaction id, on which that transaction
    holds an ExclusiveLock (visible in pg_locks) until it ends; when several
    transactions lock the row (a run's lock and its migration's KEY SHARE, or
    the lock taken again in a savepoint), xmax is a MultiXactId instead, whose
    members pg_get_multixact_members lists."""
    import psycopg
    from psycopg import sql
    from psycopg.rows import class_row

    table = sql.Identifier(schema, LOCK_TABLE)
    holders = ("SELECT a.pid, a.usename AS user, a.application_name, a.backend_start, a.state,"
               " a.query_start, a.query FROM pg_locks x JOIN pg_stat_activity a ON a.pid = x.pid"
               " WHERE x.locktype = 'transactionid' AND x.granted AND x.mode = 'ExclusiveLock'"
               " AND x.transactionid IN ({}) ORDER BY a.pid")
    found: list[LockHolder] = []
    for xids in (sql.SQL("SELECT xmax FROM {}").format(table),
                 sql.SQL("SELECT m.xid FROM {}, pg_get_multixact_members(xmax) m").format(table)):
        try:
            with conn.cursor(row_factory=class_row(LockHolder)) as cur:
                cur.execute(sql.SQL(holders).format(xids))
                found = cur.fetchall()
        except psycopg.Error:
            # Engines without pg_locks/pg_stat_activity, or an xmax that is no
            # MultiXactId: the message says less.
            continue
        if found:
            break
    return found
