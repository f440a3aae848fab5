"""Maintenance windows: ``"Sun 02:00-04:00 UTC"``, ``"Mon-Fri 22:30-01:00 Europe/Berlin"``.

A window is a half-open interval of wall-clock time in an IANA time zone:
it includes its opening minute and excludes its closing minute (02:00 is
inside "02:00-04:00", 04:00 is not).  A window whose end is not after its
start crosses midnight and closes on the following day.  Wall-clock times
are converted to instants with :mod:`zoneinfo` on the day they occur, so a
"02:00-04:00 Europe/Berlin" window is two hours long in winter and one hour
long on the night clocks spring forward (02:00-03:00 does not exist then).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SPEC = re.compile(
    r"^\s*(?P<days>[A-Za-z*,\-]+)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})"
    r"\s+(?P<zone>[A-Za-z0-9_+\-/]+)\s*$"
)
FORMAT_HELP = (
    'a window such as "Sun 02:00-04:00 UTC": days (Mon..Sun, a range Mon-Fri, a list Sat,Sun, '
    "or daily), a start and end time HH:MM, and an IANA time zone (UTC, Europe/Berlin, "
    "America/New_York); several windows as a list"
)


@dataclass(frozen=True)
class Window:
    """One weekly maintenance window."""

    spec: str
    days: tuple[int, ...]  # 0 = Monday, as date.weekday(); sorted
    start: time
    end: time
    zone: str

    def __str__(self) -> str:
        return self.spec

    def _tz(self) -> tzinfo:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.zone)

    def occurrences(self, around: datetime, days_back: int = 1, days_ahead: int = 8
                    ) -> list[tuple[datetime, datetime]]:
        """(opening, closing) instants in UTC of the occurrences near ``around``."""
        tz = self._tz()
        local_day = around.astimezone(tz).date()
        out = []
        for offset in range(-days_back, days_ahead + 1):
            day = local_day + timedelta(days=offset)
            if day.weekday() not in self.days:
                continue
            end_day = day if self.end > self.start else day + timedelta(days=1)
            opening = _instant(day, self.start, tz)
            closing = _instant(end_day, self.end, tz)
            if closing > opening:
                out.append((opening, closing))
        return out

    def contains(self, at: datetime) -> bool:
        at = at.astimezone(timezone.utc)
        return any(o <= at < c for o, c in self.occurrences(at))

    def next_opening(self, at: datetime) -> datetime | None:
        at = at.astimezone(timezone.utc)
        later = [o for o, _ in self.occurrences(at, days_back=0) if o > at]
        return min(later) if later else None


def _instant(day: date, wall: time, tz: tzinfo) -> datetime:
    """The UTC instant of a wall-clock time on ``day``.

    zoneinfo reads a wall time with fold=0: a time skipped when clocks spring
    forward is read with the offset in force before the jump (02:00 Berlin on
    the last Sunday of March is 01:00 UTC, the instant 03:00 CEST begins;
    02:30 is 03:30 CEST), and a repeated time in autumn is its first occurrence.
    """
    return datetime.combine(day, wall, tzinfo=tz).astimezone(timezone.utc)


def parse(spec: str) -> Window:
    """Parse one window; ValueError (with the expected format) when it is wrong."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    m = _SPEC.match(spec)
    if not m:
        raise ValueError(FORMAT_HELP)
    days = _days(m.group("days"))
    start, end = _time(m.group("start")), _time(m.group("end"))
    if start == end:
        raise ValueError(f"{FORMAT_HELP} (start and end are equal: the window is empty)")
    zone = m.group("zone")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{FORMAT_HELP} (unknown time zone {zone!r})") from None
    return Window(spec=" ".join(spec.split()), days=days, start=start, end=end, zone=zone)


def parse_many(value: object) -> tuple[Window, ...]:
    """The ``maintenance_window`` config value: one string or a list of strings."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise ValueError(FORMAT_HELP)
    return tuple(parse(v) for v in items)


def _days(text: str) -> tuple[int, ...]:
    lowered = text.lower()
    if lowered in ("daily", "*"):
        return tuple(range(7))
    names = [d.lower() for d in DAYS]
    out: set[int] = set()
    for part in lowered.split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            if first not in names or last not in names:
                raise ValueError(f"{FORMAT_HELP} (unknown day in {part!r})")
            i, j = names.index(first), names.index(last)
            out.update((i + k) % 7 for k in range((j - i) % 7 + 1))
        elif part in names:
            out.add(names.index(part))
        else:
            raise ValueError(f"{FORMAT_HELP} (unknown day {part!r})")
    return tuple(sorted(out))


def _time(text: str) -> time:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours > 23 or minutes > 59:
        raise ValueError(f"{FORMAT_HELP} (bad time {text!r})")
    return time(hours, minutes)


def inside(windows: tuple[Window, ...], at: datetime) -> Window | None:
    """The window ``at`` falls in, or None."""
    for w in windows:
        if w.contains(at):
            return w
    return None


def next_opening(windows: tuple[Window, ...], at: datetime) -> tuple[datetime, Window] | None:
    found = [(o, w) for w in windows if (o := w.next_opening(at)) is not None]
    return min(found, key=lambda pair: pair[0]) if found else None
