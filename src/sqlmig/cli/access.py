"""Who may change what, and which environment a database is: ``sqlmig access``
and ``sqlmig environment`` (docs/environments.md)."""

from __future__ import annotations

import click

from .options import common


@click.group()
def access() -> None:
    """Roles for sqlmig's own tables: set up, grant, show.

    \b
    Examples:
      sqlmig access setup --env production --dry-run    # the SQL, for a DBA
      sqlmig access grant alice --as approver --env production
    """


@access.command("setup")
@common(json_output=True)
@click.option("--watch-ddl", is_flag=True,
              help="Also report DDL on sqlmig's tables to the server log (event triggers).")
@click.option("--dry-run", is_flag=True, help="Print the SQL instead of running it.")
def access_setup(env: str, database_url: str | None, project: str | None, as_json: bool,
                 watch_ddl: bool, dry_run: bool) -> None:
    """Give sqlmig's tables to the NOLOGIN role sqlmig_owner, writable only
    through functions that check who calls them (run as a superuser).

    \b
    Examples:
      sqlmig access setup --env production --watch-ddl
      sqlmig access setup --env production --dry-run > access.sql
    """
    from .. import api
    from .render import access as show
    from .render.envelope import emit

    emit(api.access_setup(project, env, database_url, watch_ddl=watch_ddl, dry_run=dry_run),
         show.change)


@access.command("grant")
@common(json_output=True)
@click.argument("role")
@click.option("--as", "capacity", required=True,
              type=click.Choice(["deployer", "approver", "auditor", "checker"]),
              help="What the role may do through sqlmig.")
@click.option("--dry-run", is_flag=True, help="Print the SQL instead of running it.")
def access_grant(env: str, database_url: str | None, project: str | None, as_json: bool,
                 role: str, capacity: str, dry_run: bool) -> None:
    """Make a database role a deployer, approver, auditor or checker.

    \b
    Examples:
      sqlmig access grant deploy_bot --as deployer --env production
      sqlmig access grant alice --as approver --env production
    """
    from .. import api
    from .render import access as show
    from .render.envelope import emit

    emit(api.access_grant(role, capacity, project, env, database_url, dry_run=dry_run),
         show.change)


@access.command("show")
@common(json_output=True)
def access_show(env: str, database_url: str | None, project: str | None,
                as_json: bool) -> None:
    """Who may do what: the ledger's owner, each capacity's members, who can
    rewrite everything.

    \b
    Examples:
      sqlmig access show --env production
    """
    from .. import api
    from .render import access as show
    from .render.envelope import emit

    emit(api.access_show(project, env, database_url), show.report)


@click.group()
def environment() -> None:
    """Which environment the database is: show or change its binding.

    \b
    Examples:
      sqlmig environment show --env production
      sqlmig environment bind --env staging --request --reason "repurposed"
    """


@environment.command("show")
@common(json_output=True)
def environment_show(env: str, database_url: str | None, project: str | None,
                     as_json: bool) -> None:
    """The environment and policy recorded in the database.

    \b
    Examples:
      sqlmig environment show --env production
    """
    from .. import api
    from .render import access as show
    from .render.envelope import emit

    emit(api.environment_binding(project, env, database_url), show.binding)


@environment.command("bind")
@common(json_output=True)
@click.option("--request", "request_", is_flag=True,
              help="Ask for the approval a change of binding needs.")
@click.option("--approved", "request_id", type=int, metavar="ID",
              help="The approved request of this change.")
@click.option("--reason", metavar="TEXT", help="Why: recorded in the audit log.")
def environment_bind(env: str, database_url: str | None, project: str | None, as_json: bool,
                     request_: bool, request_id: int | None, reason: str | None) -> None:
    """Bind the database to --env and its policy, or change the binding
    (audited; with an approval when the bound policy requires approvals).

    \b
    Examples:
      sqlmig environment bind --env production
      sqlmig environment bind --env staging --request --reason "repurposed"
      sqlmig environment bind --env staging --approved 42
    """
    from .. import api
    from .render import access as show
    from .render import governance as gov
    from .render.envelope import emit
    from ..governance.binding import Binding

    result = api.bind_environment(project, env, database_url, request_id=request_id,
                                  reason=reason, request=request_)
    if isinstance(result, Binding):
        emit(result, show.binding)
    else:
        emit(result, gov.request)


COMMANDS = [access, environment]
