"""What the commands share: their class and their options.

Every domain module declares its commands with ``@command()`` (a
:class:`Command`) and the option decorators below, so an option has one
spelling and one help text everywhere.  Only click is imported here: the
library is loaded by a command when it runs, which keeps ``sqlmig --help``
instant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class Command(click.Command):
    """A sqlmig command: its environment's ``log_level`` applies before it runs,
    and an option the library refuses (:class:`~sqlmig.errors.OptionError`) is
    reported like click's own usage errors, with the command's usage line."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import OptionError
        from . import logs

        _take_global_options(ctx)
        logs.level_for(ctx.params.get("project"), ctx.params.get("env"),
                       ctx.params.get("database_url"))
        try:
            return super().invoke(ctx)
        except OptionError as exc:
            raise click.UsageError(str(exc), ctx) from None

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Options whose help starts with "Fleet:" in a section of their own: they
        apply only to an environment with targets (docs/fleets.md)."""
        rows: list[tuple[str, str]] = []
        fleet: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and not isinstance(param, click.Argument):
                (fleet if record[1].startswith(FLEET) else rows).append(record)
        if rows:
            with formatter.section("Options"):
                formatter.write_dl(rows)
        if fleet:
            with formatter.section("Fleet options (environments with targets)"):
                formatter.write_dl([(name, _capital(text[len(FLEET):].lstrip()))
                                    for name, text in fleet])


FLEET = "Fleet:"  # the start of a fleet-only option's help text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


GLOBAL = ("env", "database_url", "project")


def _take_global_options(ctx: click.Context) -> None:
    """``sqlmig --env staging status`` means ``sqlmig status --env staging``: an
    option given before the command counts unless the command's own spelling
    of it was given on the command line too (which wins)."""
    from click.core import ParameterSource

    root = ctx.find_root()
    for name in GLOBAL:
        value = root.params.get(name)
        if (value is not None and name in ctx.params
                and ctx.get_parameter_source(name) != ParameterSource.COMMANDLINE):
            ctx.params[name] = value


def global_options(fn: F) -> F:
    """--env, --database-url, --project on the group, before the command."""
    fn = click.option("--project", "project", metavar="DIR", type=click.Path(file_okay=False),
                      help="Project directory, for the command that follows.")(fn)
    fn = click.option("--database-url", metavar="URL",
                      help="Database URL, for the command that follows.")(fn)
    fn = click.option("--env", "-e", metavar="ENV",
                      help="Environment, for the command that follows "
                           "(also accepted after it).")(fn)
    return fn


def command(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Command]:
    """``@click.command`` making a :class:`Command`."""
    return click.command(name, cls=Command, **attrs)


project_option = click.option(
    "--project", "project", metavar="DIR", type=click.Path(file_okay=False),
    help="Project directory (default: search upward for config/ and sql/).",
)


def _json_wanted(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:  # one envelope on stdout, also for a failure (cli/render/envelope.py)
        from .render import envelope

        envelope.want(ctx)
    return value


json_option = click.option("--json", "as_json", is_flag=True, callback=_json_wanted,
                           help="Print machine-readable JSON.")


def common(json_output: bool = False) -> Callable[[F], F]:
    """--env, --database-url, --project (and --json) for every command."""

    def decorate(fn: F) -> F:
        opts = [
            click.option("--env", "-e", default="dev", show_default=True, envvar="SQLMIG_ENV",
                         show_envvar=True, help="Environment: reads config/<env>.yaml."),
            click.option("--database-url", envvar="SQLMIG_DATABASE_URL", metavar="URL",
                         show_envvar=True,
                         help="Database URL; overrides the environment's config."),
            project_option,
        ]
        if json_output:
            opts.append(json_option)
        for opt in reversed(opts):
            fn = opt(fn)
        return fn

    return decorate


def target_options(fn: F) -> F:
    """--target, --targets-like: a subset of a fleet environment (docs/fleets.md)."""
    fn = click.option("--targets-like", "targets_like", multiple=True, metavar="PATTERN",
                      help="Fleet: only targets whose name matches (SQL LIKE: % any, _ one "
                           "character; repeatable).")(fn)
    fn = click.option("--target", "target", multiple=True, metavar="NAME",
                      help="Fleet: only this target (repeatable).")(fn)
    return fn


class DurationType(click.ParamType):  # type: ignore[type-arg]
    """A duration with its unit (``30s``, ``500ms``, ``2min``; ``0``), as seconds."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        from ..core import settings

        if isinstance(value, float):
            return value
        try:
            return settings.timeout(value, zero="do not wait").seconds
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DURATION = DurationType()


def lock_wait_option(fn: F) -> F:
    return click.option("--lock-wait", type=DURATION, default=None, metavar="DURATION",
                        help="How long to wait for another run's lock, e.g. 30s or 5min "
                             "(default: the environment's lock_wait, 60s).")(fn)


def run_options(fn: F) -> F:
    """--lock-wait and -v for the commands that run migrations."""
    fn = lock_wait_option(fn)
    fn = click.option("-v", "--verbose", is_flag=True,
                      help="Also print each statement's timing where statements are split.")(fn)
    return fn


def change_options(fn: F) -> F:
    """--yes, --emergency, --reason: answers to the environment's policies."""
    fn = click.option("--reason", metavar="TEXT",
                      help="Why: recorded in the audit log (required with --emergency).")(fn)
    fn = click.option("--emergency", is_flag=True,
                      help="Run outside the maintenance window (needs --reason; audited).")(fn)
    fn = click.option("--yes", "-y", is_flag=True,
                      help="Confirm without a prompt (environments with auto_apply: false).")(fn)
    return fn
