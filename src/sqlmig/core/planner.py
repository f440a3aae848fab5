"""From files and ledger to what is wrong and what would run.

Pure functions over already-read data: :func:`status` compares the
migrations with the ledger rows, :func:`upgrade` and :func:`downgrade` decide
the steps of an apply or a rollback, and refuse (SafetyRefusal) when a human
must look first.  Nothing here touches the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..errors import (ChecksumDrift, ConfigError, LedgerProblem, ManifestMismatch,
                      MigrationFileError, SafetyRefusal)
from .ledger import LedgerRow
from .manifest import ManifestReport
from .files import Migration, SqlFile

log = logging.getLogger("sqlmig.planner")


@dataclass(frozen=True)
class Problem:
    """Something the ledger and the files disagree on."""

    # checksum-drift | renamed | missing-file | failed | out-of-order | manifest | invalid
    kind: str
    message: str
    version: int | None = None


@dataclass(frozen=True)
class CosmeticChange:
    """An applied file edited only in its comments or whitespace: its normalized
    checksum is the ledger's, its bytes are not.  Not a problem; ``sqlmig
    repair`` records the new checksum."""

    version: int
    relpath: str
    recorded: str  # the ledger's raw checksum
    current: str  # the file's

    @property
    def message(self) -> str:
        return (f"{self.relpath} changed after it was applied, in comments/whitespace only "
                f"(recorded {self.recorded[:12]}, file {self.current[:12]}); "
                f"`sqlmig repair {self.version} --reason TEXT` records the new checksum.")


@dataclass(frozen=True)
class Status:
    """Applied and pending migrations, and every problem found."""

    applied: list[LedgerRow]
    pending: list[Migration]
    problems: list[Problem]
    ledger_exists: bool
    # sqlmig.core.repeatable.RepeatableState of each repeatable (set by Session.status)
    repeatables: list[Any] = field(default_factory=list)
    # applied files edited in comments/whitespace only: not problems (sqlmig repair)
    cosmetic: list[CosmeticChange] = field(default_factory=list)
    # sqlmig.core.tags.Tag of each release tag (set by Session.status)
    tags: list[Any] = field(default_factory=list)

    @property
    def current_version(self) -> int | None:
        done = [r.version for r in self.applied if r.done]
        return max(done) if done else None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Step:
    """One file to run: a migration's up file, or its rollback."""

    migration: Migration
    file: SqlFile
    # A repeatable migration (sql/repeatable): no version; its ledger row is
    # sqlmig_repeatables' (see sqlmig.core.repeatable).
    repeatable: bool = False

    @property
    def version(self) -> int:
        return self.migration.version

    @property
    def name(self) -> str:
        return self.migration.name


@dataclass(frozen=True)
class Plan:
    """What an apply (direction "up") or a rollback ("down") would run, in order."""

    direction: str
    steps: list[Step] = field(default_factory=list)
    current_version: int | None = None
    target_version: int | None = None
    # sqlmig.linter Findings for the steps, when the plan was made with lint=True
    findings: tuple[Any, ...] = ()
    # sqlmig.governance.preflight.Preflight of the plan, when plan() was asked for lint
    preflight: Any = None
    # Repeatable migrations to run after the steps (Step.repeatable), in order
    repeatables: list[Step] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.steps)


def status(
    migrations: list[Migration],
    rows: list[LedgerRow],
    manifest_report: ManifestReport | None,
    *,
    ledger_exists: bool = True,
    allow_out_of_order: bool = False,
) -> Status:
    by_version = {m.version: m for m in migrations}
    recorded = {r.version for r in rows}
    problems: list[Problem] = []
    cosmetic: list[CosmeticChange] = []
    if manifest_report is not None and not manifest_report.ok:
        problems += [Problem("manifest", p) for p in manifest_report.problems()]
    for row in rows:
        mig = by_version.get(row.version)
        if row.status == "failed":
            where = f" at statement {row.failed_statement}" if row.failed_statement else ""
            problems.append(
                Problem(
                    "failed",
                    f"{row.name} failed{where} and may be half-applied: {row.error or 'no detail'}. "
                    "Fix the database by hand, then record the outcome with "
                    f"`sqlmig resolve {row.version} --as applied|rolled-back`.",
                    row.version,
                )
            )
        if mig is None:
            problems.append(
                Problem(
                    "missing-file",
                    f"{row.name} is applied but migrations/{row.name}.sql is gone. "
                    "Restore the file from version control.",
                    row.version,
                )
            )
        elif mig.name != row.name:
            problems.append(_renamed(mig, row))
        elif mig.up.checksum != row.checksum and _cosmetic(mig, row):
            cosmetic.append(CosmeticChange(row.version, mig.up.relpath, row.checksum,
                                           mig.up.checksum))
        elif mig.up.checksum != row.checksum:
            problems.append(
                Problem(
                    "checksum-drift",
                    f"{mig.up.relpath} changed after it was applied (recorded "
                    f"{row.checksum[:12]}, file {mig.up.checksum[:12]}). Applied migrations are "
                    "immutable: restore the file and put the change in a new migration; or, once "
                    "you have reviewed the edit and know the database matches it, record it "
                    f"with `sqlmig repair {row.version} --reason TEXT`.",
                    row.version,
                )
            )
    pending = [m for m in migrations if m.version not in recorded]
    highest = max(recorded) if recorded else None
    if highest is not None and not allow_out_of_order:
        for mig in pending:
            if mig.version < highest:
                problems.append(
                    Problem(
                        "out-of-order",
                        f"{mig.name} is pending but {highest} is already applied. Renumber it "
                        "above the applied versions, or apply with --allow-out-of-order.",
                        mig.version,
                    )
                )
    problems += _invalid(pending)
    for change in cosmetic:
        log.warning("%s", change.message)
    return Status(applied=rows, pending=pending, problems=problems, ledger_exists=ledger_exists,
                  cosmetic=cosmetic)


def _cosmetic(mig: Migration, row: LedgerRow) -> bool:
    """The file's normalized checksum is the one recorded, by the same rules.
    Rows written before ledger version 8 have none: only the raw checksum counts."""
    from .sqltext import NORMALIZER

    if row.checksum_normalized is None or row.normalizer != NORMALIZER:
        return False
    return mig.up.normalized_checksum == row.checksum_normalized


def _invalid(pending: list[Migration]) -> list[Problem]:
    """Pending files that apply would refuse when it reaches them, with the
    refusal's own message: status never calls "no problems" a file apply
    refuses.  Validation is linear in the file and its analysis is cached on
    the file, so an apply in the same process does not parse it again."""
    found = []
    for mig in pending:
        try:
            mig.up.validate()
        except MigrationFileError as exc:
            found.append(Problem("invalid", exc.message, mig.version))
    return found


def _renamed(mig: Migration, row: LedgerRow) -> Problem:
    """The file of an applied version has another name than the ledger records.

    Apply and rollback refuse it like checksum drift: the ledger, the history
    and the rollback file are all found by the recorded name.
    """
    if mig.up.checksum == row.checksum:
        return Problem(
            "renamed",
            f"{mig.up.relpath} is applied as {row.name} (same version and checksum): the file "
            f"was renamed after it was applied. Rename it back to migrations/{row.name}.sql "
            "(and its rollback), then run `sqlmig manifest`; or keep the new name and record "
            f"it with `sqlmig repair {row.version} --reason TEXT`.",
            row.version,
        )
    return Problem(
        "checksum-drift",
        f"version {row.version} is applied as {row.name}, but the file with that version is "
        f"{mig.up.relpath}, with other contents (recorded {row.checksum[:12]}, file "
        f"{mig.up.checksum[:12]}). Restore migrations/{row.name}.sql and renumber "
        f"{mig.name} above the applied versions.",
        row.version,
    )


_REFUSAL_BY_KIND: dict[str, type[SafetyRefusal]] = {
    "manifest": ManifestMismatch,
    "checksum-drift": ChecksumDrift,
}
# Problems of one file that apply and rollback refuse themselves, and only when
# their plan includes the file: validate() raises MigrationFileError (exit 2)
# at file:line, so `apply --to` below a bad file still runs.
_REFUSED_PER_STEP = {"invalid"}


def refuse_on_problems(st: Status, action: str) -> None:
    """Raise the SafetyRefusal for the first kind of problem, listing them all
    (except ``invalid`` files, refused by validation when a plan reaches them)."""
    problems = [p for p in st.problems if p.kind not in _REFUSED_PER_STEP]
    if not problems:
        return
    cls = _REFUSAL_BY_KIND.get(problems[0].kind, LedgerProblem)
    raise cls(
        f"refusing to {action}: {len(problems)} problem(s) must be resolved first; "
        "nothing was changed.",
        problems=[p.message for p in problems],
    )


def upgrade(st: Status, *, to: int | None = None, known: set[int] | None = None) -> Plan:
    """The pending migrations up to and including ``to``."""
    if to is not None and known is not None and to not in known:
        raise ConfigError(f"--to {to}: no migration has version {to}.")
    steps = [Step(m, m.up) for m in st.pending if to is None or m.version <= to]
    target = max([st.current_version or 0, *(s.version for s in steps)]) or None
    return Plan(direction="up", steps=steps, current_version=st.current_version,
                target_version=target)


def downgrade(
    st: Status,
    migrations: list[Migration],
    *,
    steps: int | None = None,
    to: int | None = None,
) -> Plan:
    """The applied migrations to roll back, newest first; refuses when a rollback
    file is missing or a migration is marked irreversible."""
    if steps is not None and to is not None:
        raise ConfigError("give --steps or --to, not both.")
    if steps is not None and steps < 1:
        raise ConfigError("--steps must be 1 or more.")
    applied = sorted((r for r in st.applied if r.done),
                     key=lambda r: -r.version)
    if to is not None:
        chosen = [r for r in applied if r.version > to]
    else:
        chosen = applied[: steps or 1]
    by_version = {m.version: m for m in migrations}
    missing = []
    plan_steps = []
    for row in chosen:
        mig = by_version[row.version]  # a missing file is already a status problem
        if mig.irreversible is not None:
            missing.append(f"{mig.name} is marked irreversible: {mig.irreversible}")
        elif mig.down is None:
            missing.append(
                f"{mig.name} has no rollback file: create rollbacks/{mig.name}.sql "
                "(and run `sqlmig manifest`), or restore from a backup."
            )
        else:
            plan_steps.append(Step(mig, mig.down))
    if missing:
        raise LedgerProblem(
            f"refusing to roll back: {len(missing)} migration(s) cannot be reversed by a "
            "rollback file; nothing was changed.",
            problems=missing,
        )
    remaining = [r.version for r in applied if r not in chosen]
    return Plan(direction="down", steps=plan_steps, current_version=st.current_version,
                target_version=max(remaining) if remaining else None)
