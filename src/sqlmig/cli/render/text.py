"""The small pieces every human rendering shares: counts with real plurals,
one timestamp format, and tables with a header row.

Plain string work, nothing imported: every renderer may use these without
slowing ``sqlmig --help``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

_IRREGULAR = {"entry": "entries", "difference": "differences", "index": "indexes",
              "was": "were", "is": "are"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 migration``, ``2 migrations``, ``0 migrations``; ``many`` for a word
    whose plural is not ``word + "s"`` (a few common ones are known)."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many or _IRREGULAR.get(word) or word + 's'}"


def timestamp(at: datetime | None) -> str:
    """One format for every time shown to a person: ISO 8601 to the second,
    with the offset (``2026-03-01T02:10:00+00:00``); ``-`` for none."""
    if at is None:
        return "-"
    return at.isoformat(timespec="seconds")


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *,
          right: Sequence[int] = (), indent: str = "") -> list[str]:
    """Rows under a header, in columns as wide as their widest cell, two
    spaces apart; the columns whose index is in ``right`` are right-aligned
    (numbers).  Trailing spaces are dropped.  Cells may carry ANSI styles:
    their width is measured without them."""
    width = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            width[i] = max(width[i], _visible(cell))
    last = len(header) - 1

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (width[i] - _visible(cell))
            if i in right:
                out.append(pad + cell)
            else:
                out.append(cell if i == last else cell + pad)
        return (indent + "  ".join(out)).rstrip()

    return [line(header), *(line(r) for r in rows)]


def _visible(text: str) -> int:
    """The printed width of ``text``: ANSI escape sequences take none."""
    if "\x1b" not in text:
        return len(text)
    import re

    return len(re.sub(r"\x1b\[[0-9;]*m", "", text))
