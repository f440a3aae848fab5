"""sqlmig's log records on the command line: stderr, passwords removed, at the
level of the environment's ``log_level``; a library caller configures logging
itself (the package only adds a NullHandler).

Each failure is printed once.  The library logs a failure where it happens
(the runner logs a failed migration at error level, for a deploy script's
log file) and raises it; the command then prints the exception as its
``error:`` line.  So records written while the command's own thread is
handling a :class:`~sqlmig.errors.SqlmigError` are held back until the
command ends, and those whose text the reported error already contains are
dropped; the rest are printed then, before the ``error:`` line.  Records from
other threads (a fleet's workers, whose failures are rows of the fleet's
table, not the command's error) are printed at once.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

LOGGER = "sqlmig"
FORMAT = "%(asctime)s sqlmig %(levelname)s %(message)s"
DEFAULT_LEVEL = "warning"  # the default of the config key, for commands without an environment


NOTICE = "sqlmig.notice"  # one-time notices for the user, printed as plain lines


class _Redacting(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        from ..core.connection import redact

        if record.name == NOTICE:
            return redact(record.getMessage())
        return redact(super().format(record))


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(_Redacting(FORMAT))
        self._thread = threading.get_ident()
        self._held: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        from ..errors import SqlmigError

        if threading.get_ident() == self._thread and isinstance(sys.exc_info()[1], SqlmigError):
            self._held.append(record)
            return
        self._write(record)

    def done(self, reported: BaseException | None = None) -> None:
        """Print the held records, except those that only repeat ``reported``."""
        held, self._held = self._held, []
        text = "" if reported is None else str(reported)
        for record in held:
            if not (text and record.getMessage() in text):
                self._write(record)

    def _write(self, record: logging.LogRecord) -> None:
        self.stream: TextIO = sys.stderr  # whatever stderr is now (click's test runner swaps it)
        super().emit(record)


@contextmanager
def to_stderr() -> Iterator[StderrHandler]:
    """The handler for one command run; the logger is left as it was found."""
    logger = logging.getLogger(LOGGER)
    handler = StderrHandler()
    level = logger.level
    logger.setLevel(DEFAULT_LEVEL.upper())
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        handler.done()
        logger.removeHandler(handler)
        logger.setLevel(level)


def level_for(project: str | None, env: str | None, database_url: str | None) -> None:
    """Set the ``sqlmig`` logger to the level of ``env``'s ``log_level`` (e.g.
    production logs the plan, each result and its timing: info)."""
    from ..errors import SqlmigError

    if env is None:
        return
    from .. import api

    try:
        level = api.config(project, env, database_url).log_level
    except SqlmigError:
        return  # the command reads the same config and reports what is wrong with it
    logging.getLogger(LOGGER).setLevel(level.upper())
