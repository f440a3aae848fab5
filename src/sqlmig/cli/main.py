"""The ``sqlmig`` command: the click group, its exit codes and its logging.

The commands live in one module per domain (:mod:`.migrate`, :mod:`.schema`,
:mod:`.checks`, :mod:`.governance`, :mod:`.backup`) and are added to the group
here; they parse options, call the library and print its typed result through
:mod:`.render`.  Errors become messages and exit codes in one place
(:meth:`SqlmigGroup.invoke`): 0 success, 1 the database rejected SQL, 2 usage
or configuration error, 3 refused by a safety guard.  Heavy modules (psycopg,
pglast, yaml, the library itself) are imported inside the commands, so
``sqlmig --help`` starts instantly.
"""

from __future__ import annotations

from typing import Any

import click

from . import backup, checks, governance, migrate, schema
from ..errors import SqlmigError


class SqlmigGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        from . import logs  # here, not at the top: `logging` is not needed for --help

        with logs.to_stderr() as log:
            try:
                return super().invoke(ctx)
            except SqlmigError as exc:
                from ..core.connection import redact

                log.done(exc)  # the held log records, less the ones that repeat this error
                click.echo(click.style("error: ", fg="red", bold=True) + redact(str(exc)),
                           err=True)
                ctx.exit(exc.exit_code)
            except KeyboardInterrupt:
                log.done()
                click.echo("interrupted", err=True)
                ctx.exit(130)


@click.group(cls=SqlmigGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sqlmig")
def cli() -> None:
    """Plain-SQL migrations for PostgreSQL.

    Numbered files in sql/migrations and sql/rollbacks, checked against
    sql/manifest.sha256, applied in transactions and recorded in
    schema_migrations.  Exit codes: 0 ok, 1 SQL failed, 2 usage or
    configuration error, 3 refused by a safety guard.
    """


for _domain in (migrate, schema, checks, governance, backup):
    for _command in _domain.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    cli(prog_name="sqlmig")


if __name__ == "__main__":  # pragma: no cover
    main()
