"""The client's clock, injectable for tests.

It decides only what is the client's business: ``--since 7d`` and the
time in backup file names.  Maintenance windows, approval expiry and audit
timestamps are the *server's* (``clock_timestamp()``/``now()``, see
docs/environments.md, "Time is the server's"): a frozen, slow or fast client
clock cannot open a window or keep an approval alive.  Tests of the window
arithmetic pass instants to :func:`sqlmig.governance.window.inside` directly::

    with sqlmig.clock.frozen(datetime(2026, 3, 1, 2, 30, tzinfo=timezone.utc)):
        sqlmig.create_backup()        # named ..._20260301T023000Z_...
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

Clock = Callable[[], datetime]


def system() -> datetime:
    """The real time, in UTC."""
    return datetime.now(timezone.utc)


_provider: Clock = system


def now() -> datetime:
    """The current time from the active provider (timezone-aware)."""
    value = _provider()
    if value.tzinfo is None:
        raise ValueError("sqlmig's clock must return timezone-aware datetimes")
    return value


@contextmanager
def use(provider: Clock) -> Iterator[None]:
    """Make ``provider`` the clock inside the ``with`` block."""
    global _provider
    previous = _provider
    _provider = provider
    try:
        yield
    finally:
        _provider = previous


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Stop the clock at ``at`` inside the ``with`` block."""
    if at.tzinfo is None:
        raise ValueError("frozen(): give a timezone-aware datetime")
    with use(lambda: at):
        yield
