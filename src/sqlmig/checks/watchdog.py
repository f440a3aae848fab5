"""Stopping a check that outlives its timeout, from another connection.

``statement_timeout`` cancels a query the same way ``pg_cancel_backend``
does (SIGINT, SQLSTATE 57014), and PL/pgSQL can trap that with ``EXCEPTION
WHEN query_canceled``: a function a check calls may so ignore its timeout
for as long as it likes.  The watchdog is one thread watching every running
check: ``grace(timeout)`` after the timeout it sends ``pg_cancel_backend``,
and one more grace later ``pg_terminate_backend`` (SIGTERM: the backend
exits with FATAL, which nothing traps).  Both run on a connection of the
watchdog's own as the login (not the checks' read-only role), opened the
first time it is needed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from ..core.connection import connect
from ..errors import ConnectionFailed, DatabaseError

if TYPE_CHECKING:
    import psycopg

GRACE_MIN_S = 1.0
GRACE_SHARE = 0.25


def grace(timeout_s: float) -> float:
    """How long past its timeout (and then past the cancel) a check may run:
    the larger of 1 s and a quarter of the timeout."""
    return max(GRACE_MIN_S, GRACE_SHARE * timeout_s)


@dataclass
class Watch:
    """One running check: its backend and what the watchdog did to it."""

    pid: int
    timeout_s: float
    cancel_at: float  # time.monotonic() deadlines
    terminate_at: float
    action: str | None = None  # "cancelled", then "terminated"
    failure: str | None = None  # why the watchdog could not act
    done: bool = field(default=False, repr=False)


class Watchdog:
    """One thread for the whole run; :meth:`watch` around each check's query."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._watches: list[Watch] = []
        self._cond = threading.Condition()
        self._stopped = False
        self._conn: psycopg.Connection | None = None
        self._thread = threading.Thread(target=self._loop, name="sqlmig-check-watchdog",
                                        daemon=True)

    def __enter__(self) -> Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join()
        if self._conn is not None:
            self._conn.close()

    def start(self, pid: int, timeout_s: float) -> Watch:
        now, g = time.monotonic(), grace(timeout_s)
        w = Watch(pid, timeout_s, now + timeout_s + g, now + timeout_s + 2 * g)
        with self._cond:
            self._watches.append(w)
            self._cond.notify()
        return w

    def finish(self, w: Watch) -> None:
        with self._cond:
            w.done = True
            self._watches.remove(w)

    def _loop(self) -> None:
        with self._cond:
            while not self._stopped:
                now = time.monotonic()
                due = [w for w in self._watches
                       if (w.action is None and now >= w.cancel_at)
                       or (w.action == "cancelled" and now >= w.terminate_at)]
                for w in due:
                    step = "cancel" if w.action is None else "terminate"
                    self._signal(w, step)
                nxt = [w.cancel_at if w.action is None else w.terminate_at
                       for w in self._watches if w.action != "terminated"]
                self._cond.wait(timeout=max(0.01, min(nxt) - time.monotonic()) if nxt else None)

    def _signal(self, w: Watch, step: str) -> None:
        """Send the signal (holding the lock: a finished check is never signalled,
        so its pid, perhaps reused by the next check, is safe)."""
        import psycopg

        query = (resources.files(__package__) / "sql" / f"{step}_backend.sql").read_text("utf-8")
        try:
            if self._conn is None or self._conn.closed or self._conn.broken:
                self._conn = connect(self._url)
            self._conn.execute(query, {"pid": w.pid})
        except (psycopg.Error, ConnectionFailed, DatabaseError) as exc:
            w.failure = f"the watchdog could not {step} it: {str(exc).strip()}"
        w.action = "cancelled" if step == "cancel" else "terminated"
