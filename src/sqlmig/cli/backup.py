"""Backups: ``backup`` and ``restore`` (docs/backups.md)."""

from __future__ import annotations

import click

from .options import change_options, command, common


@command()
@common(json_output=True)
@click.option("--verify", type=click.Choice(["list", "restore"]), default="list", show_default=True,
              help="list: checksum and pg_restore --list; restore: also restore into a scratch "
                   "database and compare row counts and schema.")
def backup(env: str, database_url: str | None, project: str | None, as_json: bool,
           verify: str) -> None:
    """Make and verify a pg_dump -Fc backup of the environment's database."""
    from .. import api
    from .render import as_json as to_json, backup as show

    result = api.create_backup(project, env, database_url, verify=verify)
    click.echo(to_json(result) if as_json else show.backup(result))


@command()
@common(json_output=True)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--into", metavar="NEW_DB", help="Restore into this new database instead (safe).")
@change_options
def restore(env: str, database_url: str | None, project: str | None, as_json: bool, file: str,
            into: str | None, yes: bool, emergency: bool, reason: str | None) -> None:
    """Restore a backup (checksum verified first) in place, or --into a new database."""
    from .. import api
    from .render import as_json as to_json, backup as show, governance

    governance.emergency_banner(env, emergency, reason)
    result = api.restore_backup(file, project, env, database_url, into=into, yes=yes,
                                confirm=governance.ask, emergency=emergency, reason=reason)
    click.echo(to_json(result) if as_json else show.restore(result))


COMMANDS = (backup, restore)
