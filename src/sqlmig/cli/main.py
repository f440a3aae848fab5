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

from .options import global_options
from ..errors import Interrupted, SqlmigError
from ..version import __version__


# The sections of `sqlmig --help`, in order: add a new command's name here.  A
# name not registered (yet) is skipped; a registered command named nowhere is
# listed under the last section.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Daily", ("new", "manifest", "status", "plan", "apply", "rollback", "history", "tag")),
    ("Start and adopt", ("init", "create", "drop", "import", "baseline", "checkpoint")),
    ("Review", ("lint", "verify", "drift", "snapshot", "docs", "check")),
    ("Governance", ("request", "approve", "reject", "approvals", "audit", "access",
                    "environment", "backup", "restore", "resolve", "repair", "compliance")),
    ("Fleet", ("fleet",)),
    ("Other", ("server", "completion")),
)


# Which module of this package defines each command: a command line imports
# only its own (`sqlmig apply` does not build the 40 other commands); --help
# and completion import them all.  tests/test_cli_help.py checks this table
# against every module's COMMANDS.
COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(("new", "manifest", "status", "plan", "history", "apply", "rollback",
                     "resolve", "server"), "migrate"),
    **dict.fromkeys(("docs", "verify", "drift", "snapshot"), "schema"),
    **dict.fromkeys(("check", "lint"), "checks"),
    **dict.fromkeys(("request", "approve", "reject", "approvals", "audit"), "governance"),
    **dict.fromkeys(("access", "environment"), "access"),
    **dict.fromkeys(("backup", "restore"), "backup"),
    **dict.fromkeys(("init", "create", "drop", "import"), "adoption"),
    "repair": "repair",
    **dict.fromkeys(("baseline", "checkpoint", "tag"), "baseline"),
    "compliance": "compliance",
}


class SqlmigGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            import importlib

            module = importlib.import_module(f".{COMMAND_MODULES[cmd_name]}", __package__)
            for command in module.COMMANDS:
                self.add_command(command)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands in the :data:`SECTIONS` of the help, not one sorted list."""
        commands = {name: self.get_command(ctx, name) for name in self.list_commands(ctx)}
        shown = {n for _, names in SECTIONS for n in names}
        leftover = tuple(n for n in commands if n not in shown)
        longest = max((len(n) for n in commands), default=0)  # one column in every section
        width = formatter.width - 6 - longest
        for i, (title, names) in enumerate(SECTIONS):
            if i == len(SECTIONS) - 1:
                names += leftover
            rows = [(n.ljust(longest), cmd.get_short_help_str(width)) for n in names
                    if (cmd := commands.get(n)) is not None and not cmd.hidden]
            if rows:
                with formatter.section(f"{title} commands"):
                    formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from . import logs  # here, not at the top: `logging` is not needed for --help
        from .render import style

        ctx.color = style.wanted()  # NO_COLOR, FORCE_COLOR: for every click.echo below
        with logs.to_stderr() as log, _signals_interrupt():
            try:
                return super().invoke(ctx)
            except SqlmigError as exc:
                from ..core.connection import redact

                log.done(exc)  # the held log records, less the ones that repeat this error
                _json_failure(ctx, exc, exc.exit_code)
                click.echo(click.style("error: ", fg="red", bold=True) + redact(str(exc)),
                           err=True)
                ctx.exit(exc.exit_code)
            except click.ClickException as exc:  # a usage error: click prints it on stderr
                _json_failure(ctx, exc, exc.exit_code)
                raise
            except KeyboardInterrupt as exc:
                from ..core.connection import redact

                stopped = exc if isinstance(exc, Interrupted) else Interrupted(2)
                log.done()
                _json_failure(ctx, stopped, stopped.exit_code)
                click.echo(click.style("error: ", fg="red", bold=True) + redact(str(stopped)),
                           err=True)
                ctx.exit(stopped.exit_code)


def _json_failure(ctx: click.Context, exc: BaseException, exit_code: int) -> None:
    """With --json, the failure's envelope on stdout (the ``error:`` line stays on stderr)."""
    from .render import envelope

    envelope.failure(ctx, exc, exit_code)


class _signals_interrupt:
    """SIGINT and SIGTERM raise :class:`Interrupted` in the main thread while a
    command runs: psycopg then cancels the running statement in the server, the
    runner rolls back and records the interruption, and the exit code is 128 +
    the signal (130, 143).  Without this, SIGTERM would end the process at once
    and leave the server to notice the dead client."""

    def __enter__(self) -> None:
        import signal

        def interrupt(signum: int, frame: object) -> None:
            raise Interrupted(signum)

        self.previous: dict[int, Any] = {}
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                self.previous[signum] = signal.signal(signum, interrupt)
            except ValueError:  # not the main thread (e.g. an embedding test runner)
                pass

    def __exit__(self, *exc: object) -> None:
        import signal

        for signum, handler in self.previous.items():
            signal.signal(signum, handler)


@click.group(cls=SqlmigGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sqlmig")
@global_options
def cli(env: str | None, database_url: str | None, project: str | None) -> None:
    """Plain-SQL migrations for PostgreSQL.

    Numbered files in sql/migrations and sql/rollbacks, checked against
    sql/manifest.sha256, applied in transactions and recorded in
    schema_migrations.  Exit codes: 0 ok, 1 SQL failed, 2 usage or
    configuration error, 3 refused by a safety guard.

    \b
    Examples:
      sqlmig new "create users"    # then write the SQL in both files
      sqlmig apply                 # the dev environment: config/dev.yaml
      sqlmig status --env staging

    A fleet (an environment with targets): status, apply and check take
    --target and --targets-like; `sqlmig COMMAND --help` lists them under
    "Fleet options".  Colour: NO_COLOR=1 turns it off, FORCE_COLOR=1 on.
    """


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    Examples:
      eval "$(sqlmig completion bash)"        # in ~/.bashrc
      sqlmig completion fish > ~/.config/fish/completions/sqlmig.fish
    """
    from click.shell_completion import get_completion_class

    kind = get_completion_class(shell)
    assert kind is not None  # click knows the three choices
    click.echo(kind(cli, {}, "sqlmig", "_SQLMIG_COMPLETE").source())


def main() -> None:
    cli(prog_name="sqlmig")


if __name__ == "__main__":  # pragma: no cover
    main()
