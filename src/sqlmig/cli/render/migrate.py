"""Migrations on one database: new, status, plan, apply, rollback, history,
resolve and the embedded server, as text (and the JSON results of status and plan)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from .text import plural, table, timestamp

if TYPE_CHECKING:
    from ...adapters.embedded import ServerInfo, Started
    from ...core.ledger import HistoryEntry
    from ...core.planner import Plan, Status
    from .progress import Ticker
    from ...core.results import (
        ApplyResult,
        NewMigration,
        NewRepeatable,
        ProgressEvent,
        ResolveResult,
        RollbackResult,
    )


class Progress:
    """Prints ``[3/40] 0003_create_questions ... ok 12 ms`` as a run goes on."""

    def __init__(self, verbose: bool = False) -> None:
        self.verbose = verbose
        self.statements_shown = False
        self.ticker: Ticker | None = None  # a file's elapsed seconds, on a terminal

    def __call__(self, event: ProgressEvent) -> None:
        from .progress import Ticker

        if self.ticker is not None:
            self.ticker.stop()
            self.ticker = None
        width = len(str(event.total))
        if event.kind == "start":
            arrow = "" if event.direction == "up" else "rollback "
            click.echo(f"[{event.index:>{width}}/{event.total}] {arrow}{event.name} ... ", nl=False)
            sys.stdout.flush()
            self.statements_shown = False
            self.ticker = Ticker(sys.stdout).start()
        elif event.kind in ("done", "failed"):
            lead = "    " if self.statements_shown else ""
            if event.kind == "done":
                click.echo(lead + click.style("ok", fg="green") + f" {event.execution_ms} ms")
            else:
                click.echo(lead + click.style("FAILED", fg="red", bold=True))
        elif event.kind == "retry":
            click.echo(
                click.style("lock not obtained", fg="yellow")
                + f", retry {event.index}/{event.total} in {event.extra.get('delay_s')} s ... ",
                nl=False,
            )
        elif event.kind == "statement" and self.verbose:
            if not self.statements_shown:
                click.echo()
                self.statements_shown = True
            first = " ".join((event.text or "").split())[:70]
            click.echo(f"    statement {event.statement}/{event.statements} "
                       f"{event.execution_ms} ms  {first}")


def _redact(text: str) -> str:
    """Migration text can carry a connection string with a password."""
    from ...core.connection import redact

    return redact(text)


def _version(v: int | None) -> str:
    return "none" if v is None else str(v)


def apply(result: ApplyResult) -> str:
    if result.dry_run:
        if not result.planned and not result.planned_repeatables:
            return "dry run: nothing to apply"
        lines = []
        if result.planned:
            lines.append(f"dry run: would apply {plural(len(result.planned), 'migration')}:")
            lines += [f"  {name}" for name in result.planned]
        if result.planned_repeatables:
            lines.append(f"dry run: then would run "
                         f"{plural(len(result.planned_repeatables), 'repeatable')}:"
                         if result.planned else
                         f"dry run: would run {plural(len(result.planned_repeatables), 'repeatable')}:")
            lines += [f"  {path}" for path in result.planned_repeatables]
        return "\n".join(lines)
    ran = ""
    if result.repeatables:
        ran = (f"; ran {plural(len(result.repeatables), 'repeatable')}: "
               + ", ".join(f"{r.name} ({r.execution_ms} ms)" for r in result.repeatables))
    if not result.applied:
        return f"nothing to apply (at version {_version(result.from_version)}){ran}"
    total = sum(m.execution_ms for m in result.applied)
    return (
        f"applied {plural(len(result.applied), 'migration')}: version "
        f"{_version(result.from_version)} -> {_version(result.to_version)} "
        f"({total} ms in migrations, {result.duration_ms} ms in all){ran}"
    )


def rollback(result: RollbackResult) -> str:
    if result.dry_run:
        head = (f"dry run: would roll back from {_version(result.from_version)} to "
                f"{_version(result.to_version)}")
        return "\n".join([head + (":" if result.planned else ""),
                          *(f"  {path}" for path in result.planned)])
    if not result.rolled_back:
        return "nothing to roll back"
    return (
        f"rolled back {plural(len(result.rolled_back), 'migration')}: version "
        f"{_version(result.from_version)} -> {_version(result.to_version)}"
    )


def _commit(sha: str | None) -> str:
    if not sha:
        return "-"
    return sha[:7] + "-dirty" if sha.endswith("-dirty") else sha[:12]


def status(st: Status) -> str:
    """Every migration in one table (applied, then pending), a count line, and
    the current version or the problems."""
    lines: list[str] = []
    if not st.ledger_exists:
        lines.append("ledger: not created yet (no migration applied)")
    if not st.applied and not st.pending:
        lines.append('no migrations yet; add one with `sqlmig new "describe it"`')
    else:
        rows = [[str(r.version), r.name, timestamp(r.applied_at),
                 r.applied_by + (f" ({r.os_user})" if r.os_user else ""),
                 _commit(r.git_commit), f"{r.execution_ms} ms",
                 r.status if r.status != "failed" else click.style("FAILED", fg="red",
                                                                   bold=True)]
                for r in st.applied]
        rows += [[str(m.version), m.name, "-", "-", "-", "-", "pending"] for m in st.pending]
        lines += table(["Version", "Name", "Applied at", "By", "Commit", "Time", "State"], rows,
                       right=(0, 5))
        lines.append(f"{len(st.applied)} applied, {len(st.pending)} pending")
    if st.tags:  # release tags (sqlmig tag)
        lines.append("tags: " + ", ".join(f"{t.name} = {t.version}" for t in st.tags))
    lines += _repeatables(st)
    if st.problems:
        lines.append(click.style(f"{plural(len(st.problems), 'problem')}:", fg="red", bold=True))
        lines += [f"  - [{p.kind}] {p.message}" for p in st.problems]
    else:
        lines.append(f"current version: {_version(st.current_version)}; no problems")
    return "\n".join(lines)


def _repeatables(st: Status) -> list[str]:
    """The repeatables' table and count line (nothing when the project has none)."""
    if not st.repeatables:
        return []
    rows = [[s.file or f"repeatable/{s.name}.sql (gone)",
             timestamp(s.applied.applied_at) if s.applied else "-",
             (s.applied.applied_by + (f" ({s.applied.os_user})" if s.applied.os_user else ""))
             if s.applied else "-",
             f"{s.applied.execution_ms} ms" if s.applied else "-",
             s.state if not s.pending else click.style(s.state, fg="yellow")]
            for s in st.repeatables]
    pending = sum(1 for s in st.repeatables if s.pending)
    return [*table(["Repeatable", "Applied at", "By", "Time", "State"], rows, right=(3,)),
            f"{plural(len(st.repeatables), 'repeatable')}, {pending} to run (new or changed)"]


def status_data(st: Status) -> dict[str, Any]:
    """``status --json``'s result."""
    return {
        "current_version": st.current_version,
        "ledger_exists": st.ledger_exists,
        "applied": st.applied,
        "pending": [{"version": m.version, "name": m.name, "checksum": m.up.checksum}
                    for m in st.pending],
        "problems": st.problems,
        "cosmetic": st.cosmetic,
        "tags": st.tags,
        "repeatables": [{"name": s.name, "file": s.file, "checksum": s.checksum,
                         "state": s.state, "applied": s.applied} for s in st.repeatables],
    }


def plan(p: Plan) -> str:
    if not p.steps and not p.repeatables:
        return f"nothing to apply (at version {_version(p.current_version)})"
    if not p.steps:
        return "\n".join(
            [f"nothing to apply (at version {_version(p.current_version)}); "
             f"{plural(len(p.repeatables), 'repeatable')} to run:", *_repeatable_sql(p)])
    out = [f"{plural(len(p.steps), 'migration')} to apply: {_version(p.current_version)} -> "
           f"{_version(p.target_version)}"]
    for step in p.steps:
        mode = "" if step.file.transactional else "  [no-transaction]"
        out.append("")
        out.append(click.style(f"-- {step.file.relpath}{mode}", bold=True))
        out.append(_redact(step.file.text.rstrip()))
    if p.repeatables:
        out.append("")
        out.append(f"then {plural(len(p.repeatables), 'repeatable')} to run:")
        out += _repeatable_sql(p)
    if p.findings:
        out.append("")
        out.append(click.style(f"{plural(len(p.findings), 'lint finding')}:", bold=True))
        out += [f"  {f.path}:{f.line}:{f.column}: {f.severity} [{f.rule}] {f.message}"
                for f in p.findings]
    elif p.steps:
        out.append("")
        out.append("lint: no findings")
    out += _preflight(p.preflight)
    return "\n".join(out)


def _preflight(pre: Any) -> list[str]:
    """The preflight's part of ``plan``: the sessions its locks would wait behind."""
    if pre is None or not pre.ran:
        return []
    if not pre.blockers:
        return ["", f"preflight ({pre.mode}): nothing holds the {len(pre.locks)} strong "
                    "lock(s) this plan takes"]
    head = click.style(f"preflight ({pre.mode}): {plural(len(pre.blockers), 'blocker')}:",
                       bold=True)
    return ["", head, *(f"  {b.describe()}" for b in pre.blockers)]


def _repeatable_sql(p: Plan) -> list[str]:
    out = []
    for step in p.repeatables:
        out.append("")
        out.append(click.style(f"-- {step.file.relpath}  [repeatable]", bold=True))
        out.append(_redact(step.file.text.rstrip()))
    return out


def plan_data(p: Plan) -> dict[str, Any]:
    """``plan --json``'s result."""
    return {
        "direction": p.direction,
        "current_version": p.current_version,
        "target_version": p.target_version,
        "findings": list(p.findings),
        "preflight": p.preflight,
        "steps": [
            {"version": s.version, "name": s.name, "file": s.file.relpath,
             "checksum": s.file.checksum, "transactional": s.file.transactional,
             "sql": _redact(s.file.text)}
            for s in p.steps
        ],
        "repeatables": [
            {"name": s.file.path.stem, "file": s.file.relpath, "checksum": s.file.checksum,
             "sql": _redact(s.file.text)}
            for s in p.repeatables
        ],
    }


def history(entries: list[HistoryEntry]) -> str:
    """The ledger's events, newest first, as a table."""
    if not entries:
        return "no history"
    rows = [[timestamp(e.at), e.detail if e.action == "tag" and e.detail else e.action,
             str(e.version), e.name,
             e.db_user + (f" ({e.os_user})" if e.os_user else ""),
             f"{e.execution_ms} ms" if e.execution_ms is not None else "-"]
            for e in entries]
    return "\n".join([*table(["At", "Action", "Version", "Name", "By", "Time"], rows,
                             right=(2, 5)), plural(len(entries), "event")])


def resolve(result: ResolveResult) -> str:
    return f"{result.name}: recorded as {result.outcome}"


def new(created: NewMigration) -> str:
    return "\n".join([f"created {created.migration}", f"created {created.rollback}",
                      f"updated {created.manifest}",
                      "next: write the SQL in both files, run `sqlmig manifest` (apply refuses "
                      "files that no longer match the manifest; an auto_apply environment "
                      "like dev updates it for migrations it has not applied), then "
                      "`sqlmig apply`"])


def new_repeatable(created: NewRepeatable) -> str:
    return "\n".join([f"created {created.repeatable}", f"updated {created.manifest}",
                      "next: write the SQL (it runs again whenever the file changes: make it "
                      "re-runnable, e.g. CREATE OR REPLACE), run `sqlmig manifest`, then "
                      "`sqlmig apply`"])


def server(info: ServerInfo) -> str:
    """``sqlmig server status``: the URL as ``server start`` prints it."""
    if info.running:
        return f"running: {info.url()}\n  pid {info.pid}, data {info.data_dir}"
    return f"not running (data directory {info.data_dir})"


def server_started(result: Started) -> str:
    """The one line saying a command started the server, which keeps running."""
    from ...adapters.embedded import started_message

    return started_message(result)
