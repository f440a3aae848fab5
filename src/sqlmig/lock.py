"""The migration lock: a session-level PostgreSQL advisory lock.

One key per ledger (derived from its schema), taken before the ledger is
read and held until the run ends.  A session-level lock dies with its
connection, so a killed runner can never leave the lock behind.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .errors import LockTimeout

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
