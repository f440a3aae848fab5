"""``sqlmig repair``: record the edited or renamed file of an applied migration."""

from __future__ import annotations

import click

from .options import command, common, lock_wait_option


@command()
@common(json_output=True)
@click.argument("version", type=int)
@click.option("--reason", required=True, metavar="TEXT",
              help="Why the edit is safe to record: goes into the history and the audit log.")
@lock_wait_option
def repair(env: str, database_url: str | None, project: str | None, as_json: bool,
           version: int, reason: str, lock_wait: float | None) -> None:
    """Record the current checksum (and name) of an applied migration's file.

    For a file edited or renamed after it was applied, once you have reviewed
    the change and know the database matches it: apply refuses such a file
    (exit 3) until then, unless only comments or whitespace changed.
    Nothing runs; shows the old and new checksums and, when git has the
    commit the migration was applied from, the file's git diff.

    \b
    Examples:
      sqlmig repair 3 --reason "typo in a comment"
      sqlmig repair 7 --reason "renamed to match the ticket" --env staging
    """
    from .. import api
    from .render import repair as show
    from .render.envelope import emit

    emit(api.repair(version, reason, project, env, database_url, lock_wait=lock_wait),
         show.repair)


COMMANDS = (repair,)
