"""The duration grammar: units required (except 0), PostgreSQL's unit names.

No database: these tests use no fixture from conftest.py.
"""

from __future__ import annotations

import pytest

from sqlmig.core.duration import Duration, of_seconds, parse, seconds


@pytest.mark.parametrize(
    ("value", "microseconds", "text", "postgres"),
    [
        ("5s", 5_000_000, "5s", "5000ms"),
        ("500ms", 500_000, "500ms", "500ms"),
        ("2min", 120_000_000, "2min", "120000ms"),
        ("2h", 7_200_000_000, "2h", "7200000ms"),
        ("7d", 604_800_000_000, "7d", "604800000ms"),
        ("1.5h", 5_400_000_000, "1.5h", "5400000ms"),
        ("0.25s", 250_000, "0.25s", "250ms"),
        ("250 ms", 250_000, "250ms", "250ms"),
        ("  30s\n", 30_000_000, "30s", "30000ms"),
        ("1.50h", 5_400_000_000, "1.5h", "5400000ms"),
        ("100s", 100_000_000, "100s", "100000ms"),
        ("1500us", 1_500, "1500us", "2ms"),       # rounds to the nearest ms
        ("1499us", 1_499, "1499us", "1ms"),
        ("1us", 1, "1us", "1ms"),                 # a limit never becomes 0 = off
        ("0.4us", 1, "0.4us", "1ms"),
        ("0", 0, "0", "0"),
        (" 0 ", 0, "0", "0"),
        ("0s", 0, "0", "0"),
        ("0.0min", 0, "0", "0"),
        (0, 0, "0", "0"),
        (0.0, 0, "0", "0"),
    ],
)
def test_good(value: object, microseconds: int, text: str, postgres: str) -> None:
    d = parse(value)
    assert (d.microseconds, d.text, str(d), d.postgres()) == (microseconds, text, text, postgres)
    assert d.seconds == microseconds / 1_000_000
    assert seconds(value) == d.seconds
    assert bool(d) is (microseconds != 0)


@pytest.mark.parametrize(
    ("value", "fix"),
    [
        ("5", "`5` has no unit: write 5s (seconds), 5ms or 5min"),
        ("1.5", "write 1.5s (seconds), 1.5ms or 1.5min"),
        (5, "`5` has no unit: write 5s"),          # YAML int
        (2.5, "`2.5` has no unit: write 2.5s"),    # YAML float
        ("5m", "did you mean 5min? (m is not a unit; PostgreSQL writes minutes as min)"),
        ("5sec", "did you mean 5s?"),
        ("5secs", "did you mean 5s?"),
        ("5 seconds", "did you mean 5s?"),
        ("2hours", "did you mean 2h?"),
        ("1day", "did you mean 1d?"),
        ("10mins", "did you mean 10min?"),
        ("3msec", "did you mean 3ms?"),
        ("5S", "did you mean 5s? (units are case-sensitive"),
        ("2MIN", "did you mean 2min?"),
        ("-1s", "`-1s` is negative: write 1s, or 0 for no limit"),
        ("-5", "is negative: write 5s"),
        ("-2m", "is negative: write 2min"),
        (-3, "is negative: write 3s"),
        ("abc", "`abc`: expected a duration with a unit, such as 5s, 500ms, 2min, 2h or 7d"),
        ("", "expected a duration with a unit"),
        ("5 s s", "expected a duration with a unit"),
        ("+5s", "expected a duration with a unit"),
        ("1h30min", "expected a duration with a unit"),
        ("5w", "expected a duration with a unit"),
        (".5s", "expected a duration with a unit"),
        (None, "expected a duration with a unit"),
        (["5s"], "expected a duration with a unit"),
        (float("inf"), "expected a duration with a unit"),
        (True, "is a boolean"),
        (False, "write 0 for no limit"),
    ],
)
def test_bad(value: object, fix: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse(value)
    assert fix in str(raised.value)


@pytest.mark.parametrize(
    ("s", "microseconds", "text"),
    [
        (60, 60_000_000, "1min"),
        (7200, 7_200_000_000, "2h"),
        (0.5, 500_000, "500ms"),
        (0.1, 100_000, "100ms"),
        (90, 90_000_000, "90s"),
        (604_800, 604_800_000_000, "7d"),
        (1e-7, 1, "1us"),                         # positive stays positive
        (0, 0, "0"),
    ],
)
def test_of_seconds(s: float, microseconds: int, text: str) -> None:
    d = of_seconds(s)
    assert (d.microseconds, d.text) == (microseconds, text)
    assert parse(d.text) == d


@pytest.mark.parametrize("s", [-1, float("nan"), float("inf")])
def test_of_seconds_rejects(s: float) -> None:
    with pytest.raises(ValueError, match="0 or more"):
        of_seconds(s)


def test_equality_is_by_time_not_spelling() -> None:
    assert parse("60s") == parse("1min") == of_seconds(60)
    assert parse("60s").text != parse("1min").text
    assert parse(parse("5s")) == parse("5s")
    assert isinstance(parse("5s"), Duration)


def test_milliseconds() -> None:
    assert parse("2.5s").milliseconds == 2500
    assert parse("400us").milliseconds == 1
    assert parse("0").milliseconds == 0
