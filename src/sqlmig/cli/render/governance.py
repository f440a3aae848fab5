"""Governance on the command line: approval requests, the audit log, and the
interactive side of the policies -- the confirmation prompt (auto_apply:
false), the emergency banner and the yes/no question, all on stderr so that
stdout stays the command's result."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .text import plural, table, timestamp

if TYPE_CHECKING:
    from ...core.planner import Plan
    from ...core.session import Confirm
    from ...governance.approval import Request
    from ...core.audit import AuditEntry


def request(req: Request) -> str:
    lines = [
        f"request #{req.id} [{req.state}] {req.env} "
        f"{'apply' if req.direction == 'up' else 'rollback'} plan {req.plan_hash[:12]}",
        f"  requested {timestamp(req.requested_at)} by {req.requested_by}"
        + (f" ({req.requested_os_user})" if req.requested_os_user else "")
        + (f": {req.reason}" if req.reason else ""),
    ]
    if req.decided_by:
        lines.append(f"  {req.state if req.state in ('approved', 'rejected') else 'decided'} "
                     f"{timestamp(req.decided_at)} by {req.decided_by}"
                     + (f": {req.comment}" if req.comment else ""))
    if req.state in ("pending", "approved"):
        lines.append(f"  expires {timestamp(req.expires_at)}")
    for step in req.plan.get("steps", []):
        lines.append(f"  {step['name']}  {step['checksum'][:12]}")
    for risk in req.risk:
        size = ""
        if risk.get("estimated_rows") is not None:
            size = (f" (~{plural(risk['estimated_rows'], 'row')}, "
                    f"{plural(risk['size_bytes'], 'byte')})")
        lines.append(f"  ! {risk['file']}:{risk['line']}: {risk['kind']}: {risk['message']}{size}")
    return "\n".join(lines)


def requests(rows: list[Request]) -> str:
    """The approval requests, newest first, as a table."""
    if not rows:
        return "no approval requests"
    body = [[f"#{r.id}", r.state, "apply" if r.direction == "up" else "rollback",
             ",".join(map(str, r.versions)) or "-", r.plan_hash[:12], r.requested_by,
             r.decided_by or "-", timestamp(r.expires_at)]
            for r in rows]
    return "\n".join([*table(["ID", "State", "Action", "Versions", "Plan", "Requested by",
                              "Decided by", "Expires at"], body),
                      plural(len(rows), "request")])


def audit(rows: list[AuditEntry]) -> str:
    """The audit log, newest first, as a table; the reason, request, backup and
    first line of the detail in its last column."""
    if not rows:
        return "no audit entries"
    body = []
    for e in rows:
        notes = ["EMERGENCY"] if e.emergency else []
        if e.request_id is not None:
            notes.append(f"request #{e.request_id}")
        if e.backup_file:
            notes.append(f"backup {e.backup_file}")
        if e.reason:
            notes.append(f"reason: {e.reason}")
        if e.detail:
            notes.append(e.detail.splitlines()[0])
        body.append([f"#{e.id}", timestamp(e.at), e.env, e.action, e.outcome,
                     e.db_user + (f" ({e.os_user})" if e.os_user else ""),
                     ",".join(str(v) for v in e.versions) or "-",
                     f"{e.duration_ms} ms" if e.duration_ms is not None else "-",
                     "; ".join(notes)])
    return "\n".join([*table(["ID", "At", "Env", "Action", "Outcome", "By", "Versions", "Time",
                              "Notes"], body, right=(7,)),
                      plural(len(rows), "entry")])


def confirmation(env: str) -> Confirm:
    """The confirmation the policy asks for: show the plan on stderr and ask.
    End of input (a non-interactive run without --yes) counts as no."""

    def confirm_plan(plan: Plan) -> bool:
        verb = "apply" if plan.direction == "up" else "roll back"
        what = plural(len(plan.steps), "migration")
        if plan.repeatables:
            what += f" and {plural(len(plan.repeatables), 'repeatable migration')}"
        click.echo(f"{env}: {what} to {verb}:", err=True)
        for step in [*plan.steps, *plan.repeatables]:
            click.echo(f"  {step.file.relpath}  sha256 {step.file.checksum[:12]}", err=True)
        return ask(f"{verb.capitalize()} these on {env}?")

    return confirm_plan


def emergency_banner(env: str, emergency: bool, reason: str | None) -> None:
    """The loud banner of an emergency run (the library logs and audits it too)."""
    if not emergency:
        return
    click.echo(click.style(
        f"EMERGENCY OVERRIDE requested on {env!r}: {reason or '(no reason given)'} -- "
        "the maintenance window is bypassed and this run is recorded in the audit log.",
        fg="red", bold=True), err=True)


def ask(question: str) -> bool:
    """A yes/no question on stderr; end of input counts as no."""
    try:
        return click.confirm(question, default=False, err=True)
    except click.Abort:
        click.echo("\nno answer (end of input): pass --yes in non-interactive runs", err=True)
        return False
