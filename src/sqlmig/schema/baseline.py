"""``sqlmig baseline --to V``: adopt a database that already has the schema of 1..V, verified.

Migrations 1..V are replayed on a scratch database (the machinery of
:mod:`.drift`: a scratch server, never the target's own unless ``scratch:
same-server``), the replay and the live database are snapshotted by the same
catalog layer, and only when the snapshots match are 1..V recorded in the
ledger, status ``baselined``, through ``sqlmig_record_baselined()``
(ledger_0010.sql), with an audit row (action ``baseline``).  Otherwise every
difference is named and nothing is written (exit 3), unless
``accept_differences`` with a ``reason``: then the rows are recorded anyway and
the differences and the reason go into the audit row.

A baseline is the first thing a ledger records: a database whose ledger has
any row at all is refused (its history is sqlmig's already).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import ConfigError, DriftDetected, LedgerProblem
from . import scratch as scratch_mod
from .drift import compare, replay_snapshot

if TYPE_CHECKING:
    from pathlib import Path

    from ..core.project import Project
    from ..core.session import Session


@dataclass(frozen=True)
class BaselineResult:
    """What ``sqlmig baseline`` recorded."""

    env: str
    version: int
    versions: list[int]  # recorded as baselined
    differences: list[str] = field(default_factory=list)  # accepted with --accept-differences
    reason: str | None = None
    duration_ms: int = 0
    scratch_server: str = ""

    @property
    def verified(self) -> bool:
        """The live schema matched the replay exactly."""
        return not self.differences


def baseline(session: Session, to: int, *, accept_differences: bool = False,
             reason: str | None = None) -> BaselineResult:
    """Record migrations up to ``to`` as ``baselined`` once the live schema is
    proven to be theirs (see the module docstring)."""
    from ..core import audit
    from ..core.connection import password_of
    from ..core.ledger import os_user
    from .snapshot import take

    started = time.perf_counter()
    if accept_differences and not (reason and reason.strip()):
        raise ConfigError("--accept-differences needs --reason: say why the database may differ "
                          "from what its migrations produce. Nothing was recorded.")
    if reason is not None and not accept_differences:
        raise ConfigError("--reason goes with --accept-differences. Nothing was recorded.")
    project = session.project
    project.verify_manifest()
    files = project.by_version()
    if to not in files:
        raise ConfigError(f"--to {to}: no migration has version {to}. Nothing was recorded.")
    versions = [v for v in sorted(files) if v <= to]
    migrations = [files[v] for v in versions]
    with session.locked(), session.guarded("baseline") as guard:
        conn, cfg, ledger = session.conn, session.config, session.ledger
        guard.note(versions, f"baseline to {to}")
        rows = ledger.rows(conn) if ledger.exists(conn) else []
        if rows:
            raise LedgerProblem(
                f"refusing to baseline {cfg.env}: its sqlmig ledger already has {len(rows)} "
                f"row(s) (versions {rows[0].version}..{rows[-1].version}). A baseline is the "
                "first thing a ledger records; this database's history is sqlmig's already "
                "(see `sqlmig status`). Nothing was recorded.")
        target = scratch_mod.facts(conn)
        actual = take(conn, ledger_schema=cfg.schema)
        expected, where = replay_snapshot(session, migrations, target, prefix="sqlmig_baseline")
        differences, order = compare(expected, actual)
        found = [*differences, *order]
        if found and not accept_differences:
            raise DriftDetected(
                f"refusing to baseline {cfg.env} at {to}: its schema differs from what "
                f"migrations {versions[0]}..{to} produce ({len(found)} difference(s), replayed "
                f"on {where}). Nothing was recorded. Fix the database or pick the version it "
                "is at; or record it anyway with --accept-differences --reason TEXT.",
                problems=found)
        ledger.ensure(conn)
        detail = (f"baselined {versions[0]}..{to}: the schema matched a replay on {where}"
                  if not found else
                  f"baselined {versions[0]}..{to} with {len(found)} accepted difference(s): "
                  + "; ".join(found))
        with conn.transaction():
            ledger.call(conn, "sqlmig_record_baselined", versions, [m.name for m in migrations],
                        [m.up.checksum for m in migrations], os_user(), detail[:4000])
        ms = round((time.perf_counter() - started) * 1000)
        if audit.exists(conn, ledger):
            audit.record(conn, ledger, env=cfg.env, action="baseline", outcome="ok",
                         versions=versions, git_commit=project.git.head, duration_ms=ms,
                         reason=reason, detail=detail, secrets=[password_of(session.url)])
    return BaselineResult(cfg.env, to, versions, found, reason, ms, where)


def baseline_database(project: Project | Path | str | None = None, env: str = "dev",
                      database_url: str | None = None, *, to: int,
                      accept_differences: bool = False, reason: str | None = None,
                      lock_wait: float | None = None) -> BaselineResult:
    """``sqlmig baseline`` for a Python caller."""
    from ..core.session import Session

    with Session(project, env, database_url, lock_wait=lock_wait) as session:
        return baseline(session, to, accept_differences=accept_differences, reason=reason)
