"""``sqlmig check`` as text: a block per check file, a line per result, the
summary; the report in the chosen --format; and the recorded runs (--history).
The JSON and JUnit documents themselves are the library's
(:mod:`sqlmig.checks.report`): they are versioned interfaces."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ...checks.records import RecordedRun
    from ...checks.report import CheckReport, OnFailResult

_COLORS = {"PASS": "green", "WARN": "yellow", "FAIL": "red", "ERROR": "magenta"}


def color() -> bool:
    """Colour unless NO_COLOR is set; click.echo strips it where it does not
    belong (:mod:`.style`)."""
    from .style import paint

    return paint()


def document(result: CheckReport, fmt: str, *, strict: bool = False,
             color: bool = False) -> str:
    """The whole report in ``fmt``: human, json or junit."""
    from ...checks.report import to_json, to_junit

    if fmt == "json":
        return to_json(result, strict=strict)
    if fmt == "junit":
        return to_junit(result, strict=strict)
    return report(result, color=color, strict=strict)


def report(result: CheckReport, *, color: bool = False, strict: bool = False) -> str:
    """One block per check file, one line per result, then the summary line."""

    def paint(text: str, **style: Any) -> str:
        return click.style(text, **style) if color else text

    def badge(status: str) -> str:
        return paint(f"{status:<5}", fg=_COLORS[status], bold=status != "PASS")

    out: list[str] = []
    for c in result.checks:
        head = f"{c.check}  ({c.file}, {_ms(c.duration_ms)})"
        out.append(paint(head, bold=True))
        for r in c.results:
            detail = f"  {_redact(r.detail)}" if r.detail else ""  # text from the database
            out.append(f"  {badge(r.status)} {r.name}{detail}")
            if r.extra:
                extras = "  ".join(f"{k}={_short(v)}" for k, v in r.extra.items())
                out.append(paint(f"        {extras}", dim=True))
    out.append(summary(result, color=color, strict=strict))
    out += _trailer(result, color)
    return "\n".join(out)


def written(result: CheckReport, output: str, *, color: bool = False,
            strict: bool = False) -> str:
    """What is printed when the report went to the file ``output``."""
    return "\n".join([summary(result, color=color, strict=strict),
                      f"report written to {output}", *_trailer(result, color)])


def summary(result: CheckReport, *, color: bool = False, strict: bool = False) -> str:
    text = result.summary.text(result.duration_ms / 1000)
    if not color:
        return text
    fg = "green" if result.ok(strict) else "red"
    return click.style(text, fg=fg, bold=True)


def on_fail(ran: OnFailResult, *, color: bool = False) -> str:
    if ran.ok:
        return f"--on-fail: ran `{ran.command}` (exit 0)"
    text = f"--on-fail: `{ran.command}` failed: {ran.error}"
    if ran.stderr.strip():
        text += "\n  " + "\n  ".join(ran.stderr.strip().splitlines()[-5:])
    return click.style(text, fg="red") if color else text


def history(runs: list[RecordedRun], *, color: bool = False) -> str:
    """The recorded runs, newest first, with what each changed."""
    from .text import plural, table, timestamp

    if not runs:
        return "no recorded check runs (run `sqlmig check --record` to record one)"
    rows = []
    for run in runs:
        changed = [f"{len(run.newly_failing)} newly failing"] if run.newly_failing else []
        changed += [f"{len(run.newly_fixed)} newly fixed"] if run.newly_fixed else []
        if not changed:
            changed = ["-" if run.previous_run is None else
                       f"no change since run {run.previous_run}"]
        rows.append([str(run.id), timestamp(run.started_at), run.env,
                     run.summary.text(run.duration_ms / 1000), ", ".join(changed)])
    out = table(["Run", "Started at", "Env", "Summary", "Changes"], rows, right=(0,))
    if color:
        out[0] = click.style(out[0], bold=True)
    for run in runs:
        for label, changes, fg in (("newly failing", run.newly_failing, "red"),
                                   ("newly fixed", run.newly_fixed, "green")):
            for c in changes:
                line = f"run {run.id}: {label}: {c.check}: {c.name} ({c.was} -> {c.status})"
                out.append(click.style(line, fg=fg) if color else line)
    out.append(plural(len(runs), "recorded run"))
    return "\n".join(out)


def _trailer(result: CheckReport, color: bool) -> list[str]:
    lines = []
    if result.run_id is not None:
        lines.append(f"recorded as run {result.run_id}")
    if result.on_fail is not None:
        lines.append(on_fail(result.on_fail, color=color))
    return lines


def _redact(text: str) -> str:
    from ...core.connection import redact

    return redact(text)


def _ms(ms: float) -> str:
    return f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."
