"""Elapsed time for long operations, on a terminal only.

:class:`Ticker` writes the seconds elapsed at the end of the line the
command has started (``[3/8] 0005_backfill ... 12s``), from a daemon thread,
once an operation has run for :data:`AFTER` seconds; :func:`elapsed` does the
same on a line of its own (``backing up ... 14s``) around a call that reports
nothing while it runs (backup, restore, verify).  Both erase what they wrote
before the command prints again, with backspaces and spaces only (no cursor
control sequences), and write nothing at all when the stream is not a
terminal: piped output is exactly what it would be without them.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TypeVar

from .style import terminal

T = TypeVar("T")

AFTER = 2.0  # seconds before the first tick: short operations show nothing
EVERY = 1.0


class Ticker:
    """The elapsed seconds at the end of the current line of ``stream``."""

    def __init__(self, stream: IO[str] | None = None, *, label: str = "",
                 after: float = AFTER, every: float = EVERY) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.label = label
        self.after = after
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = ""

    def start(self) -> Ticker:
        if self._thread is None and terminal(self.stream):
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="sqlmig-ticker", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop and erase the last tick, so the caller writes where it left off."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        self._write("")

    def paused(self, ask: Callable[..., T]) -> Callable[..., T]:
        """``ask`` (a prompt) with the ticker stopped while it waits for an answer."""

        def wrapped(*args: object, **kwargs: object) -> T:
            running = self._thread is not None
            self.stop()
            try:
                return ask(*args, **kwargs)
            finally:
                if running:
                    self.start()

        return wrapped

    def _run(self) -> None:
        started = time.monotonic()
        if self._stop.wait(self.after):
            return
        while True:
            self._write(f"{self.label}{time.monotonic() - started:.0f}s")
            if self._stop.wait(self.every):
                return

    def _write(self, text: str) -> None:
        n = len(self._shown)
        # Back over the last tick, blank what the new one does not cover, back again.
        pad = max(n - len(text), 0)
        self.stream.write("\b" * n + text + " " * pad + "\b" * pad)
        self.stream.flush()
        self._shown = text


@contextmanager
def elapsed(what: str, stream: IO[str] | None = None, *,
            after: float = AFTER) -> Iterator[Ticker]:
    """``what ... 12s`` on ``stream`` (stderr) while the block runs, once it has
    run for ``after`` seconds; erased at the end.  A prompt inside the block
    goes through :meth:`Ticker.paused`."""
    out = stream if stream is not None else sys.stderr
    ticker = Ticker(out, label=f"{what} ... ", after=after)
    ticker.start()
    try:
        yield ticker
    finally:
        ticker.stop()
