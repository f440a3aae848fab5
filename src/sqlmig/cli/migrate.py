"""Migrating: ``new``, ``manifest``, ``status``, ``plan``, ``apply``,
``rollback``, ``history``, ``resolve`` and the embedded ``server``."""

from __future__ import annotations

import sys

import click

from .options import (
    Command,
    change_options,
    command,
    common,
    json_option,
    lock_wait_option,
    project_option,
    run_options,
    target_options,
)

# -- files ---------------------------------------------------------------------


@command()
@click.argument("description")
@project_option
def new(description: str, project: str | None) -> None:
    """Create the next-numbered migration and rollback files."""
    from .. import api
    from .render import migrate as show

    click.echo(show.new(api.new(description, project)))


@command()
@click.option("--check", is_flag=True, help="Verify instead of rewriting; exit 3 on any mismatch.")
@project_option
@json_option
def manifest(check: bool, project: str | None, as_json: bool) -> None:
    """Rewrite sql/manifest.sha256, or verify it with --check."""
    from .. import api
    from ..errors import ManifestMismatch
    from .render import as_json as to_json

    if not check:
        click.echo(f"wrote {api.write_manifest(project)}")
        return
    report = api.check_manifest(project)
    if as_json:
        click.echo(to_json({"ok": report.ok, "problems": report.problems()}))
    if not report.ok:
        raise ManifestMismatch(
            "sql/manifest.sha256 does not match the files. If every change is intended, run "
            "`sqlmig manifest` and commit the result.",
            problems=report.problems(),
        )
    if not as_json:
        click.echo(f"{report.path.name}: ok")


# -- reading -------------------------------------------------------------------


@command()
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
    from ..core.planner import Status
    from .render import fleet, migrate as show

    st = api.status_env(project, env, database_url, target=target, targets_like=targets_like,
                        jobs=jobs)
    if isinstance(st, Status):  # one database; the fleet's types load only for a fleet
        click.echo(show.status_json(st) if as_json else show.status(st))
        if st.problems:
            sys.exit(3)
        return
    click.echo(fleet.status_json(st) if as_json else fleet.status(st))
    if not st.ok:
        sys.exit(1 if st.named("error") else 3)


@command()
@common(json_output=True)
@click.option("--to", "to", type=int, metavar="VERSION", help="Stop after this version.")
@click.option("--allow-out-of-order", is_flag=True, help="Include pending versions below the newest applied one.")
def plan(env: str, database_url: str | None, project: str | None, as_json: bool,
         to: int | None, allow_out_of_order: bool) -> None:
    """Show the migrations apply would run, with their SQL; executes nothing."""
    from .. import api
    from .render import migrate as show

    p = api.plan(project, env, database_url, to=to, allow_out_of_order=allow_out_of_order,
                 lint=True)
    click.echo(show.plan_json(p) if as_json else show.plan(p))


@command()
@common(json_output=True)
@click.option("--limit", type=int, default=None, help="Show at most this many events.")
def history(env: str, database_url: str | None, project: str | None, as_json: bool,
            limit: int | None) -> None:
    """The ledger's history (applies, rollbacks, failures, resolves), newest first."""
    from .. import api
    from .render import as_json as to_json, migrate as show

    entries = api.history(project, env, database_url, limit=limit)
    click.echo(to_json(entries) if as_json else show.history(entries))


# -- changing ----------------------------------------------------------------------


@command()
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
    from ..core.results import ApplyResult
    from .render import as_json as to_json, fleet, governance, migrate as show

    governance.emergency_banner(env, emergency, reason)
    bar = None if as_json else fleet.Progress()
    result = api.apply_env(
        project, env, database_url, to=to, single_transaction=single_transaction,
        dry_run=dry_run, allow_out_of_order=allow_out_of_order, lock_wait=lock_wait,
        progress=None if as_json else show.Progress(verbose),
        yes=yes, confirm=governance.confirmation(env), emergency=emergency, reason=reason,
        target=target, targets_like=targets_like, jobs=jobs, fail_fast=fail_fast,
        canary=canary, wave_size=wave_size, fleet_progress=bar,
    )
    if isinstance(result, ApplyResult):  # one database
        click.echo(to_json(result) if as_json else show.apply(result))
        return
    if bar is not None:
        bar.finish()
    click.echo(to_json(result) if as_json else fleet.apply(result))
    if not result.ok:
        sys.exit(1)


@command()
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
    from .render import as_json as to_json, governance, migrate as show

    governance.emergency_banner(env, emergency, reason)
    result = api.rollback(
        project, env, database_url, steps=steps, to=to, dry_run=dry_run, lock_wait=lock_wait,
        progress=None if as_json else show.Progress(verbose),
        yes=yes, confirm=governance.confirmation(env), emergency=emergency, reason=reason,
    )
    click.echo(to_json(result) if as_json else show.rollback(result))


@command()
@common(json_output=True)
@click.argument("version", type=int)
@click.option("--as", "outcome", required=True, type=click.Choice(["applied", "rolled-back"]),
              help="What a human made of the failed migration.")
@lock_wait_option
def resolve(env: str, database_url: str | None, project: str | None, as_json: bool,
            version: int, outcome: str, lock_wait: float | None) -> None:
    """Record how a failed no-transaction migration was resolved by hand."""
    from .. import api
    from .render import as_json as to_json, migrate as show

    result = api.resolve(version, outcome, project, env, database_url, lock_wait=lock_wait)
    click.echo(to_json(result) if as_json else show.resolve(result))


# -- embedded server -------------------------------------------------------------------


@click.group()
def server() -> None:
    """Manage the embedded PostgreSQL server (database_url: embedded)."""


@server.command("start", cls=Command)
@project_option
def server_start(project: str | None) -> None:
    """Start the project's embedded server (or reuse the running one); print its URL."""
    from .. import api
    from .render import migrate as show

    result = api.start_server(project)
    if result.started:
        click.echo(show.server_started(result), err=True)
    click.echo(f"running: {result.url}")


@server.command("stop", cls=Command)
@project_option
def server_stop(project: str | None) -> None:
    """Stop the project's embedded server."""
    from .. import api

    click.echo("stopped" if api.stop_server(project) else "not running")


@server.command("status", cls=Command)
@project_option
@json_option
@click.pass_context
def server_status(ctx: click.Context, project: str | None, as_json: bool) -> None:
    """Is the project's embedded server running, and where; exit 3 when it is not."""
    from .. import api
    from .render import as_json as to_json, migrate as show

    info = api.server_info(project)
    click.echo(to_json(info) if as_json else show.server(info))
    if not info.running:
        ctx.exit(3)


COMMANDS = (new, manifest, status, plan, history, apply, rollback, resolve, server)
