"""``sqlmig lint`` as text: findings grouped by file (coloured on a terminal),
the report in the chosen --format, and a rule's explanation (--explain).
JSON, SARIF and GitHub annotations are the library's
(:mod:`sqlmig.linter.formats`)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ...linter import LintReport

_COLORS = {"error": "red", "warning": "yellow", "note": "cyan"}


def color(fmt: str) -> bool:
    """Only the human format is coloured, unless NO_COLOR is set; click.echo
    strips it where it does not belong (:mod:`.style`)."""
    from .style import paint

    return fmt == "human" and paint()


def document(result: LintReport, fmt: str, *, color: bool = False) -> str:
    """The report in ``fmt``: human, json, sarif or github."""
    from ...linter import formats

    if fmt == "json":
        return formats.as_json(result)
    if fmt == "sarif":
        import json

        return json.dumps(formats.sarif(result), indent=2, sort_keys=True)
    if fmt == "github":
        return formats.github(result)
    return report(result, color=color)


def report(result: LintReport, *, color: bool = False) -> str:
    from ...linter.formats import summary

    lines: list[str] = []
    current = None
    for f in result.findings:
        if f.path != current:
            if current is not None:
                lines.append("")
            current = f.path
            lines.append(click.style(f.path, bold=True) if color else f.path)
        sev = f"{f.severity:<7}"
        if color:
            sev = click.style(sev, fg=_COLORS[f.severity])
        lines.append(f"  {f.line}:{f.column}\t{sev}  {f.message}  [{f.rule}]")
    if lines:
        lines.append("")
    lines.append(summary(result) + ("" if result.findings else ": clean"))
    return "\n".join(lines)


def rule(rule_id: str) -> str:
    """A rule's id, category, severity, summary and wrapped explanation."""
    from ...linter import explain

    r = explain(rule_id)
    return (f"{r.id} ({r.category}, default severity {r.severity})\n{r.summary}\n\n"
            + textwrap.fill(r.explanation, 78))
