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
    """Ask for approval of the current plan (recorded with its hash and risks)."""
    from .. import api
    from .render import as_json as to_json, governance as show

    req = api.request(project, env, database_url, reason=reason, to=to, rollback=rollback_,
                      steps=steps)
    click.echo(to_json(req) if as_json else show.request(req))


@command()
@common(json_output=True)
@click.argument("request_id", type=int)
@click.option("--comment", metavar="TEXT", help="Recorded with the approval.")
def approve(env: str, database_url: str | None, project: str | None, as_json: bool,
            request_id: int, comment: str | None) -> None:
    """Approve a request as yourself: a different database user than the requester."""
    from .. import api
    from .render import as_json as to_json, governance as show

    req = api.approve(request_id, project, env, database_url, comment=comment)
    click.echo(to_json(req) if as_json else show.request(req))


@command()
@common(json_output=True)
@click.argument("request_id", type=int)
@click.option("--comment", metavar="TEXT", help="Why: recorded with the rejection.")
def reject(env: str, database_url: str | None, project: str | None, as_json: bool,
           request_id: int, comment: str | None) -> None:
    """Reject a pending or approved request."""
    from .. import api
    from .render import as_json as to_json, governance as show

    req = api.reject(request_id, project, env, database_url, comment=comment)
    click.echo(to_json(req) if as_json else show.request(req))


@command()
@common(json_output=True)
@click.option("--state", type=click.Choice(["pending", "approved", "expired", "used", "rejected"]),
              help="Only requests in this state.")
def approvals(env: str, database_url: str | None, project: str | None, as_json: bool,
              state: str | None) -> None:
    """List approval requests and their state, newest first."""
    from .. import api
    from .render import as_json as to_json, governance as show

    rows = api.approvals(project, env, database_url, state=state)
    click.echo(to_json(rows) if as_json else show.requests(rows))


@command()
@common(json_output=True)
@click.option("--since", metavar="WHEN", help="ISO date/time (2026-03-01, 2026-03-01T02:00Z) "
              "or an age (90min, 12h, 7d).")
@click.option("--action", type=click.Choice(["apply", "approve", "backup", "override", "reject",
                                             "request", "resolve", "restore", "rollback"]))
@click.option("--outcome", type=click.Choice(["ok", "failed", "refused"]))
@click.option("--user", metavar="NAME", help="Database or OS user.")
@click.option("--limit", type=int, default=None, help="Show at most this many entries.")
def audit(env: str, database_url: str | None, project: str | None, as_json: bool,
          since: str | None, action: str | None, outcome: str | None, user: str | None,
          limit: int | None) -> None:
    """The append-only audit log, newest first."""
    from .. import api
    from ..core.audit import parse_since
    from .render import as_json as to_json, governance as show

    rows = api.audit_log(project, env, database_url, since=parse_since(since), action=action,
                         outcome=outcome, user=user, limit=limit)
    click.echo(to_json(rows) if as_json else show.audit(rows))


COMMANDS = (request, approve, reject, approvals, audit)
