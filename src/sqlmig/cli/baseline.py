"""Adopting and naming versions: ``baseline``, ``checkpoint`` and ``tag``."""

from __future__ import annotations

import click

from .options import command, common, lock_wait_option


@command()
@common(json_output=True)
@click.option("--to", "to", type=int, required=True, metavar="VERSION",
              help="The version the database is at: migrations up to it are recorded.")
@click.option("--accept-differences", is_flag=True,
              help="Record the baseline even though the schema differs (needs --reason).")
@click.option("--reason", metavar="TEXT", help="Why the differences are accepted (audited).")
@lock_wait_option
def baseline(env: str, database_url: str | None, project: str | None, as_json: bool, to: int,
             accept_differences: bool, reason: str | None, lock_wait: float | None) -> None:
    """Adopt an existing database at VERSION, after proving its schema is 1..VERSION's.

    Migrations up to --to are replayed on a scratch database and compared
    with the live schema; only when they match are they recorded as
    baselined (exit 3 naming every difference otherwise).  Only into an
    empty ledger.

    \b
    Examples:
      sqlmig baseline --to 12 --env production
      sqlmig baseline --to 12 --accept-differences --reason "legacy index, ticket 88"
    """
    from ..schema.baseline import baseline_database
    from .render import baseline as show
    from .render.envelope import emit
    from .render.progress import elapsed

    with elapsed("replaying migrations"):
        result = baseline_database(project, env, database_url, to=to,
                                   accept_differences=accept_differences, reason=reason,
                                   lock_wait=lock_wait)
    emit(result, show.baseline)


@command()
@common(json_output=True)
@click.option("--to", "to", type=int, required=True, metavar="VERSION",
              help="The version whose schema the checkpoint holds.")
def checkpoint(env: str, database_url: str | None, project: str | None, as_json: bool,
               to: int) -> None:
    """Write sql/checkpoints/NNNN_checkpoint.sql: the schema at VERSION, proven.

    Replays 1..VERSION on a scratch database, dumps it with pg_dump, applies
    the cleaned dump alone to a fresh scratch database and writes it only if
    both schemas are the same (exit 3 otherwise); then rewrites the manifest.
    A fresh database's apply runs the newest checkpoint first.

    \b
    Examples:
      sqlmig checkpoint --to 350
      sqlmig checkpoint --to 350 --json
    """
    from ..backup.checkpoint import checkpoint as make
    from .render import baseline as show
    from .render.envelope import emit
    from .render.progress import elapsed

    with elapsed("building the checkpoint"):
        result = make(project, env, database_url, to=to)
    emit(result, show.checkpoint)


@command()
@common(json_output=True)
@click.argument("name")
@click.option("--at", "at", type=int, metavar="VERSION",
              help="The applied version to name (default: the current version).")
@lock_wait_option
def tag(env: str, database_url: str | None, project: str | None, as_json: bool, name: str,
        at: int | None, lock_wait: float | None) -> None:
    """Name an applied version with a release tag NAME (a semantic version, unique).

    \b
    Examples:
      sqlmig tag v1.4.0 --env production
      sqlmig tag v1.3.0 --at 12
      sqlmig rollback --to-tag v1.3.0
    """
    from ..core.session import Session
    from ..core.tags import add
    from .render import baseline as show
    from .render.envelope import emit

    with Session(project, env, database_url, lock_wait=lock_wait) as session:
        result = add(session, name, at)
    emit(result, show.tag)


COMMANDS = (baseline, checkpoint, tag)
