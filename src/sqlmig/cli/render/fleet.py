"""A fleet's runs as text: the progress bar over targets, the apply table, the
version matrix of ``status`` and the checks table (and ``status`` as JSON).
Like every renderer, it loads the library only inside its functions."""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from typing import IO, TYPE_CHECKING, Any

from .text import plural, table

if TYPE_CHECKING:
    from ...fleet.report import FleetApplyResult, FleetCheckResult, FleetStatus, TargetResult


def _v(version: int | None) -> str:
    return "-" if version is None else str(version)


# -- progress ----------------------------------------------------------------------------


class Progress:
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
    from ...fleet.report import APPLIED, WOULD_APPLY

    if r.outcome == APPLIED:
        return f"applied {len(r.applied)} ({_v(r.from_version)} -> {_v(r.to_version)})"
    if r.outcome == WOULD_APPLY:
        return f"would apply {len(r.planned)}"
    if r.error:
        return f"{r.outcome}: {r.error.splitlines()[0]}"
    return r.outcome


# -- rendering ------------------------------------------------------------------------------


def apply(result: FleetApplyResult) -> str:
    from ...fleet.report import (
        APPLIED,
        CHECK_FAILED,
        FAILED,
        REFUSED,
        UNTOUCHED,
        UP_TO_DATE,
        WOULD_APPLY,
    )

    rows = [[t.target, _v(t.from_version), _v(t.to_version),
             str(len(t.applied)) if t.outcome != WOULD_APPLY else f"({len(t.planned)})",
             f"{t.duration_ms} ms" if t.outcome != UNTOUCHED else "-", t.outcome]
            for t in result.targets]
    lines = table(["Target", "From", "To", "Applied", "Time", "Outcome"], rows)
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
    lines += ["", f"{plural(len(result.targets), 'target')}: {', '.join(parts) or 'none'} "
                  f"in {result.duration_ms / 1000:.1f} s (--jobs {result.jobs})"]
    return "\n".join(lines)


def status_data(st: FleetStatus) -> dict[str, Any]:
    """``status --json``'s result on a fleet: the matrix's summary and every target."""
    return {
        "env": st.env, "latest": st.latest, "versions": st.versions,
        **{state: st.named(state) for state in ("behind", "failed", "drifted", "problem",
                                                "error")},
        "targets": st.targets,
    }


def status(st: FleetStatus) -> str:
    lines = [f"{plural(len(st.targets), 'target')} in {st.env}; newest migration: "
             f"{_v(st.latest)}", ""]
    lines += table(["Version", "Targets"], [[v, str(n)] for v, n in st.versions.items()])
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


def check(result: FleetCheckResult) -> str:
    rows = []
    for t in result.targets:
        c = t.check
        rows.append([t.target,
                     *(str(n) for n in ((c.passed, c.warned, c.failed, c.errored) if c else
                                        ("-",) * 4)),
                     "ok" if t.ok else ("error" if t.error else "FAIL")])
    lines = table(["Target", "Pass", "Warn", "Fail", "Error", "Outcome"], rows)
    for t in result.targets:
        if t.error:
            lines.append(f"{t.target}: {t.error.splitlines()[0]}")
        elif t.check and t.check.failing:
            lines += [f"{t.target}: {line}" for line in t.check.failing]
    bad = sum(not t.ok for t in result.targets)
    lines += ["", f"{plural(len(result.targets), 'target')}: {len(result.targets) - bad} ok, "
                  f"{bad} failing in {result.duration_ms / 1000:.1f} s"]
    return "\n".join(lines)
