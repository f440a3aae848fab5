"""Recorded check runs: ``sqlmig check --record`` and ``sqlmig check --history``.

Runs are stored in the ledger schema (sqlmig_check_runs, sqlmig_check_results,
created by ledger_0002.sql), written after the checks' snapshot is released,
in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core import lock
from .report import CheckReport, CheckSummary
from ..core.connection import connect
from ..core.ledger import Ledger, locate, os_user

if TYPE_CHECKING:
    import psycopg

    from ..core.settings import Config

RUNS = "sqlmig_check_runs"
RESULTS = "sqlmig_check_results"
FAILING = ("FAIL", "ERROR")


@dataclass(frozen=True)
class ResultChange:
    """One result whose failing state changed since the previous recorded run."""

    check: str
    name: str
    status: str  # now ("PASS" when the row is gone because the check found nothing)
    was: str  # in the previous run ("PASS" when the row did not exist)


@dataclass(frozen=True)
class RecordedRun:
    """A recorded run and what changed since the run recorded before it."""

    id: int
    started_at: datetime
    env: str
    duration_ms: float
    summary: CheckSummary
    previous_run: int | None
    newly_failing: list[ResultChange]
    newly_fixed: list[ResultChange]


def record(url: str, cfg: Config, report: CheckReport) -> CheckReport:
    """Store ``report`` and return it with its ``run_id``."""
    with connect(url) as conn:
        ledger = Ledger(locate(conn, cfg.schema, given=cfg.schema_given))
        if not _has_tables(conn, ledger):
            # Creating or upgrading the ledger is the migration runner's
            # business too: do it under the migration lock, like apply does.
            key = lock.key(ledger.schema)
            lock.acquire(conn, key, cfg.lock_wait.seconds)
            try:
                ledger.ensure(conn)
            finally:
                lock.release(conn, key)
        s = report.summary
        from psycopg.types.json import Jsonb

        # One call: the server stamps the user, and the function checks that
        # this login may record check runs (sqlmig/sql/ledger_0006.sql).
        results = [{"ordinal": n, "check_name": r.check, "file": r.file, "name": r.name,
                    "status": r.status, "detail": r.detail, "extra": r.extra,
                    "duration_ms": round(r.duration_ms, 3)}
                   for n, r in enumerate(report.results, start=1)]
        run_id = int(ledger.call(
            conn, "sqlmig_record_check_run", report.started_at, round(report.duration_ms, 3),
            report.env, report.jobs, s.checks, s.passed, s.warned, s.failed, s.errored,
            os_user(), Jsonb(results)))
    return report.with_(run_id=run_id)


def history(url: str, schema: str, *, limit: int = 10) -> list[RecordedRun]:
    """The newest ``limit`` runs, newest first; empty when nothing was recorded."""
    ledger = Ledger(schema)
    with connect(url) as conn:
        if not _has_tables(conn, ledger):
            return []
        runs = conn.execute(
            _sql("SELECT id, started_at, env, duration_ms, checks, passed, warned, failed,"
                 " errored FROM {runs} ORDER BY id DESC LIMIT %s", ledger),
            (limit + 1,),  # one more: the run the oldest shown one is compared with
        ).fetchall()
        rows = conn.execute(
            _sql("SELECT run_id, check_name, name, status FROM {results}"
                 " WHERE run_id = ANY(%s) ORDER BY run_id, ordinal", ledger),
            ([r[0] for r in runs],),
        ).fetchall()
    by_run: dict[int, dict[tuple[str, str], str]] = {r[0]: {} for r in runs}
    for run_id, check, name, status in rows:
        by_run[run_id][(check, name)] = status
    out = []
    for i, (run_id, started_at, env, ms, checks, p, w, f, e) in enumerate(runs[:limit]):
        previous = runs[i + 1][0] if i + 1 < len(runs) else None
        failing, fixed = _changes(by_run[run_id], by_run.get(previous, {}) if previous else {})
        out.append(RecordedRun(
            id=run_id, started_at=started_at, env=env, duration_ms=float(ms),
            summary=CheckSummary(p, w, f, e, checks), previous_run=previous,
            newly_failing=failing, newly_fixed=fixed,
        ))
    return out


def _changes(now: dict[tuple[str, str], str], before: dict[tuple[str, str], str]
             ) -> tuple[list[ResultChange], list[ResultChange]]:
    failing = [
        ResultChange(check, name, status, before.get((check, name), "PASS"))
        for (check, name), status in sorted(now.items())
        if status in FAILING and before.get((check, name)) not in FAILING
    ]
    # A check that was not run this time (--only, --tag) fixed nothing.
    ran = {check for check, _ in now}
    fixed = [
        ResultChange(check, name, now.get((check, name), "PASS"), status)
        for (check, name), status in sorted(before.items())
        if status in FAILING and check in ran and now.get((check, name)) not in FAILING
    ]
    return failing, fixed


def _has_tables(conn: psycopg.Connection, ledger: Ledger) -> bool:
    row = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL",
        (f'"{ledger.schema}"."{RUNS}"', f'"{ledger.schema}"."{RESULTS}"'),
    ).fetchone()
    return bool(row and row[0])


def _sql(text: str, ledger: Ledger) -> Any:
    from psycopg import sql

    return sql.SQL(text).format(runs=ledger.ident(RUNS), results=ledger.ident(RESULTS))


# -- JSON ------------------------------------------------------------------------------------


def history_json(runs: list[RecordedRun]) -> str:
    from ..core.results import dumps

    return dumps({"version": 1, "runs": runs})
