"""What a fleet run did, typed (the CLI shows it: :mod:`sqlmig.cli.render.fleet`).

:class:`FleetApplyResult` (a row per target: from, to, applied, time,
outcome), :class:`FleetStatus` (the matrix: how many targets at each
version, which are behind, failed or drifted) and :class:`FleetCheckResult`
(the checks, aggregated).  ``--json`` is generated from the dataclasses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

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
