"""``--format prometheus``: the Prometheus text exposition format (version
0.0.4), for node_exporter's textfile collector (docs/operations.md).

Names follow the OpenMetrics conventions: the ``sqlmig_`` prefix, base units
in the name (``_seconds``), ``_timestamp_seconds`` for Unix times, one HELP
and one TYPE line per family.  Every value is a gauge — a state read at one
moment (a check's verdict, the pending count) that can go down as well as up —
so no name ends in ``_total``.  Label values are escaped as the format says
(backslash, double quote, line feed); families come in a fixed order and their
samples sorted, so two runs that found the same give the same text apart from
the times.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...checks.report import CheckReport
    from ...core.planner import Status
    from ...fleet.report import FleetStatus
    from ...schema.drift import DriftReport

Labels = tuple[tuple[str, str], ...]
Sample = tuple[Labels, float]


def check(report: CheckReport, *, strict: bool = False) -> str:
    """The metrics of one ``sqlmig check`` run."""
    from ...checks.report import STATUSES

    env = (("env", report.env),)
    finished = report.started_at.timestamp() + report.duration_ms / 1000
    rows = Counter((r.check, r.name, r.status) for r in report.results)
    counts = Counter(r.status for r in report.results)
    return _document([
        _family("sqlmig_check_result",
                "Result rows of each check by name and status (1; more when a check "
                "returned several rows with the same name and status).",
                [((*env, ("check", c), ("name", n), ("status", s)), float(k))
                 for (c, n, s), k in rows.items()]),
        _family("sqlmig_check_results",
                "Result rows of the run by status.",
                [((*env, ("status", s)), float(counts[s])) for s in STATUSES]),
        _family("sqlmig_check_status",
                "1 for each check's worst status (PASS, WARN, FAIL, ERROR).",
                [((*env, ("check", c.check), ("status", c.status)), 1.0)
                 for c in report.checks]),
        _family("sqlmig_check_duration_seconds", "How long each check ran.",
                [((*env, ("check", c.check)), c.duration_ms / 1000) for c in report.checks]),
        _family("sqlmig_check_run_duration_seconds", "How long the whole check run took.",
                [(env, report.duration_ms / 1000)]),
        _family("sqlmig_check_ok",
                "1 when no result is FAIL or ERROR (with --strict: or WARN), else 0.",
                [(env, 1.0 if report.ok(strict) else 0.0)]),
        _family("sqlmig_check_last_success_timestamp_seconds",
                "When the last check run that produced a report finished (a run that "
                "cannot connect writes no metrics, so this grows old).",
                [(env, finished)]),
    ])


def status(st: Status, env: str, now: float) -> str:
    """The metrics of ``sqlmig status`` on one database, read at ``now``."""
    labels = (("env", env),)
    version = st.current_version
    kinds = Counter(p.kind for p in st.problems)
    return _document([
        _family("sqlmig_schema_version",
                "The newest applied migration version (0: none applied).",
                [(labels, float(version or 0))]),
        _family("sqlmig_migrations_applied", "Migrations applied (or imported).",
                [(labels, float(sum(1 for r in st.applied if r.done)))]),
        _family("sqlmig_migrations_pending", "Migrations not applied yet.",
                [(labels, float(len(st.pending)))]),
        _family("sqlmig_migrations_failed",
                "Failed no-transaction migrations waiting for `sqlmig resolve`.",
                [(labels, float(sum(1 for r in st.applied if r.status == "failed")))]),
        _family("sqlmig_status_problems",
                "Problems `sqlmig status` reports, by kind (checksum-drift, failed, ...).",
                [((*labels, ("kind", k)), float(n)) for k, n in kinds.items()]),
        _family("sqlmig_status_ok", "1 when `sqlmig status` found no problem, else 0.",
                [(labels, 1.0 if st.ok else 0.0)]),
        _family("sqlmig_status_last_success_timestamp_seconds",
                "When the status was last read (a status that cannot connect writes no "
                "metrics, so this grows old).",
                [(labels, now)]),
    ])


def fleet_status(st: FleetStatus, now: float) -> str:
    """The metrics of ``sqlmig status`` on a fleet: one ``target`` label each."""
    def per(values: Iterable[tuple[str, float]]) -> list[Sample]:
        return [((("env", st.env), ("target", t)), v) for t, v in values]

    readable = [t for t in st.targets if t.state != "error"]
    return _document([
        _family("sqlmig_target_up", "1 when the target's status could be read, else 0.",
                per((t.target, 0.0 if t.state == "error" else 1.0) for t in st.targets)),
        _family("sqlmig_schema_version",
                "The newest applied migration version (0: none applied).",
                per((t.target, float(t.version or 0)) for t in readable)),
        _family("sqlmig_migrations_applied", "Migrations applied (or imported).",
                per((t.target, float(t.applied)) for t in readable)),
        _family("sqlmig_migrations_pending", "Migrations not applied yet.",
                per((t.target, float(len(t.pending))) for t in readable)),
        _family("sqlmig_target_state",
                "1 for each target's state (current, behind, failed, drifted, problem, "
                "error).",
                [((("env", st.env), ("target", t.target), ("state", t.state)), 1.0)
                 for t in st.targets]),
        _family("sqlmig_status_last_success_timestamp_seconds",
                "When the status was last read.", [((("env", st.env),), now)]),
    ])


def drift(report: DriftReport, now: float) -> str:
    """The metrics of one ``sqlmig drift`` run, finished at ``now``."""
    labels = (("env", report.env),)
    return _document([
        _family("sqlmig_drift_detected",
                "1 when the schema differs from what its applied migrations produce, else 0.",
                [(labels, 1.0 if report.drifted else 0.0)]),
        _family("sqlmig_drift_differences",
                "Differences `sqlmig drift` found (objects added, removed or changed, and "
                "column order).",
                [(labels, float(len(report.differences) + len(report.order)))]),
        _family("sqlmig_drift_check_timestamp_seconds",
                "When the drift check finished (a check that cannot connect or replay writes "
                "no metrics, so this grows old).",
                [(labels, now)]),
    ])


# -- the text format -----------------------------------------------------------------------


def _family(name: str, help_text: str, samples: Sequence[Sample]) -> list[str]:
    lines = [f"# HELP {name} {_escape_help(help_text)}", f"# TYPE {name} gauge"]
    for labels, value in sorted(samples):
        inner = ",".join(f'{k}="{_escape_label(v)}"' for k, v in labels)
        lines.append(f"{name}{{{inner}}} {_number(value)}" if inner
                     else f"{name} {_number(value)}")
    return lines


def _document(families: list[list[str]]) -> str:
    return "\n".join(line for family in families for line in family)


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(value)
