"""Migrating: ``new``, ``manifest``, ``status``, ``plan``, ``apply``,
``rollback``, ``history``, ``resolve`` and the embedded ``server``."""

from __future__ import annotations

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
@click.option("--repeatable", is_flag=True,
              help="Create sql/repeatable/NAME.sql instead: re-applied whenever it changes.")
@project_option
@json_option
def new(description: str, repeatable: bool, project: str | None, as_json: bool) -> None:
    """Create the next-numbered migration and rollback files.

    Write the SQL in both files; then `sqlmig manifest` records the edit
    (an auto_apply environment like dev does that at `apply` for migrations
    it has not applied, with a notice).  With --repeatable, one file in
    sql/repeatable (views, functions, grants, reference data), applied after
    the versioned migrations whenever its contents change.

    \b
    Examples:
      sqlmig new "create users"
      sqlmig new "add email index" --project ../shop
      sqlmig new --repeatable "user views"
    """
    from .. import api
    from .render import migrate as show
    from .render.envelope import emit

    if repeatable:
        emit(api.new_repeatable(description, project), show.new_repeatable)
        return
    emit(api.new(description, project), show.new)


@command()
@click.option("--check", is_flag=True, help="Verify instead of rewriting; exit 3 on any mismatch.")
@project_option
@json_option
def manifest(check: bool, project: str | None, as_json: bool) -> None:
    """Rewrite sql/manifest.sha256, or verify it with --check.

    \b
    Examples:
      sqlmig manifest            # after editing a migration
      sqlmig manifest --check    # in CI: exit 3 on any mismatch
    """
    from .. import api
    from ..errors import ManifestMismatch
    from .render.envelope import emit

    if not check:
        written = api.write_manifest(project)
        emit(written, lambda path: f"wrote {path}", data={"path": written, "written": True})
        return
    report = api.check_manifest(project)
    mismatch = None if report.ok else ManifestMismatch(
        "sql/manifest.sha256 does not match the files. If every change is intended, run "
        "`sqlmig manifest` and commit the result.",
        problems=report.problems(),
    )
    emit(report, None if mismatch else lambda r: f"{r.path.name}: ok", error=mismatch,
         data={"path": report.path, "written": False, "ok": report.ok,
               "problems": report.problems()})


# -- reading -------------------------------------------------------------------


@command()
@common(json_output=True)
@target_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Fleet: targets read in parallel (connections; default 4).")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "prometheus"]),
              default="human", show_default=True,
              help="Output format (prometheus: for node_exporter's textfile collector).")
def status(env: str, database_url: str | None, project: str | None, as_json: bool,
           target: tuple[str, ...], targets_like: tuple[str, ...], jobs: int | None,
           fmt: str) -> None:
    """Applied and pending migrations, and every problem (exit 3 if any).

    On a fleet: how many targets are at each version, which are behind,
    failed or drifted (exit 3 if any has a problem, 1 if one cannot be read).

    \b
    Examples:
      sqlmig status
      sqlmig status --env staging --json
      sqlmig status --env production --format prometheus
    """
    import time

    from .. import api
    from ..core.planner import Status
    from .render import fleet, migrate as show, prometheus
    from .render.envelope import emit, want

    if fmt == "json":
        want()
    st = api.status_env(project, env, database_url, target=target, targets_like=targets_like,
                        jobs=jobs)
    metrics = fmt == "prometheus"
    if isinstance(st, Status):  # one database; the fleet's types load only for a fleet
        emit(st, (lambda s: prometheus.status(s, env, time.time())) if metrics else show.status,
             data=show.status_data(st), exit_code=3 if st.problems else 0)
        return
    emit(st, (lambda s: prometheus.fleet_status(s, time.time())) if metrics else fleet.status,
         data=fleet.status_data(st),
         exit_code=0 if st.ok else 1 if st.named("error") else 3)


@command()
@common(json_output=True)
@click.option("--to", "to", type=int, metavar="VERSION", help="Stop after this version.")
@click.option("--to-tag", metavar="TAG", help="Stop after the version release tag TAG names.")
@click.option("--allow-out-of-order", is_flag=True, help="Include pending versions below the newest applied one.")
def plan(env: str, database_url: str | None, project: str | None, as_json: bool,
         to: int | None, to_tag: str | None, allow_out_of_order: bool) -> None:
    """Show the migrations apply would run, with their SQL; executes nothing.

    \b
    Examples:
      sqlmig plan --env production
      sqlmig plan --to 12 --json
      sqlmig plan --to-tag v1.4.0 --env production
    """
    from .. import api
    from .render import migrate as show
    from .render.envelope import emit

    to = _tagged(to, to_tag, project, env, database_url)
    p = api.plan(project, env, database_url, to=to, allow_out_of_order=allow_out_of_order,
                 lint=True)
    emit(p, show.plan, data=show.plan_data(p))


@command()
@common(json_output=True)
@click.option("--limit", type=int, default=None, help="Show at most this many events.")
def history(env: str, database_url: str | None, project: str | None, as_json: bool,
            limit: int | None) -> None:
    """The ledger's history (applies, rollbacks, failures, resolves), newest first.

    \b
    Examples:
      sqlmig history --limit 20
      sqlmig history --env production --json
    """
    from .. import api
    from .render import migrate as show
    from .render.envelope import emit

    emit(api.history(project, env, database_url, limit=limit), show.history)


# -- changing ----------------------------------------------------------------------


@command()
@common(json_output=True)
@run_options
@change_options
@click.option("--to", "to", type=int, metavar="VERSION", help="Apply up to and including this version.")
@click.option("--to-tag", metavar="TAG", help="Apply up to the version release tag TAG names.")
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
          reason: str | None, to: int | None, to_tag: str | None, single_transaction: bool,
          dry_run: bool, allow_out_of_order: bool, target: tuple[str, ...],
          targets_like: tuple[str, ...], jobs: int | None, fail_fast: bool,
          canary: int | None, wave_size: int | None) -> None:
    """Apply pending migrations, each in its own transaction with its ledger row.

    On a fleet: every target, --jobs at a time, with a final table; exit 1 if
    any target failed.

    \b
    Examples:
      sqlmig apply
      sqlmig apply --env staging --to 12 --dry-run
      sqlmig apply --env tenants --canary 2 --wave-size 50   # a fleet
    """
    from .. import api
    from ..core.results import ApplyResult
    from .render import fleet, governance, migrate as show
    from .render.envelope import emit

    governance.emergency_banner(env, emergency, reason)
    to = _tagged(to, to_tag, project, env, database_url)
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
        emit(result, show.apply)
        return
    if bar is not None:
        bar.finish()
    emit(result, fleet.apply, exit_code=0 if result.ok else 1)


@command()
@common(json_output=True)
@run_options
@change_options
@click.option("--steps", type=int, default=None, help="Roll back this many migrations (default 1).")
@click.option("--to", "to", type=int, metavar="VERSION",
              help="Roll back every migration above this version (0: all).")
@click.option("--to-tag", metavar="TAG",
              help="Roll back every migration above the version release tag TAG names.")
@click.option("--dry-run", is_flag=True, help="Show what would run; change nothing.")
def rollback(env: str, database_url: str | None, project: str | None, as_json: bool,
             lock_wait: float | None, verbose: bool, yes: bool, emergency: bool,
             reason: str | None, steps: int | None, to: int | None, to_tag: str | None,
             dry_run: bool) -> None:
    """Run rollback files, newest first, each in its own transaction.

    \b
    Examples:
      sqlmig rollback             # the newest migration
      sqlmig rollback --to 3 --dry-run
      sqlmig rollback --to-tag v1.3.0
    """
    from .. import api
    from .render import governance, migrate as show
    from .render.envelope import emit

    governance.emergency_banner(env, emergency, reason)
    to = _tagged(to, to_tag, project, env, database_url)
    result = api.rollback(
        project, env, database_url, steps=steps, to=to, dry_run=dry_run, lock_wait=lock_wait,
        progress=None if as_json else show.Progress(verbose),
        yes=yes, confirm=governance.confirmation(env), emergency=emergency, reason=reason,
    )
    emit(result, show.rollback)


@command()
@common(json_output=True)
@click.argument("version", type=int)
@click.option("--as", "outcome", required=True, type=click.Choice(["applied", "rolled-back"]),
              help="What a human made of the failed migration.")
@lock_wait_option
def resolve(env: str, database_url: str | None, project: str | None, as_json: bool,
            version: int, outcome: str, lock_wait: float | None) -> None:
    """Record how a failed no-transaction migration was resolved by hand.

    \b
    Examples:
      sqlmig resolve 7 --as applied
      sqlmig resolve 7 --as rolled-back --env staging
    """
    from .. import api
    from .render import migrate as show
    from .render.envelope import emit

    emit(api.resolve(version, outcome, project, env, database_url, lock_wait=lock_wait),
         show.resolve)


def _tagged(to: int | None, to_tag: str | None, project: str | None, env: str,
            database_url: str | None) -> int | None:
    """--to, or the version --to-tag names (sqlmig.core.tags)."""
    if to_tag is None:
        return to
    if to is not None:
        raise click.UsageError("give --to or --to-tag, not both.")
    from .. import api

    return api.tag_version(to_tag, project, env, database_url)


# -- embedded server -------------------------------------------------------------------


@click.group()
def server() -> None:
    """Manage the embedded PostgreSQL server (database_url: embedded).

    \b
    Examples:
      sqlmig server start
      sqlmig server status --json
      sqlmig server stop
    """


@server.command("start", cls=Command)
@project_option
@json_option
def server_start(project: str | None, as_json: bool) -> None:
    """Start the project's embedded server (or reuse the running one); print its URL.

    \b
    Examples:
      sqlmig server start
      psql "$(sqlmig server start | sed 's/^running: //')"
    """
    from .. import api
    from .render import migrate as show
    from .render.envelope import emit

    result = api.start_server(project)
    if result.started:
        click.echo(show.server_started(result), err=True)
    emit(result, lambda r: f"running: {r.url}")


@server.command("stop", cls=Command)
@project_option
@json_option
def server_stop(project: str | None, as_json: bool) -> None:
    """Stop the project's embedded server.

    \b
    Examples:
      sqlmig server stop
      sqlmig server stop --project ../shop
    """
    from .. import api
    from .render.envelope import emit

    stopped = api.stop_server(project)
    emit(stopped, lambda s: "stopped" if s else "not running", data={"stopped": stopped})


@server.command("status", cls=Command)
@project_option
@json_option
@click.pass_context
def server_status(ctx: click.Context, project: str | None, as_json: bool) -> None:
    """Is the project's embedded server running, and where; exit 3 when it is not.

    \b
    Examples:
      sqlmig server status
      sqlmig server status --json
    """
    from .. import api
    from .render import migrate as show
    from .render.envelope import emit

    info = api.server_info(project)
    emit(info, show.server, exit_code=0 if info.running else 3)


COMMANDS = (new, manifest, status, plan, history, apply, rollback, resolve, server)
