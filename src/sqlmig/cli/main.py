"""The ``sqlmig`` command: parses options, calls the library, prints results.

Errors are turned into messages and exit codes in one place
(:meth:`SqlmigGroup.invoke`): 0 success, 1 the database rejected SQL,
2 usage or configuration error, 3 refused by a safety guard.  Heavy modules
(psycopg, sqlparse, yaml) are imported inside the commands, so
``sqlmig --help`` starts instantly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import SqlmigError

F = TypeVar("F", bound=Callable[..., Any])


class SqlmigGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        _log_to_stderr()
        try:
            return super().invoke(ctx)
        except SqlmigError as exc:
            from ..core.connection import redact

            click.echo(click.style("error: ", fg="red", bold=True) + redact(str(exc)), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


def _log_to_stderr() -> None:
    """sqlmig's log records (their level set by the environment's `log_level`) go
    to stderr, passwords removed; a library caller configures logging itself."""
    import logging

    logger = logging.getLogger("sqlmig")
    if any(getattr(h, "sqlmig_cli", False) for h in logger.handlers):
        return

    class Redacting(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            from ..core.connection import redact

            return redact(super().format(record))

    class Stderr(logging.StreamHandler):  # type: ignore[type-arg]
        sqlmig_cli = True

        def emit(self, record: logging.LogRecord) -> None:
            self.stream = sys.stderr  # whatever stderr is now (click's test runner swaps it)
            super().emit(record)

    handler = Stderr()
    handler.setFormatter(Redacting("%(asctime)s sqlmig %(levelname)s %(message)s"))
    logger.addHandler(handler)


def common(json_output: bool = False) -> Callable[[F], F]:
    """--env, --database-url, --project (and --json) for every command."""

    def decorate(fn: F) -> F:
        opts = [
            click.option("--env", "-e", default="dev", show_default=True, envvar="SQLMIG_ENV",
                         help="Environment: reads config/<env>.yaml."),
            click.option("--database-url", envvar="SQLMIG_DATABASE_URL", metavar="URL",
                         help="Database URL; overrides the environment's config."),
            project_option,
        ]
        if json_output:
            opts.append(click.option("--json", "as_json", is_flag=True,
                                     help="Print machine-readable JSON."))
        for opt in reversed(opts):
            fn = opt(fn)
        return fn

    return decorate


project_option = click.option(
    "--project", "project", metavar="DIR", type=click.Path(file_okay=False),
    help="Project directory (default: search upward for config/ and sql/).",
)


def target_options(fn: F) -> F:
    """--target, --targets-like: a subset of a fleet environment (docs/fleets.md)."""
    fn = click.option("--targets-like", "targets_like", multiple=True, metavar="PATTERN",
                      help="Fleet: only targets whose name matches (SQL LIKE: % any, _ one "
                           "character; repeatable).")(fn)
    fn = click.option("--target", "target", multiple=True, metavar="NAME",
                      help="Fleet: only this target (repeatable).")(fn)
    return fn


def on_fleet(project: str | None, env: str, database_url: str | None, **fleet_only: Any) -> bool:
    """True when the command runs on ``env``'s targets: the env has targets and no
    --database-url picks one database.  Fleet-only options elsewhere are a usage error."""
    from ..core.project import Project

    if database_url is None and Project.find(project).config(env).is_fleet:
        return True
    used = [f"--{k.replace('_', '-')}" for k, v in fleet_only.items() if v not in (None, False, ())]
    if used:
        why = "--database-url selects one database" if database_url else \
            f"environment {env!r} has no targets"
        raise click.UsageError(f"{', '.join(used)}: only for fleet environments ({why}); "
                               "see docs/fleets.md.")
    return False


@click.group(cls=SqlmigGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sqlmig")
def cli() -> None:
    """Plain-SQL migrations for PostgreSQL.

    Numbered files in sql/migrations and sql/rollbacks, checked against
    sql/manifest.sha256, applied in transactions and recorded in
    schema_migrations.  Exit codes: 0 ok, 1 SQL failed, 2 usage or
    configuration error, 3 refused by a safety guard.
    """


# -- files ---------------------------------------------------------------------


@cli.command()
@click.argument("description")
@project_option
def new(description: str, project: str | None) -> None:
    """Create the next-numbered migration and rollback files."""
    from .. import api

    created = api.new(description, project)
    click.echo(f"created {created.migration}")
    click.echo(f"created {created.rollback}")
    click.echo(f"updated {created.manifest}")


@cli.command()
@click.option("--check", is_flag=True, help="Verify instead of rewriting; exit 3 on any mismatch.")
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def manifest(check: bool, project: str | None, as_json: bool) -> None:
    """Rewrite sql/manifest.sha256, or verify it with --check."""
    from .. import api
    from ..errors import ManifestMismatch
    from ..core.results import dumps

    if not check:
        click.echo(f"wrote {api.write_manifest(project)}")
        return
    report = api.check_manifest(project)
    if as_json:
        click.echo(dumps({"ok": report.ok, "problems": report.problems()}))
    if not report.ok:
        raise ManifestMismatch(
            "sql/manifest.sha256 does not match the files. If every change is intended, run "
            "`sqlmig manifest` and commit the result.",
            problems=report.problems(),
        )
    if not as_json:
        click.echo(f"{report.path.name}: ok")


# -- reading -------------------------------------------------------------------


@cli.command()
@common(json_output=True)
@target_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Fleet: targets read in parallel (connections; default 4).")
def status(env: str, database_url: str | None, project: str | None, as_json: bool,
           target: tuple[str, ...], targets_like: tuple[str, ...], jobs: int | None) -> None:
    """Applied and pending migrations, and every problem (exit 3 if any).

    On a fleet: how many targets are at each version, which are behind,
    failed or drifted (exit 3 if any has a problem, 1 if one cannot be read).
    """
    from .. import api
    from .render import migrate as output

    if on_fleet(project, env, database_url, target=target, targets_like=targets_like, jobs=jobs):
        from ..fleet import run as fleet, report as fleet_report

        fst = fleet.status(project, env, jobs=jobs or fleet.DEFAULT_JOBS, target=target,
                           targets_like=targets_like)
        click.echo(fleet_report.status_json(fst) if as_json else fleet_report.status_text(fst))
        if not fst.ok:
            sys.exit(1 if fst.named("error") else 3)
        return
    st = api.status(project, env, database_url)
    click.echo(output.status_json(st) if as_json else output.status_text(st))
    if st.problems:
        sys.exit(3)


@cli.command()
@common(json_output=True)
@click.option("--to", "to", type=int, metavar="VERSION", help="Stop after this version.")
@click.option("--allow-out-of-order", is_flag=True, help="Include pending versions below the newest applied one.")
def plan(env: str, database_url: str | None, project: str | None, as_json: bool,
         to: int | None, allow_out_of_order: bool) -> None:
    """Show the migrations apply would run, with their SQL; executes nothing."""
    from .. import api
    from .render import migrate as output

    p = api.plan(project, env, database_url, to=to, allow_out_of_order=allow_out_of_order,
                 lint=True)
    click.echo(output.plan_json(p) if as_json else output.plan_text(p))


@cli.command()
@common(json_output=True)
@click.option("--limit", type=int, default=None, help="Show at most this many events.")
def history(env: str, database_url: str | None, project: str | None, as_json: bool,
            limit: int | None) -> None:
    """The ledger's history (applies, rollbacks, failures, resolves), newest first."""
    from .. import api
    from .render import migrate as output

    entries = api.history(project, env, database_url, limit=limit)
    click.echo(output.history_json(entries) if as_json else output.history_text(entries))


# -- changing ----------------------------------------------------------------------


def run_options(fn: F) -> F:
    fn = click.option("--lock-wait", type=float, default=None, metavar="SECONDS",
                      help="How long to wait for another run's lock (default 60).")(fn)
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


@cli.command()
@common(json_output=True)
@run_options
@change_options
@click.option("--to", "to", type=int, metavar="VERSION", help="Apply up to and including this version.")
@click.option("--single-transaction", is_flag=True, help="Wrap the whole batch in one transaction.")
@click.option("--dry-run", is_flag=True, help="Show what would run; change nothing.")
@click.option("--allow-out-of-order", is_flag=True, help="Apply pending versions below the newest applied one.")
@target_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Fleet: targets migrated in parallel; at most this many connections (default 4).")
@click.option("--fail-fast", is_flag=True, help="Fleet: start no more targets after one fails.")
@click.option("--canary", type=click.IntRange(min=1), default=None, metavar="K",
              help="Fleet: apply to K targets first, run sql/checks there, go on only if they pass.")
@click.option("--wave-size", type=click.IntRange(min=1), default=None, metavar="M",
              help="Fleet: go on in waves of M targets, stopping after a wave with a failure.")
def apply(env: str, database_url: str | None, project: str | None, as_json: bool,
          lock_wait: float | None, verbose: bool, yes: bool, emergency: bool,
          reason: str | None, to: int | None, single_transaction: bool,
          dry_run: bool, allow_out_of_order: bool, target: tuple[str, ...],
          targets_like: tuple[str, ...], jobs: int | None, fail_fast: bool,
          canary: int | None, wave_size: int | None) -> None:
    """Apply pending migrations, each in its own transaction with its ledger row.

    On a fleet: every target, --jobs at a time, with a final table; exit 1 if
    any target failed.
    """
    from .. import api
    from .render import migrate as output
    from ..governance.policy import announce, prompt

    announce(env, emergency, reason)
    if on_fleet(project, env, database_url, target=target, targets_like=targets_like, jobs=jobs,
                fail_fast=fail_fast, canary=canary, wave_size=wave_size):
        from ..fleet import run as fleet, report as fleet_report

        bar = None if as_json else fleet_report.FleetProgress()
        fres = fleet.apply(
            project, env, jobs=jobs or fleet.DEFAULT_JOBS, target=target,
            targets_like=targets_like, fail_fast=fail_fast, canary=canary, wave_size=wave_size,
            to=to, dry_run=dry_run, single_transaction=single_transaction,
            allow_out_of_order=allow_out_of_order, lock_wait=lock_wait, yes=yes,
            emergency=emergency, reason=reason, progress=bar,
        )
        if bar is not None:
            bar.finish()
        click.echo(output.as_json(fres) if as_json else fleet_report.apply_text(fres))
        if not fres.ok:
            sys.exit(1)
        return
    result = api.apply(
        project, env, database_url, to=to, single_transaction=single_transaction,
        dry_run=dry_run, allow_out_of_order=allow_out_of_order, lock_wait=lock_wait,
        progress=None if as_json else output.Progress(verbose),
        yes=yes, confirm=prompt(env), emergency=emergency, reason=reason,
    )
    click.echo(output.as_json(result) if as_json else output.apply_text(result))


@cli.command()
@common(json_output=True)
@run_options
@change_options
@click.option("--steps", type=int, default=None, help="Roll back this many migrations (default 1).")
@click.option("--to", "to", type=int, metavar="VERSION",
              help="Roll back every migration above this version (0: all).")
@click.option("--dry-run", is_flag=True, help="Show what would run; change nothing.")
def rollback(env: str, database_url: str | None, project: str | None, as_json: bool,
             lock_wait: float | None, verbose: bool, yes: bool, emergency: bool,
             reason: str | None, steps: int | None, to: int | None, dry_run: bool) -> None:
    """Run rollback files, newest first, each in its own transaction."""
    from .. import api
    from .render import migrate as output
    from ..governance.policy import announce, prompt

    announce(env, emergency, reason)
    result = api.rollback(
        project, env, database_url, steps=steps, to=to, dry_run=dry_run, lock_wait=lock_wait,
        progress=None if as_json else output.Progress(verbose),
        yes=yes, confirm=prompt(env), emergency=emergency, reason=reason,
    )
    click.echo(output.as_json(result) if as_json else output.rollback_text(result))


@cli.command()
@common(json_output=True)
@click.argument("version", type=int)
@click.option("--as", "outcome", required=True, type=click.Choice(["applied", "rolled-back"]),
              help="What a human made of the failed migration.")
@click.option("--lock-wait", type=float, default=None, metavar="SECONDS",
              help="How long to wait for another run's lock (default 60).")
def resolve(env: str, database_url: str | None, project: str | None, as_json: bool,
            version: int, outcome: str, lock_wait: float | None) -> None:
    """Record how a failed no-transaction migration was resolved by hand."""
    from .. import api
    from .render import migrate as output

    result = api.resolve(version, outcome, project, env, database_url, lock_wait=lock_wait)
    click.echo(output.as_json(result) if as_json else f"{result.name}: recorded as {result.outcome}")


# -- embedded server -------------------------------------------------------------------


@cli.group()
def server() -> None:
    """Manage the embedded PostgreSQL server (database_url: embedded)."""


def _server_project(project: str | None) -> Any:
    from ..core.project import Project

    return Project.find(project)


@server.command("start")
@project_option
def server_start(project: str | None) -> None:
    """Start the project's embedded server (or reuse the running one)."""
    from ..adapters import embedded

    root = _server_project(project).root
    url = embedded.url_for(root)
    click.echo(f"running: {url}")


@server.command("stop")
@project_option
def server_stop(project: str | None) -> None:
    """Stop the project's embedded server."""
    from ..adapters import embedded

    root = _server_project(project).root
    was = embedded.info(root).running
    embedded.stop(root)
    click.echo("stopped" if was else "not running")


@server.command("status")
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def server_status(project: str | None, as_json: bool) -> None:
    """Is the project's embedded server running, and where."""
    from ..adapters import embedded
    from .render import migrate as output

    info = embedded.info(_server_project(project).root)
    if as_json:
        click.echo(output.as_json(info))
    elif info.running:
        click.echo(f"running: pid {info.pid}, data {info.data_dir}, url {info.url()}")
    else:
        click.echo(f"not running (data directory {info.data_dir})")


# The other commands live in modules of their own; importing them registers them.
from . import review as cli_review, safety as cli_safety  # noqa: E402,F401


def main() -> None:
    cli(prog_name="sqlmig")


if __name__ == "__main__":  # pragma: no cover
    main()

