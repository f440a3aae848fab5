"""Approvals and the audit log: ``request``, ``approve``, ``reject``,
``approvals`` and ``audit`` (docs/environments.md)."""

from __future__ import annotations

import click

from .options import command, common


@command()
@common(json_output=True)
@click.option("--reason", metavar="TEXT", help="Why this change: shown to the approver.")
@click.option("--to", "to", type=int, metavar="VERSION", help="Request apply up to this version.")
@click.option("--rollback", "rollback_", is_flag=True, help="Request a rollback instead of an apply.")
@click.option("--steps", type=int, default=None, help="With --rollback: how many migrations.")
def request(env: str, database_url: str | None, project: str | None, as_json: bool,
            reason: str | None, to: int | None, rollback_: bool, steps: int | None) -> None:
    """Ask for approval of the current plan (recorded with its hash and risks).

    \b
    Examples:
      sqlmig request --env production --reason "release 42"
      sqlmig request --env production --rollback --steps 1
    """
    from .. import api
    from .render import governance as show
    from .render.envelope import emit

    req = api.request(project, env, database_url, reason=reason, to=to, rollback=rollback_,
                      steps=steps)
    emit(req, show.request)


@command()
@common(json_output=True)
@click.argument("request_id", type=int)
@click.option("--comment", metavar="TEXT", help="Recorded with the approval.")
def approve(env: str, database_url: str | None, project: str | None, as_json: bool,
            request_id: int, comment: str | None) -> None:
    """Approve a request as yourself: a different database user than the requester.

    \b
    Examples:
      sqlmig approve 17 --env production
      sqlmig approve 17 --env production --comment "reviewed"
    """
    from .. import api
    from .render import governance as show
    from .render.envelope import emit

    req = api.approve(request_id, project, env, database_url, comment=comment)
    emit(req, show.request)


@command()
@common(json_output=True)
@click.argument("request_id", type=int)
@click.option("--comment", metavar="TEXT", help="Why: recorded with the rejection.")
def reject(env: str, database_url: str | None, project: str | None, as_json: bool,
           request_id: int, comment: str | None) -> None:
    """Reject a pending or approved request.

    \b
    Examples:
      sqlmig reject 17 --env production --comment "needs an index first"
    """
    from .. import api
    from .render import governance as show
    from .render.envelope import emit

    req = api.reject(request_id, project, env, database_url, comment=comment)
    emit(req, show.request)


@command()
@common(json_output=True)
@click.option("--state", type=click.Choice(["pending", "approved", "expired", "used", "rejected"]),
              help="Only requests in this state.")
def approvals(env: str, database_url: str | None, project: str | None, as_json: bool,
              state: str | None) -> None:
    """List approval requests and their state, newest first.

    \b
    Examples:
      sqlmig approvals --env production
      sqlmig approvals --env production --state pending --json
    """
    from .. import api
    from .render import governance as show
    from .render.envelope import emit

    rows = api.approvals(project, env, database_url, state=state)
    emit(rows, show.requests)


@command()
@common(json_output=True)
@click.option("--since", metavar="WHEN", help="ISO date/time (2026-03-01, 2026-03-01T02:00Z) "
              "or an age (90min, 12h, 7d).")
@click.option("--action", type=click.Choice(["access", "apply", "approve", "backup", "baseline",
                                             "bind", "override", "reject", "repair",
                                             "request", "resolve", "restore", "rollback",
                                             "tag"]))
@click.option("--outcome", type=click.Choice(["ok", "failed", "refused", "interrupted"]))
@click.option("--user", metavar="NAME", help="Database or OS user.")
@click.option("--limit", type=int, default=None, help="Show at most this many entries.")
def audit(env: str, database_url: str | None, project: str | None, as_json: bool,
          since: str | None, action: str | None, outcome: str | None, user: str | None,
          limit: int | None) -> None:
    """The append-only audit log, newest first.

    \b
    Examples:
      sqlmig audit --env production --since 7d
      sqlmig audit --env production --action override --json
    """
    from .. import api
    from ..core.audit import parse_since
    from .render import governance as show
    from .render.envelope import emit

    rows = api.audit_log(project, env, database_url, since=parse_since(since), action=action,
                         outcome=outcome, user=user, limit=limit)
    emit(rows, show.audit)


COMMANDS = (request, approve, reject, approvals, audit)
