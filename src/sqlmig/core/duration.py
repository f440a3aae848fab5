"""Durations: the one grammar for every length of time sqlmig reads.

Config keys (``lock_timeout``, ``statement_timeout``, ``lock_wait``,
``approval_ttl``, ``lock_retry_delay``), check-file directives
(``-- sqlmig: timeout 30s``) and CLI options (``--since 90d``) all go through
:func:`parse`.  The grammar is a non-negative decimal number, optional spaces,
and one of PostgreSQL's time units, case-sensitive as PostgreSQL's are::

    us  ms  s  min  h  d        e.g.  5s  500ms  2min  1.5h  7d  "250 ms"

Surrounding whitespace is ignored.  The unit is required: a bare ``5`` meant
5 milliseconds to PostgreSQL's ``lock_timeout`` but 5 seconds to sqlmig's
``approval_ttl``, so a bare number is an error that says which unit to add.
The one exception is ``0`` ("off", no limit), which means the same in every
unit.  Near-misses (``5m``, ``5sec``, ``2hours``) get a "did you mean".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

_UNITS = {"us": 1, "ms": 1_000, "s": 1_000_000, "min": 60_000_000,
          "h": 3_600_000_000, "d": 86_400_000_000}
_NAMES = {"us": "microseconds", "ms": "milliseconds", "s": "seconds",
          "min": "minutes", "h": "hours", "d": "days"}
_WRONG = {"us": "usec usecs µs μs microsecond microseconds",
          "ms": "msec msecs millis millisecond milliseconds",
          "s": "sec secs second seconds", "min": "m mins minute minutes",
          "h": "hr hrs hour hours", "d": "day days"}
# Lower-cased spelling -> canonical unit; the units themselves catch "5S", "5MS".
_SPELLINGS = {word: unit for unit, words in _WRONG.items() for word in [unit, *words.split()]}
_DURATION = re.compile(r"\s*(?P<sign>-?)(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[^\W\d_]*)\s*")
_EXPECTED = "expected a duration with a unit, such as 5s, 500ms, 2min, 2h or 7d"


@dataclass(frozen=True)
class Duration:
    """A length of time.  Equality compares the time, not the spelling."""

    microseconds: int
    text: str = field(compare=False)

    @property
    def seconds(self) -> float:
        return self.microseconds / 1_000_000

    @property
    def milliseconds(self) -> int:
        """Rounded to the nearest ms, but a positive duration is never 0 (off)."""
        if not self.microseconds:
            return 0
        return max(1, (self.microseconds + 500) // 1000)

    def postgres(self) -> str:
        """A value for ``SET lock_timeout`` / ``statement_timeout`` (unit ms)."""
        return f"{self.milliseconds}ms" if self else "0"

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return self.microseconds != 0


_ZERO = Duration(0, "0")


def parse(value: object) -> Duration:
    """Read a duration from a string (or a YAML int/float, which must be 0).

    Raises ValueError whose message a caller can prefix with where the value
    came from, e.g. "config.yaml: bad value for `lock_timeout`: ".
    """
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool):
        raise ValueError(f"`{value}` is a boolean (YAML reads on/off/yes/no as booleans):"
                         " write 0 for no limit, or a duration such as 5s")
    if isinstance(value, (int, float)):
        value = repr(value)
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    shown = value.strip() if isinstance(value, str) else repr(value)
    if match is None:
        raise ValueError(f"`{shown}`: {_EXPECTED}")
    sign, number, unit = match.group("sign", "number", "unit")
    amount = Decimal(number)
    canonical = _SPELLINGS.get(unit.lower())
    if sign and amount:
        raise ValueError(f"`{shown}` is negative: write {number}{canonical or 's'}, or 0 for no limit")
    if not unit:
        if not amount:
            return _ZERO
        raise ValueError(f"`{shown}` has no unit: write {number}s (seconds), {number}ms or {number}min")
    if canonical is None:
        raise ValueError(f"`{shown}`: {_EXPECTED}")
    if unit != canonical:
        why = ("units are case-sensitive, as in PostgreSQL" if unit.lower() == canonical else
               f"{unit} is not a unit; PostgreSQL writes {_NAMES[canonical]} as {canonical}")
        raise ValueError(f"`{shown}`: did you mean {number}{canonical}? ({why})")
    if not amount:
        return _ZERO
    micro = int((amount * _UNITS[unit]).to_integral_value(ROUND_HALF_UP))
    return Duration(max(1, micro), f"{amount.normalize():f}{unit}")


def seconds(value: object) -> float:
    """``parse(value).seconds``."""
    return parse(value).seconds


def of_seconds(s: float) -> Duration:
    """A duration of ``s`` seconds (for defaults in code), spelled in the
    largest unit that keeps the number whole: 60 -> 1min, 0.5 -> 500ms."""
    if isinstance(s, bool) or not isinstance(s, (int, float)) or not math.isfinite(s) or s < 0:
        raise ValueError(f"`{s!r}` seconds: expected a finite number of seconds, 0 or more")
    micro = int((Decimal(repr(s)) * 1_000_000).to_integral_value(ROUND_HALF_UP))
    if not micro and not s:
        return _ZERO
    micro = max(1, micro)
    unit = next(u for u in ("d", "h", "min", "s", "ms", "us") if micro % _UNITS[u] == 0)
    return Duration(micro, f"{micro // _UNITS[unit]}{unit}")
