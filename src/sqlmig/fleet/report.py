"""What a fleet run did, typed, and how the CLI shows it.

:class:`FleetApplyResult` (a row per target: from, to, applied, time,
outcome), :class:`FleetStatus` (the matrix: how many targets at each
version, which are behind, failed or drifted) and :class:`FleetCheckResult`
(the checks, aggregated).  ``--json`` is generated from the dataclasses.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import IO

from ..core.results import AppliedMigration

# Outcomes of one target in a fleet apply.
APPLIED = "applied"
UP_TO_DATE = "up-to-date"
WOULD_APPLY = "would-apply"  # --dry-run
FAILED = "failed"  # the server rejected SQL, or the target could not be reached
REFUSED = "refused"  # a safety guard refused (drift, failed ledger row, lock, policy)
CHECK_FAILED = "check-failed"  # applied on a canary, whose checks then failed
UNTOUCHED = "untouched"  # never started: an earlier wave failed, or --fail-fast
BAD = (FAILED, REFUSED, CHECK_FAILED)


@dataclass(frozen=True)
class TargetCheck:
    """The checks of one target, summarized."""

    passed: int
    warned: int
    failed: int
    errored: int
    failing: list[str]  # "check/name: detail" of each FAIL and ERROR row
    ok: bool


@dataclass(frozen=True)
class TargetResult:
    """One target of a fleet apply."""

    target: str
    outcome: str
    wave: int  # 0: the canary; 1, 2...: the waves after it (1 without --canary/--wave-size)
    from_version: int | None = None
    to_version: int | None = None
    applied: list[AppliedMigration] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)
    duration_ms: int = 0
    error: str | None = None
    exit_code: int | None = None
    check: TargetCheck | None = None

    @property
    def ok(self) -> bool:
        return self.outcome not in BAD and self.outcome != UNTOUCHED


@dataclass(frozen=True)
class FleetApplyResult:
    """Every target of a fleet apply, in the fleet's order."""

    env: str
    jobs: int
    targets: list[TargetResult]
    duration_ms: int
    canary: int | None = None
    wave_size: int | None = None
    stopped: str | None = None  # why targets were left untouched
    max_connections: int = 0  # the most target connections open at once (<= jobs)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.targets)

    def count(self, outcome: str) -> int:
        return sum(1 for t in self.targets if t.outcome == outcome)


@dataclass(frozen=True)
class TargetStatus:
    """One target of ``sqlmig status`` on a fleet."""

    target: str
    version: int | None
    applied: int
    pending: list[str]
    problems: list[str]  # "kind: message"
    state: str  # current | behind | failed | drifted | problem | error (could not be read)
    error: str | None = None


@dataclass(frozen=True)
class FleetStatus:
    env: str
    targets: list[TargetStatus]
    latest: int | None  # the newest migration in the project

    @property
    def versions(self) -> dict[str, int]:
        """How many targets are at each version ("none": no migration applied)."""
        counts = Counter("none" if t.version is None else str(t.version)
                         for t in self.targets if t.state != "error")
        return dict(sorted(counts.items(), key=lambda kv: (kv[0] != "none", _num(kv[0]))))

    def named(self, state: str) -> list[str]:
        return [t.target for t in self.targets if t.state == state]

    @property
    def ok(self) -> bool:
        return all(t.state in ("current", "behind") for t in self.targets)


@dataclass(frozen=True)
class TargetCheckResult:
    target: str
    check: TargetCheck | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.check is not None and self.check.ok


@dataclass(frozen=True)
class FleetCheckResult:
    env: str
    targets: list[TargetCheckResult]
    duration_ms: int

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.targets)


def _num(text: str) -> int:
    return int(text) if text.isdigit() else -1


def _v(version: int | None) -> str:
    return "-" if version is None else str(version)


# -- progress ----------------------------------------------------------------------------


class FleetProgress:
    """A bar over targets on a terminal, one plain line per finished target otherwise.

    Called from worker threads; writes to ``stream`` (stderr), so that the
    table on stdout stays clean for pipes.
    """

    def __init__(self, stream: IO[str] | None = None, tty: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.total = 0
        self.done = 0
        self.bad = 0
        self.started = time.perf_counter()
        self._lock = threading.Lock()

    def __call__(self, result: TargetResult, done: int, total: int) -> None:
        with self._lock:
            self.done, self.total = done, total
            self.bad += not result.ok
            if self.tty:
                width = 30
                filled = width * self.done // max(self.total, 1)
                bar = "#" * filled + "." * (width - filled)
                failed = f", {self.bad} failed" if self.bad else ""
                self.stream.write(
                    f"\r[{bar}] {self.done}/{self.total} targets{failed} "
                    f"{time.perf_counter() - self.started:.1f}s  {result.target[:30]:<30}"
                )
                if self.done == self.total:
                    self.stream.write("\n")
            else:
                n = len(str(self.total))
                self.stream.write(f"[{self.done:>{n}}/{self.total}] {result.target}: "
                                  f"{_summary(result)}\n")
            self.stream.flush()

    def finish(self) -> None:
        with self._lock:
            if self.tty and 0 < self.done < self.total:
                self.stream.write("\n")
                self.stream.flush()


def _summary(r: TargetResult) -> str:
    if r.outcome == APPLIED:
        return f"applied {len(r.applied)} ({_v(r.from_version)} -> {_v(r.to_version)})"
    if r.outcome == WOULD_APPLY:
        return f"would apply {len(r.planned)}"
    if r.error:
        return f"{r.outcome}: {r.error.splitlines()[0]}"
    return r.outcome


# -- rendering ------------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*header).rstrip(), *(fmt.format(*r).rstrip() for r in rows)]


def apply_text(result: FleetApplyResult) -> str:
    rows = [[t.target, _v(t.from_version), _v(t.to_version),
             str(len(t.applied)) if t.outcome != WOULD_APPLY else f"({len(t.planned)})",
             f"{t.duration_ms} ms" if t.outcome != UNTOUCHED else "-", t.outcome]
            for t in result.targets]
    lines = _table(["target", "from", "to", "applied", "time", "outcome"], rows)
    errors = [(t, t.error) for t in result.targets if t.error]
    if errors:
        lines.append("")
        for t, error in errors:
            lines.append(f"{t.target}: {t.outcome}")
            lines += ["  " + line for line in error.splitlines()]
    untouched = [t.target for t in result.targets if t.outcome == UNTOUCHED]
    if result.stopped:
        lines += ["", f"stopped: {result.stopped}"]
        if untouched:
            lines.append(f"untouched ({len(untouched)}): {', '.join(untouched)}")
    counts = Counter(t.outcome for t in result.targets)
    parts = [f"{counts[o]} {o}" for o in (APPLIED, WOULD_APPLY, UP_TO_DATE, FAILED, REFUSED,
                                          CHECK_FAILED, UNTOUCHED) if counts[o]]
    lines += ["", f"{len(result.targets)} target(s): {', '.join(parts) or 'none'} "
                  f"in {result.duration_ms / 1000:.1f} s (--jobs {result.jobs})"]
    return "\n".join(lines)


def status_json(st: FleetStatus) -> str:
    """The matrix's summary and every target."""
    from ..core.results import dumps

    return dumps({
        "env": st.env, "latest": st.latest, "versions": st.versions,
        **{state: st.named(state) for state in ("behind", "failed", "drifted", "problem",
                                                "error")},
        "targets": st.targets,
    })


def status_text(st: FleetStatus) -> str:
    lines = [f"{len(st.targets)} target(s) in {st.env}; newest migration: {_v(st.latest)}", ""]
    lines += _table(["version", "targets"], [[v, str(n)] for v, n in st.versions.items()])
    for state, title in (("behind", "behind"), ("failed", "failed"), ("drifted", "drifted"),
                         ("problem", "with problems"), ("error", "could not be read")):
        names = st.named(state)
        if names:
            lines += ["", f"{title} ({len(names)}): {', '.join(names)}"]
    bad = [t for t in st.targets if t.problems or t.error]
    if bad:
        lines.append("")
        for t in bad:
            for problem in ([t.error] if t.error else t.problems):
                lines.append(f"{t.target}: {problem.splitlines()[0]}")
    return "\n".join(lines)


def check_text(result: FleetCheckResult) -> str:
    rows = []
    for t in result.targets:
        c = t.check
        rows.append([t.target,
                     *(str(n) for n in ((c.passed, c.warned, c.failed, c.errored) if c else
                                        ("-",) * 4)),
                     "ok" if t.ok else ("error" if t.error else "FAIL")])
    lines = _table(["target", "pass", "warn", "fail", "error", "outcome"], rows)
    for t in result.targets:
        if t.error:
            lines.append(f"{t.target}: {t.error.splitlines()[0]}")
        elif t.check and t.check.failing:
            lines += [f"{t.target}: {line}" for line in t.check.failing]
    bad = sum(not t.ok for t in result.targets)
    lines += ["", f"{len(result.targets)} target(s): {len(result.targets) - bad} ok, {bad} "
                  f"failing in {result.duration_ms / 1000:.1f} s"]
    return "\n".join(lines)
