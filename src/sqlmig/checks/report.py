"""What a check run found, and its machine forms: JSON and JUnit XML (the
human text is the CLI's: :mod:`sqlmig.cli.render.checks`).

The JSON form is a stable interface (alerting scripts parse it, ``--on-fail``
gets it on stdin); its schema is documented in docs/checks.md and versioned by
``JSON_VERSION``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

JSON_VERSION = 1
STATUSES = ("PASS", "WARN", "FAIL", "ERROR")
_RANK = {s: i for i, s in enumerate(STATUSES)}
# XML 1.0 cannot carry most control characters, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class CheckResult:
    """One row a check returned (or the single PASS of a check that returned none,
    or the single ERROR of a check that failed to run)."""

    check: str
    file: str
    name: str
    status: str  # PASS | WARN | FAIL | ERROR
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)
    duration_ms: float = 0.0


@dataclass(frozen=True)
class CheckFault:
    """Why a check could not give a verdict."""

    message: str
    sqlstate: str | None = None
    line: int | None = None  # in the check file, when the server gave a position
    column: int | None = None


@dataclass(frozen=True)
class CheckOutcome:
    """One check file's run."""

    check: str
    file: str
    description: str | None
    tags: tuple[str, ...]
    status: str  # the worst status of its results
    duration_ms: float
    results: list[CheckResult]
    error: CheckFault | None = None


@dataclass(frozen=True)
class CheckSummary:
    passed: int
    warned: int
    failed: int
    errored: int
    checks: int

    def text(self, seconds: float) -> str:
        return (f"{self.passed} PASS, {self.warned} WARN, {self.failed} FAIL, "
                f"{self.errored} ERROR in {seconds:.{1 if seconds >= 0.1 else 2}f} s")


@dataclass(frozen=True)
class OnFailResult:
    """What the ``--on-fail`` command did."""

    command: str
    returncode: int | None  # None when it could not be started or timed out
    error: str | None  # why it failed: exit status, timeout, not found...
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class CheckReport:
    """Every check of one run, on one snapshot."""

    checks: list[CheckOutcome]
    started_at: datetime
    duration_ms: float
    env: str
    jobs: int  # connections actually used
    run_id: int | None = None  # set when the run was recorded
    on_fail: OnFailResult | None = None
    role: str | None = None  # the role the checks ran as (SET ROLE), or the login

    @property
    def results(self) -> list[CheckResult]:
        return [r for c in self.checks for r in c.results]

    @property
    def summary(self) -> CheckSummary:
        counts = {s: 0 for s in STATUSES}
        for r in self.results:
            counts[r.status] += 1
        return CheckSummary(counts["PASS"], counts["WARN"], counts["FAIL"], counts["ERROR"],
                            len(self.checks))

    @property
    def failing(self) -> bool:
        """Some result is FAIL or ERROR."""
        s = self.summary
        return bool(s.failed or s.errored)

    def ok(self, strict: bool = False) -> bool:
        """Nothing FAIL or ERROR (with ``strict``, nothing WARN either)."""
        return not self.failing and not (strict and self.summary.warned)

    def with_(self, **changes: Any) -> CheckReport:
        return replace(self, **changes)


def worst(statuses: list[str]) -> str:
    return max(statuses, key=_RANK.__getitem__, default="PASS")


# -- JSON -----------------------------------------------------------------------------


def to_dict(report: CheckReport, *, strict: bool = False) -> dict[str, Any]:
    s = report.summary
    return {
        "version": JSON_VERSION,
        "env": report.env,
        "started_at": report.started_at.isoformat(),
        "duration_ms": round(report.duration_ms, 3),
        "jobs": report.jobs,
        "strict": strict,
        "ok": report.ok(strict),
        "run_id": report.run_id,
        "role": report.role,
        "summary": {"PASS": s.passed, "WARN": s.warned, "FAIL": s.failed, "ERROR": s.errored,
                    "checks": s.checks, "results": len(report.results)},
        "checks": [
            {
                "check": c.check,
                "file": c.file,
                "description": c.description,
                "tags": list(c.tags),
                "status": c.status,
                "duration_ms": round(c.duration_ms, 3),
                "rows": len(c.results),
                "error": None if c.error is None else {
                    "message": c.error.message, "sqlstate": c.error.sqlstate,
                    "line": c.error.line, "column": c.error.column,
                },
            }
            for c in report.checks
        ],
        "results": [
            {"check": r.check, "file": r.file, "name": r.name, "status": r.status,
             "detail": r.detail, "extra": r.extra, "duration_ms": round(r.duration_ms, 3)}
            for r in report.results
        ],
        "on_fail": None if report.on_fail is None else {
            "command": report.on_fail.command, "returncode": report.on_fail.returncode,
            "error": report.on_fail.error,
        },
    }


def to_json(report: CheckReport, *, strict: bool = False) -> str:
    return json.dumps(to_dict(report, strict=strict), indent=2, sort_keys=True,
                      ensure_ascii=False)


# -- JUnit XML ------------------------------------------------------------------------------


def to_junit(report: CheckReport, *, strict: bool = False) -> str:
    """JUnit XML: one <testsuite> per check file, one <testcase> per result.

    FAIL becomes <failure>, ERROR <error>; WARN becomes <failure type="WARN">
    with ``strict`` and a passing test case with the warning in <system-out>
    otherwise, so CI shows exactly what the exit code means.
    """
    import xml.etree.ElementTree as ET

    def clean(text: str) -> str:
        return _XML_INVALID.sub("\ufffd", text)

    root = ET.Element("testsuites", name="sqlmig check")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for c in report.checks:
        suite = ET.SubElement(root, "testsuite", name=clean(c.check), file=c.file,
                              timestamp=report.started_at.isoformat(timespec="seconds"),
                              time=f"{c.duration_ms / 1000:.3f}")
        counts = {"tests": 0, "failures": 0, "errors": 0}
        for r in c.results:
            counts["tests"] += 1
            case = ET.SubElement(suite, "testcase", name=clean(r.name),
                                 classname=clean(f"sqlmig.check.{r.check}"), file=r.file,
                                 time=f"{r.duration_ms / 1000:.3f}")
            body = clean(r.detail + ("\n" + json.dumps(r.extra, sort_keys=True, ensure_ascii=False)
                                     if r.extra else ""))
            if r.status == "ERROR":
                counts["errors"] += 1
                el = ET.SubElement(case, "error", message=clean(r.detail), type="ERROR")
                el.text = body
            elif r.status == "FAIL" or (r.status == "WARN" and strict):
                counts["failures"] += 1
                el = ET.SubElement(case, "failure", message=clean(r.detail), type=r.status)
                el.text = body
            elif r.status == "WARN":
                ET.SubElement(case, "system-out").text = f"WARN: {body}"
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("skipped", "0")
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", f"{report.duration_ms / 1000:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
