"""Colour, decided in one place for every command.

* ``NO_COLOR`` set to anything non-empty: never (https://no-color.org);
* else ``FORCE_COLOR`` non-empty: always, even into a pipe or a file;
* else colour where the stream is a terminal.

The group sets the decision on click's root context (:func:`wanted` as
``ctx.color``), so every ``click.echo`` follows it: click keeps or strips the
ANSI codes of ``click.style`` per stream.  Renderers that choose whether to
build coloured text at all ask :func:`paint`.  Only ``os`` is imported.
"""

from __future__ import annotations

import os
from typing import IO


def wanted() -> bool | None:
    """False under NO_COLOR, True under FORCE_COLOR, None for "a terminal decides"."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def paint() -> bool:
    """Whether a renderer adds colour codes: not under NO_COLOR.  ``click.echo``
    then keeps them on a terminal (or anywhere under FORCE_COLOR) and strips
    them elsewhere."""
    return wanted() is not False


def terminal(stream: IO[str]) -> bool:
    """Is ``stream`` a terminal (where progress is shown; never into a pipe)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
