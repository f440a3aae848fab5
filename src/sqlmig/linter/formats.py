"""A LintReport's machine forms: JSON, SARIF 2.1.0 (code-scanning UIs) and
GitHub Actions workflow commands (the text for people is the CLI's:
:mod:`sqlmig.cli.render.lint`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .report import Finding, LintReport
from .rules import ERROR, NOTE, RULES, WARNING

FORMATS = ("human", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: LintReport) -> str:
    text = (f"{_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')}, "
            f"{_plural(report.notes, 'note')} in {_plural(len(report.files), 'file')}")
    if report.changed_since is not None:
        text += f" changed since {report.changed_since}"
    if report.suppressed:
        text += f" ({len(report.suppressed)} suppressed)"
    return text


def as_json(report: LintReport) -> str:
    from ..core.results import dumps

    return dumps({
        "changed_since": report.changed_since,
        "env": report.env,
        "files": report.files,
        "findings": report.findings,
        "suppressed": report.suppressed,
        "summary": {"errors": report.errors, "warnings": report.warnings, "notes": report.notes,
                    "suppressed": len(report.suppressed)},
    })


def sarif(report: LintReport) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one run, every rule in tool.driver.rules, one result
    per finding (suppressed ones carry an inSource suppression)."""
    from ..version import __version__

    ids = sorted(RULES)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    rules = [{
        "id": r.id,
        "name": r.id,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.explanation},
        "help": {"text": r.explanation},
        "defaultConfiguration": {"level": r.severity},
        "properties": {"category": r.category},
    } for r in (RULES[i] for i in ids)]

    def result(f: Finding) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": f.severity,
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": Path(f.path).as_posix(), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": f.line, "startColumn": f.column},
            }}],
        }
        if f.suppressed is not None:
            out["suppressions"] = [{"kind": "inSource", "justification": f.suppressed}]
        return out

    run: dict[str, Any] = {
        "tool": {"driver": {"name": "sqlmig-lint", "version": __version__,
                            "informationUri": "https://github.com/sqlmig/sqlmig", "rules": rules}},
        "results": [result(f) for f in report.findings + report.suppressed],
    }
    if report.root is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": report.root.as_uri() + "/"}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def github(report: LintReport) -> str:
    """``::error file=...,line=...,col=...,title=...::message`` lines; paths are
    made relative to the working directory (the checkout, in Actions)."""
    level = {ERROR: "error", WARNING: "warning", NOTE: "notice"}
    out = []
    for f in report.findings:
        path = f.path
        if report.root is not None:
            path = os.path.relpath(report.root / f.path)
        props = ",".join([f"file={_prop(Path(path).as_posix())}", f"line={f.line}",
                          f"col={f.column}", f"title={_prop('sqlmig ' + f.rule)}"])
        out.append(f"::{level[f.severity]} {props}::{_data(f.message)}")
    out.append(summary(report))
    return "\n".join(out)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
