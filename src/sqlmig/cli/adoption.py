"""Starting and adopting: ``init``, ``create``, ``drop``, ``import`` (docs/adopting.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .options import command, common, json_option

if TYPE_CHECKING:
    from ..adoption.database import DatabaseResult
    from ..adoption.importing import ImportResult
    from ..adoption.scaffold import InitResult

FORMATS = ("dbmate", "diesel", "flyway", "golang-migrate", "sqitch", "yoyo")


@command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@json_option
def init(directory: str, as_json: bool) -> None:
    """Start a project in DIRECTORY (default: here): config/ and sql/.

    Refuses (exit 2, writes nothing) where config/ or sql/ exists.

    \b
    Examples:
      sqlmig init shop && cd shop && sqlmig new "create users"
    """
    from .. import api
    from .render.envelope import emit

    emit(api.init(directory), _init)


def _init(result: InitResult) -> str:
    lines = [f"created {p}" for p in result.created] + [f"updated {p}" for p in result.updated]
    return "\n".join(lines + [f"next: cd {result.root} && sqlmig new \"describe it\""])


@command()
@common(json_output=True)
def create(env: str, database_url: str | None, project: str | None, as_json: bool) -> None:
    """Create the environment's database if it does not exist.

    Connects to the server's `postgres` database to do it.

    \b
    Examples:
      sqlmig create                 # dev's database
      sqlmig create --env staging
    """
    from .. import api
    from .render.envelope import emit

    emit(api.create_database(project, env, database_url), _database)


@command()
@common(json_output=True)
@click.option("--yes", "-y", is_flag=True, help="Confirm: the database and all it holds go.")
def drop(env: str, database_url: str | None, project: str | None, as_json: bool,
         yes: bool) -> None:
    """Drop a development environment's database (needs --yes).

    Refused (exit 3) for guarded environments (approval or backup required,
    auto_apply false, a maintenance window, or named production, prod or
    staging), for postgres/template0/template1, and while other sessions are
    connected: it terminates nobody.

    \b
    Examples:
      sqlmig drop --yes && sqlmig create && sqlmig apply
    """
    from .. import api
    from .render.envelope import emit

    emit(api.drop_database(project, env, database_url, yes=yes), _database)


def _database(result: DatabaseResult) -> str:
    return {
        "created": f'created database "{result.name}"',
        "exists": f'database "{result.name}" already exists; nothing to do',
        "dropped": f'dropped database "{result.name}"',
        "missing": f'database "{result.name}" does not exist; nothing to drop',
    }[result.outcome]


@command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.argument("src", type=click.Path(exists=True))
@click.option("--into", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Project directory to write (new, empty, or made by `sqlmig init`).")
@click.option("--env", "-e", default=None, metavar="ENV",
              help="Also adopt the history of this environment's database (config/ENV.yaml "
                   "of --into).")
@click.option("--database-url", metavar="URL", help="Also adopt the history of this database.")
@json_option
def import_(fmt: str, src: str, into: str, env: str | None, database_url: str | None,
            as_json: bool) -> None:
    """Turn another tool's migrations in SRC into a sqlmig project.

    FORMAT is the tool: dbmate, diesel, flyway, golang-migrate, sqitch or
    yoyo. Writes sql/migrations, sql/rollbacks, the manifest and
    sql/IMPORTED.md (the version mapping). With --env or --database-url,
    the database's migrations applied by that tool are recorded in sqlmig's
    ledger as `imported`; the tool's own tables are only read. Everything is
    checked before anything is written.

    \b
    Examples:
      sqlmig import golang-migrate db/migrations --into .
      sqlmig import flyway src/main/resources/db/migration --database-url "$DATABASE_URL"
    """
    from .. import api
    from .render.envelope import emit

    emit(api.import_project(fmt, src, into, env=env, database_url=database_url), _imported)


def _imported(result: ImportResult) -> str:
    lines = [f"{m.name:<40} <- {m.source_file}"
             + ("" if m.rollback else "  (no rollback)")
             + (f"  (no-transaction: {m.no_transaction})" if m.no_transaction else "")
             for m in result.migrations]
    lines.append(f"imported {len(result.migrations)} {result.tool} migration(s) into "
                 f"{result.root} ({result.rule})")
    lines.append(f"wrote {result.manifest} and {result.report}")
    if result.database:
        lines.append(f"adopted {len(result.adopted)} applied migration(s) into the sqlmig "
                     "ledger (status imported); the other tool's tables were not changed")
    return "\n".join(lines)


COMMANDS = (init, create, drop, import_)
