"""CLI commands of the production-safety workflow: approvals (``request``,
``approve``, ``reject``, ``approvals``), the ``audit`` log, ``backup`` and ``restore``."""

from __future__ import annotations

import click

from .main import change_options, cli, common

# -- approvals and audit (docs/environments.md) ------------------------------------------


@cli.command()
@common(json_output=True)
@click.option("--reason", metavar="TEXT", help="Why this change: shown to the approver.")
@click.option("--to", "to", type=int, metavar="VERSION", help="Request apply up to this version.")
@click.option("--rollback", "rollback_", is_flag=True, help="Request a rollback instead of an apply.")
@click.option("--steps", type=int, default=None, help="With --rollback: how many migrations.")
def request(env: str, database_url: str | None, project: str | None, as_json: bool,
            reason: str | None, to: int | None, rollback_: bool, steps: int | None) -> None:
    """Ask for approval of the current plan (recorded with its hash and risks)."""
    from .. import api
    from .render import migrate as output
    from ..governance.approval import render_request

    req = api.request(project, env, database_url, reason=reason, to=to, rollback=rollback_,
                      steps=steps)
    click.echo(output.as_json(req) if as_json else render_request(req))


@cli.command()
@common(json_output=True)
@click.argument("request_id", type=int)
@click.option("--comment", metavar="TEXT", help="Recorded with the approval.")
def approve(env: str, database_url: str | None, project: str | None, as_json: bool,
            request_id: int, comment: str | None) -> None:
    """Approve a request as yourself: a different database user than the requester."""
    from .. import api
    from .render import migrate as output
    from ..governance.approval import render_request

    req = api.approve(request_id, project, env, database_url, comment=comment)
    click.echo(output.as_json(req) if as_json else render_request(req))


@cli.command()
@common(json_output=True)
@click.argument("request_id", type=int)
@click.option("--comment", metavar="TEXT", help="Why: recorded with the rejection.")
def reject(env: str, database_url: str | None, project: str | None, as_json: bool,
           request_id: int, comment: str | None) -> None:
    """Reject a pending or approved request."""
    from .. import api
    from .render import migrate as output
    from ..governance.approval import render_request

    req = api.reject(request_id, project, env, database_url, comment=comment)
    click.echo(output.as_json(req) if as_json else render_request(req))


@cli.command()
@common(json_output=True)
@click.option("--state", type=click.Choice(["pending", "approved", "expired", "used", "rejected"]),
              help="Only requests in this state.")
def approvals(env: str, database_url: str | None, project: str | None, as_json: bool,
              state: str | None) -> None:
    """List approval requests and their state, newest first."""
    from .. import api
    from .render import migrate as output
    from ..governance.approval import render_list

    rows = api.approvals(project, env, database_url, state=state)
    click.echo(output.as_json(rows) if as_json else render_list(rows))


@cli.command()
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
    from ..governance.audit import parse_since, render_json, render_text

    rows = api.audit_log(project, env, database_url, since=parse_since(since), action=action,
                     outcome=outcome, user=user, limit=limit)
    click.echo(render_json(rows) if as_json else render_text(rows))



# -- backups (docs/backups.md) -----------------------------------------------------------


@cli.command()
@common(json_output=True)
@click.option("--verify", type=click.Choice(["list", "restore"]), default="list", show_default=True,
              help="list: checksum and pg_restore --list; restore: also restore into a scratch "
                   "database and compare row counts and schema.")
def backup(env: str, database_url: str | None, project: str | None, as_json: bool,
           verify: str) -> None:
    """Make and verify a pg_dump -Fc backup of the environment's database."""
    from .. import api
    from .render import migrate as output
    from ..backup.dump import render_backup

    result = api.create_backup(project, env, database_url, verify=verify)
    click.echo(output.as_json(result) if as_json else render_backup(result))


@cli.command()
@common(json_output=True)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--into", metavar="NEW_DB", help="Restore into this new database instead (safe).")
@change_options
def restore(env: str, database_url: str | None, project: str | None, as_json: bool, file: str,
            into: str | None, yes: bool, emergency: bool, reason: str | None) -> None:
    """Restore a backup (checksum verified first) in place, or --into a new database."""
    from .. import api
    from .render import migrate as output
    from ..governance.policy import announce, ask
    from ..backup.restore import render_restore

    announce(env, emergency, reason)
    result = api.restore_backup(file, project, env, database_url, into=into, yes=yes,
                                confirm=ask, emergency=emergency, reason=reason)
    click.echo(output.as_json(result) if as_json else render_restore(result))
