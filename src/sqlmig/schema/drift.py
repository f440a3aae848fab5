"""``sqlmig drift``: what was changed by hand in a live database.

The expected schema is built by applying, on a scratch database of a scratch
server (:mod:`sqlmig.schema.scratch`; the target's own server only with
``scratch: same-server``), exactly the migrations the target's ledger records as applied; the
two snapshots are compared and every object added, removed or changed in the
target is reported.  ``refuse_on_drift: true`` in an environment's config
(set in the shipped config/production.yaml) makes ``apply`` run this first
and refuse (exit 3).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core import checkpoint
from ..core.settings import Config
from ..errors import DriftDetected, LedgerProblem
from .settings import SchemaSettings
from . import scratch as scratch_mod
from .snapshot import diff
from .verify import build

if TYPE_CHECKING:
    from pathlib import Path

    from ..core.files import Migration
    from ..core.project import Project
    from ..core.session import Session
    from .snapshot import Snapshot

@dataclass(frozen=True)
class DriftReport:
    """The target's schema compared with what its applied migrations produce."""

    env: str
    applied: list[int]  # the ledger's applied versions, rebuilt on the scratch database
    differences: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # column order, reported separately
    duration_ms: int = 0
    scratch_server: str = ""  # where the migrations were replayed (no password)

    @property
    def drifted(self) -> bool:
        return bool(self.differences or self.order)

    @property
    def version(self) -> int | None:
        return max(self.applied) if self.applied else None


def refuses(config: Config) -> bool:
    """Whether ``apply`` checks for drift first in this environment."""
    return SchemaSettings.of(config).refuse_on_drift


def detect(session: Session, *, privileges: bool = False) -> DriftReport:
    """Compare ``session``'s database with its applied migrations replayed on a scratch database."""
    from .snapshot import take

    started = time.perf_counter()
    conn, cfg = session.conn, session.config
    rows = session.ledger.rows(conn) if session.ledger.exists(conn) else []
    applied = sorted(r.version for r in rows if r.done)
    files = session.project.by_version()
    missing = [v for v in applied if v not in files]
    if missing:
        raise LedgerProblem(
            "cannot build the expected schema: applied version(s) "
            f"{', '.join(map(str, missing))} have no migration file. Restore the files "
            "(see `sqlmig status`) before checking for drift.",
        )
    target = scratch_mod.facts(conn)
    # From the newest checkpoint the applied versions cover (proven to build the
    # same schema as its migrations: sqlmig.backup.checkpoint), then one by one.
    replayed = checkpoint.replay_files(session.project.checkpoints, session.project.migrations,
                                       applied)
    actual = take(conn, ledger_schema=cfg.schema, privileges=privileges)
    expected, where = replay_snapshot(session, replayed, target, privileges=privileges)
    differences, order = compare(expected, actual)
    return DriftReport(
        env=cfg.env, applied=applied, differences=differences, order=order,
        duration_ms=round((time.perf_counter() - started) * 1000),
        scratch_server=where,
    )


def replay_snapshot(session: Session, replayed: list[Migration], target: scratch_mod.ServerFacts,
                    *, privileges: bool = False, prefix: str = "sqlmig_drift"
                    ) -> tuple[Snapshot, str]:
    """The snapshot of ``replayed`` applied on a scratch database of the scratch
    server the session's config chooses, and where that was (no password)."""
    cfg = session.config
    server = scratch_mod.choose(session.project, cfg, session.url, target)
    with scratch_mod.replay(server, [m.up for m in replayed], target, prefix) as scratch:
        mig = build(scratch.url, cfg, replayed)
        try:
            expected = mig.snapshot(privileges=privileges)
        finally:
            mig.close()
    return expected, server.where


def compare(expected: Snapshot, actual: Snapshot) -> tuple[list[str], list[str]]:
    """Every difference of ``actual`` from ``expected`` in drift's words, and the
    column-order ones apart."""
    d = diff(expected, actual)
    words = {"added": "was added (not in the migrations)", "removed": "is missing"}
    return ([x.describe(**words) for x in d.differences], [x.describe(**words) for x in d.order])


def refuse_if_drifted(session: Session) -> None:
    """The ``refuse_on_drift`` guard of ``apply``: raise DriftDetected (exit 3)."""
    if not refuses(session.config):
        return
    report = detect(session)
    if report.drifted:
        raise DriftDetected(
            f"refusing to apply to {session.config.env}: its schema differs from what its "
            f"applied migrations produce (refuse_on_drift). Turn the hand-made changes into "
            "a migration, or undo them; `sqlmig drift` shows them.",
            problems=[*report.differences, *report.order],
        )


def detect_drift(project: Project | Path | str | None = None, env: str = "dev",
                 database_url: str | None = None, *, privileges: bool = False) -> DriftReport:
    """``sqlmig drift`` for a Python caller."""
    from ..core.session import Session

    with Session(project, env, database_url) as session:
        return detect(session, privileges=privileges)
