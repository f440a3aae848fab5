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

from .errors import SqlmigError

F = TypeVar("F", bound=Callable[..., Any])


class SqlmigGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        _log_to_stderr()
        try:
            return super().invoke(ctx)
        except SqlmigError as exc:
            from .connection import redact

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
            from .connection import redact

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
    from .project import Project

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
    from . import api

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
    from . import api
    from .errors import ManifestMismatch
    from .results import dumps

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
    from . import api
    from . import output

    if on_fleet(project, env, database_url, target=target, targets_like=targets_like, jobs=jobs):
        from . import fleet, fleet_report

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
    from . import api
    from . import output

    p = api.plan(project, env, database_url, to=to, allow_out_of_order=allow_out_of_order,
                 lint=True)
    click.echo(output.plan_json(p) if as_json else output.plan_text(p))


@cli.command()
@common(json_output=True)
@click.option("--limit", type=int, default=None, help="Show at most this many events.")
def history(env: str, database_url: str | None, project: str | None, as_json: bool,
            limit: int | None) -> None:
    """The ledger's history (applies, rollbacks, failures, resolves), newest first."""
    from . import api
    from . import output

    entries = api.history(project, env, database_url, limit=limit)
    click.echo(output.history_json(entries) if as_json else output.history_text(entries))


@cli.command("check")
@common()
@click.option("--only", multiple=True, metavar="NAME",
              help="Run only these checks (file name without .sql; globs, commas, repeatable).")
@click.option("--tag", "tags", multiple=True, metavar="TAG",
              help="Run only checks carrying one of these tags (repeatable).")
@click.option("--exclude", multiple=True, metavar="NAME|TAG",
              help="Skip checks by name, glob or tag (repeatable).")
@click.option("--builtin", is_flag=True,
              help="Also run sqlmig's generic checks (foreign key indexes, invalid indexes, "
                   "NOT VALID constraints, primary keys, sequences, ledger checksums).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=4, show_default=True,
              help="Connections running checks in parallel, all on one snapshot.")
@click.option("--timeout", metavar="DURATION",
              help="Statement timeout of checks without `-- sqlmig: timeout` (default 60s).")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "junit"]),
              default="human", show_default=True, help="Report format.")
@click.option("--output", "-o", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write the report to FILE and print only the summary.")
@click.option("--strict", is_flag=True, help="Exit 1 on WARN too.")
@click.option("--record", is_flag=True,
              help="Store the results in sqlmig_check_runs and sqlmig_check_results.")
@click.option("--on-fail", metavar="COMMAND",
              help="On FAIL or ERROR, run COMMAND (shell) with the JSON report on stdin.")
@click.option("--history", "show_history", is_flag=True,
              help="Show the last recorded runs and what changed; run no check.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="With --history: how many runs to show.")
@target_options
def check_command(env: str, database_url: str | None, project: str | None, only: tuple[str, ...],
                  tags: tuple[str, ...], exclude: tuple[str, ...], builtin: bool, jobs: int,
                  timeout: str | None, fmt: str, output: str | None, strict: bool,
                  record: bool, on_fail: str | None, show_history: bool, limit: int,
                  target: tuple[str, ...], targets_like: tuple[str, ...]) -> None:
    """Run the integrity checks in sql/checks, read-only, on one snapshot.

    Exit 0 when nothing is FAIL or ERROR (with --strict: or WARN), 1 otherwise.
    """
    import os

    from . import check_records, check_report, checks

    color = not os.environ.get("NO_COLOR")
    if on_fleet(project, env, database_url, target=target, targets_like=targets_like):
        from . import fleet, fleet_report
        from .results import dumps

        for name, value in (("--on-fail", on_fail), ("--history", show_history),
                            ("--output", output), ("--format junit", fmt == "junit")):
            if value:
                raise click.UsageError(f"{name} works on one database; on a fleet pass "
                                       "--database-url (docs/fleets.md).")
        fres = fleet.check(project, env, jobs=jobs, target=target, targets_like=targets_like,
                           only=only, tags=tags, exclude=exclude, builtin=builtin,
                           timeout=timeout, strict=strict, record=record)
        click.echo(dumps(fres) if fmt == "json" else fleet_report.check_text(fres))
        if not fres.ok:
            sys.exit(1)
        return
    if show_history:
        if fmt == "junit":
            raise click.UsageError("--history prints human text or --format json.")
        runs = checks.check_history(project, env, database_url, limit=limit)
        click.echo(check_records.history_json(runs) if fmt == "json"
                   else check_records.history_text(runs, color=color))
        return
    report = checks.check(project, env, database_url, jobs=jobs, only=only, tags=tags,
                          exclude=exclude, builtin=builtin, record=record, timeout=timeout,
                          on_fail=on_fail, strict=strict)
    click.echo(check_report.for_cli(report, fmt, output=output, strict=strict,
                                    color=color and (fmt == "human" or output is not None)))
    if not report.ok(strict):
        sys.exit(1)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--env", "-e", default=None, envvar="SQLMIG_ENV",
              help="Lint the pending migrations of this environment, with its real table sizes.")
@click.option("--database-url", envvar="SQLMIG_DATABASE_URL", metavar="URL",
              help="Database URL; overrides the environment's config (implies --env dev).")
@project_option
@click.option("--format", "fmt", type=click.Choice(["human", "json", "sarif", "github"]),
              default="human", show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--explain", "explain", metavar="RULE", help="Explain a rule and exit.")
def lint(files: tuple[str, ...], env: str | None, database_url: str | None, project: str | None,
         fmt: str, strict: bool, explain: str | None) -> None:
    """Check migrations for unsafe locking, data loss and risky patterns (exit 1 on errors)."""
    from .linter import explain as explain_rule
    from .linter import formats
    from .linter import lint as run_lint

    if explain is not None:
        click.echo(formats.explain_text(explain_rule(explain).id))
        return
    report = run_lint(project, env, database_url, paths=list(files) or None)
    click.echo(formats.render(report, fmt, color=fmt == "human" and sys.stdout.isatty()))
    if report.failed(strict):
        sys.exit(1)


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
    from . import api
    from . import output
    from .policy import announce, prompt

    announce(env, emergency, reason)
    if on_fleet(project, env, database_url, target=target, targets_like=targets_like, jobs=jobs,
                fail_fast=fail_fast, canary=canary, wave_size=wave_size):
        from . import fleet, fleet_report

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
    from . import api
    from . import output
    from .policy import announce, prompt

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
    from . import api
    from . import output

    result = api.resolve(version, outcome, project, env, database_url, lock_wait=lock_wait)
    click.echo(output.as_json(result) if as_json else f"{result.name}: recorded as {result.outcome}")


# -- approvals and audit (docs/environments.md) ------------------------------------------


@cli.command()
@common(json_output=True)
@click.option("--reason", metavar="TEXT", help="Why this change: shown to the approver.")
@click.option("--to", "to", type=int, metavar="VERSION", help="Request apply up to this version.")
@click.option("--rollback", "rollback_", is_flag=True, help="Request a rollback instead of an apply.")
@click.option("--steps", type=int, default=None, help="With --rollback: how many migrations.")
def request(env: str, database_url: str | None, project: str | None, as_json: bool,
            reason: str | None, to: int | None, rollback_: bool, steps: int | None) -> None:
    """Ask for approval of the current plan (recorded with its hash and risks)."""
    from . import api
    from . import output
    from .approval import render_request

    req = api.request(project, env, database_url, reason=reason, to=to, rollback=rollback_,
                      steps=steps)
    click.echo(output.as_json(req) if as_json else render_request(req))


@cli.command()
@common(json_output=True)
@click.argument("request_id", type=int)
@click.option("--comment", metavar="TEXT", help="Recorded with the approval.")
def approve(env: str, database_url: str | None, project: str | None, as_json: bool,
            request_id: int, comment: str | None) -> None:
    """Approve a request as yourself: a different database user than the requester."""
    from . import api
    from . import output
    from .approval import render_request

    req = api.approve(request_id, project, env, database_url, comment=comment)
    click.echo(output.as_json(req) if as_json else render_request(req))


@cli.command()
@common(json_output=True)
@click.argument("request_id", type=int)
@click.option("--comment", metavar="TEXT", help="Why: recorded with the rejection.")
def reject(env: str, database_url: str | None, project: str | None, as_json: bool,
           request_id: int, comment: str | None) -> None:
    """Reject a pending or approved request."""
    from . import api
    from . import output
    from .approval import render_request

    req = api.reject(request_id, project, env, database_url, comment=comment)
    click.echo(output.as_json(req) if as_json else render_request(req))


@cli.command()
@common(json_output=True)
@click.option("--state", type=click.Choice(["pending", "approved", "expired", "used", "rejected"]),
              help="Only requests in this state.")
def approvals(env: str, database_url: str | None, project: str | None, as_json: bool,
              state: str | None) -> None:
    """List approval requests and their state, newest first."""
    from . import api
    from . import output
    from .approval import render_list

    rows = api.approvals(project, env, database_url, state=state)
    click.echo(output.as_json(rows) if as_json else render_list(rows))


@cli.command()
@common(json_output=True)
@click.option("--since", metavar="WHEN", help="ISO date/time (2026-03-01, 2026-03-01T02:00Z) "
              "or an age (90min, 12h, 7d).")
@click.option("--action", type=click.Choice(["apply", "approve", "backup", "override", "reject",
                                             "request", "resolve", "restore", "rollback"]))
@click.option("--outcome", type=click.Choice(["ok", "failed", "refused"]))
@click.option("--user", metavar="NAME", help="Database or OS user.")
@click.option("--limit", type=int, default=None, help="Show at most this many entries.")
def audit(env: str, database_url: str | None, project: str | None, as_json: bool,
          since: str | None, action: str | None, outcome: str | None, user: str | None,
          limit: int | None) -> None:
    """The append-only audit log, newest first."""
    from . import api
    from .audit import parse_since, render_json, render_text

    rows = api.audit_log(project, env, database_url, since=parse_since(since), action=action,
                     outcome=outcome, user=user, limit=limit)
    click.echo(render_json(rows) if as_json else render_text(rows))


# -- documentation -------------------------------------------------------------------


@cli.command()
@common(json_output=True)
@click.option("--out", metavar="DIR", help="Output directory, relative to the project root "
              "(default: docs.out of the config, else docs/schema).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True, help="Markdown pages and diagrams, or one self-contained HTML file.")
@click.option("--coverage", "coverage_only", is_flag=True,
              help="Print comment coverage and every undocumented object; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files in --out differ "
              "from what would be generated or coverage is below --min-coverage.")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None, metavar="PERCENT",
              help="Minimum comment coverage for --check and --coverage (default 100).")
@click.option("--group-by", type=click.Choice(["tag", "schema", "pattern"]), default=None,
              help="Group tables by the `@group NAME` comment tag (default), schema or pattern.")
@click.option("--group-pattern", "patterns", multiple=True, metavar="GROUP=GLOB[,GLOB]",
              help="Table-name patterns of a group (repeatable; implies --group-by pattern).")
@click.option("--stats/--no-stats", default=None,
              help="Show row estimates and sizes (default on; they change with the data).")
def docs(env: str, database_url: str | None, project: str | None, as_json: bool, out: str | None,
         fmt: str, coverage_only: bool, check: bool, min_coverage: float | None,
         group_by: str | None, patterns: tuple[str, ...], stats: bool | None) -> None:
    """Generate schema documentation and ER diagrams from the live catalog."""
    from . import docs as docs_mod
    from .results import dumps

    result = docs_mod.generate_docs(
        project, env, database_url, out=out, format=fmt, group_by=group_by,
        groups=docs_mod.parse_patterns(patterns), stats=stats, min_coverage=min_coverage,
        check=check, coverage_only=coverage_only,
    )
    click.echo(dumps(result) if as_json else docs_mod.report_text(result))
    if check or (coverage_only and min_coverage is not None):
        docs_mod.raise_for(result)


# -- backups (docs/backups.md) -----------------------------------------------------------


@cli.command()
@common(json_output=True)
@click.option("--verify", type=click.Choice(["list", "restore"]), default="list", show_default=True,
              help="list: checksum and pg_restore --list; restore: also restore into a scratch "
                   "database and compare row counts and schema.")
def backup(env: str, database_url: str | None, project: str | None, as_json: bool,
           verify: str) -> None:
    """Make and verify a pg_dump -Fc backup of the environment's database."""
    from . import api
    from . import output
    from .backup import render_backup

    result = api.create_backup(project, env, database_url, verify=verify)
    click.echo(output.as_json(result) if as_json else render_backup(result))


@cli.command()
@common(json_output=True)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--into", metavar="NEW_DB", help="Restore into this new database instead (safe).")
@change_options
def restore(env: str, database_url: str | None, project: str | None, as_json: bool, file: str,
            into: str | None, yes: bool, emergency: bool, reason: str | None) -> None:
    """Restore a backup (checksum verified first) in place, or --into a new database."""
    from . import api
    from . import output
    from .policy import announce, ask
    from .restore import render_restore

    announce(env, emergency, reason)
    result = api.restore_backup(file, project, env, database_url, into=into, yes=yes,
                                confirm=ask, emergency=emergency, reason=reason)
    click.echo(output.as_json(result) if as_json else render_restore(result))


# -- verification and drift (sqlmig.verify, sqlmig.drift, sqlmig.snapshot) ----------------


@cli.command()
@common(json_output=True)
@click.option("--from", "from_version", type=int, metavar="VERSION",
              help="First migration to verify (earlier ones are only applied).")
@click.option("--to", "to_version", type=int, metavar="VERSION", help="Last migration to verify.")
@click.option("--with-data", is_flag=True,
              help="Also load seed data and flag rollbacks that lose rows.")
@click.option("--seed-script", metavar="FILE",
              help="Seed data for --with-data: a .sql file or a .py file defining "
                   "seed(conninfo, ...) (default: seed_script of the config, else demo/seed.py).")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=0.01,
              show_default=True, help="scale= passed to a Python seed function.")
def verify(env: str, database_url: str | None, project: str | None, as_json: bool,
           from_version: int | None, to_version: int | None, with_data: bool,
           seed_script: str | None, scale: float) -> None:
    """Prove on a scratch database that every rollback reverses its migration (exit 1 if not)."""
    from . import verify as verify_mod
    from .results import dumps

    result = verify_mod.verify_migrations(project, env, database_url, from_version=from_version,
                            to_version=to_version, with_data=with_data,
                            seed_script=seed_script, scale=scale)
    click.echo(dumps(result) if as_json else verify_mod.report_text(result))
    if not result.ok:
        sys.exit(1)


@cli.command()
@common(json_output=True)
@click.option("--privileges", is_flag=True, help="Also compare owners and grants.")
def drift(env: str, database_url: str | None, project: str | None, as_json: bool,
          privileges: bool) -> None:
    """Report objects added, removed or changed by hand in a database (exit 3 if any)."""
    from . import drift as drift_mod
    from .results import dumps

    report = drift_mod.detect_drift(project, env, database_url, privileges=privileges)
    click.echo(dumps(report) if as_json else drift_mod.report_text(report))
    if report.drifted:
        sys.exit(3)


@cli.command()
@common(json_output=True)
@click.option("--out", metavar="FILE", help="Write the snapshot to FILE (relative to the project "
              "root; JSON when it ends in .json) instead of printing it.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if --out FILE differs from the "
              "database, naming every difference.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default=None,
              help="Output form (default: from the file name, else text).")
@click.option("--privileges", is_flag=True, help="Include owners and grants.")
def snapshot(env: str, database_url: str | None, project: str | None, as_json: bool,
             out: str | None, check: bool, fmt: str | None, privileges: bool) -> None:
    """Print or write the database's normalized schema snapshot, or --check a committed one."""
    from pathlib import Path

    from . import snapshot as snap_mod
    from .errors import CheckFailed, ConfigError
    from .project import Project
    from .results import dumps

    if check and not out:
        raise ConfigError("--check needs --out FILE: the committed snapshot to compare with.")
    snap = snap_mod.schema_snapshot(project, env, database_url, privileges=privileges)
    if out is None:
        click.echo(snap.to_json() if fmt == "json" else snap.to_text(), nl=False)
        return
    path = Project.find(project).root / Path(out)
    result = (snap_mod.check_file if check else snap_mod.save)(snap, path, fmt)
    click.echo(dumps(result) if as_json else snap_mod.report_text(result))
    if not result.ok:
        raise CheckFailed(f"{out} is out of date.", path=path)


# -- embedded server -------------------------------------------------------------------


@cli.group()
def server() -> None:
    """Manage the embedded PostgreSQL server (database_url: embedded)."""


def _server_project(project: str | None) -> Any:
    from .project import Project

    return Project.find(project)


@server.command("start")
@project_option
def server_start(project: str | None) -> None:
    """Start the project's embedded server (or reuse the running one)."""
    from . import embedded

    root = _server_project(project).root
    url = embedded.url_for(root)
    click.echo(f"running: {url}")


@server.command("stop")
@project_option
def server_stop(project: str | None) -> None:
    """Stop the project's embedded server."""
    from . import embedded

    root = _server_project(project).root
    was = embedded.info(root).running
    embedded.stop(root)
    click.echo("stopped" if was else "not running")


@server.command("status")
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def server_status(project: str | None, as_json: bool) -> None:
    """Is the project's embedded server running, and where."""
    from . import embedded
    from . import output

    info = embedded.info(_server_project(project).root)
    if as_json:
        click.echo(output.as_json(info))
    elif info.running:
        click.echo(f"running: pid {info.pid}, data {info.data_dir}, url {info.url()}")
    else:
        click.echo(f"not running (data directory {info.data_dir})")


def main() -> None:
    cli(prog_name="sqlmig")


if __name__ == "__main__":  # pragma: no cover
    main()

