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
    """Make and verify a pg_dump -Fc backup of the environment's database.

    \b
    Examples:
      sqlmig backup --env production
      sqlmig backup --env staging --verify restore
    """
    from .. import api
    from .render import backup as show
    from .render.envelope import emit
    from .render.progress import elapsed

    with elapsed("backing up"):
        result = api.create_backup(project, env, database_url, verify=verify)
    emit(result, show.backup)


@command()
@common(json_output=True)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--into", metavar="NEW_DB", help="Restore into this new database instead (safe).")
@click.option("--from-other-database", is_flag=True,
              help="Allow restoring in place a backup of another database (or of unknown "
                   "provenance); audited.")
@change_options
def restore(env: str, database_url: str | None, project: str | None, as_json: bool, file: str,
            into: str | None, from_other_database: bool, yes: bool, emergency: bool,
            reason: str | None) -> None:
    """Restore a backup (checksum verified first) in place, or --into a new database.

    \b
    Examples:
      sqlmig restore backups/dev-20260301T0200Z.dump --into dev_copy
      sqlmig restore FILE --env staging --yes --reason "bad deploy"
    """
    from .. import api
    from .render import backup as show, governance
    from .render.envelope import emit
    from .render.progress import elapsed

    governance.emergency_banner(env, emergency, reason)
    with elapsed("restoring") as ticker:
        result = api.restore_backup(file, project, env, database_url, into=into, yes=yes,
                                    confirm=ticker.paused(governance.ask), emergency=emergency,
                                    reason=reason,
                                    from_other_database=from_other_database)
    emit(result, show.restore)


COMMANDS = (backup, restore)
