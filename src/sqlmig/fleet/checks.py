"""The checks a fleet runs: on every target (``sqlmig check``) or on the canary.

Each target's checks run through :mod:`sqlmig.check_run` on one connection
(``jobs=1``), with the target's ledger schema and, for a schema target, its
search_path as the connection's session default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import targets as fleet_targets
from ..core.settings import Config
from ..errors import ConfigError
from .report import TargetCheck
from .targets import Target
from ..core.project import Project

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..checks.report import CheckReport
    from ..checks.files import CheckFile

    Checker = Callable[[Target, Config], TargetCheck]


def canary_checks(project: Project) -> list[CheckFile]:
    from ..checks import files as checks

    try:
        return checks.load(project)
    except ConfigError as exc:
        raise ConfigError(
            f"--canary runs the checks of sql/checks on the canary targets, and there are "
            f"none to run ({exc.message}). Add a check (docs/checks.md), or leave out --canary.",
            path=exc.path,
        ) from None


def project_checker(project: Project, files: list[CheckFile], *, timeout_ms: int | None = None,
                    strict: bool = False, record: bool = False) -> Checker:
    """Run ``files`` on one target's database on one connection (within the budget)."""

    # The project's side of the ledger checks, the same for every target.
    ledger_files = (
        [{"version": m.version, "name": m.name, "checksum": m.up.checksum}
         for m in project.migrations]
        if any(f.needs == "ledger" for f in files) else []
    )

    def run(target: Target, cfg: Config) -> TargetCheck:
        report = _run_checks(project, cfg, files, ledger_files, timeout_ms, record)
        return summarize(report, strict)

    return run


def _run_checks(project: Project, cfg: Config, files: list[CheckFile],
                ledger_files: list[dict[str, Any]], timeout_ms: int | None,
                record: bool) -> CheckReport:
    from ..checks import records as check_records, run as check_run, files as checks
    from ..checks.settings import CheckSettings
    from ..core.ledger import Ledger, located

    url = fleet_targets.connection_url(cfg, project.database_url(cfg))
    cfg = located(cfg, url)
    report = check_run.run(
        url, files, env=cfg.env, jobs=1,
        default_timeout_ms=timeout_ms or checks.DEFAULT_TIMEOUT_MS,
        lock_timeout=cfg.lock_timeout.postgres() if cfg.lock_timeout else "5s", ledger=Ledger(cfg.schema),
        migration_files=ledger_files, check_role=CheckSettings.of(cfg).check_role,
    )
    if record:
        report = check_records.record(url, cfg, report)
    return report


def summarize(report: CheckReport, strict: bool) -> TargetCheck:
    s = report.summary
    bad = ("FAIL", "ERROR", "WARN") if strict else ("FAIL", "ERROR")
    failing = [f"{r.check}: {r.status} {r.name}: {r.detail}" for r in report.results
               if r.status in bad]
    return TargetCheck(s.passed, s.warned, s.failed, s.errored, failing, report.ok(strict))
