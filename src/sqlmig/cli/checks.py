"""Checking without migrating: ``check`` (the integrity checks in sql/checks)
and ``lint`` (the migration files)."""

from __future__ import annotations

import sys

import click

from .options import command, common, project_option, target_options


@command("check")
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
    from pathlib import Path

    from .. import api
    from ..fleet.report import FleetCheckResult
    from .render import as_json as to_json, checks as show, fleet

    if show_history:
        return _history(project, env, database_url, fmt, limit, target, targets_like, on_fail)
    report = api.check_env(project, env, database_url, jobs=jobs, only=only, tags=tags,
                           exclude=exclude, builtin=builtin, record=record, timeout=timeout,
                           on_fail=on_fail, strict=strict, target=target,
                           targets_like=targets_like,
                           one_database={"--output": output, "--format junit": fmt == "junit"})
    if isinstance(report, FleetCheckResult):
        click.echo(to_json(report) if fmt == "json" else fleet.check(report))
        ok = report.ok
    elif output is None:
        click.echo(show.document(report, fmt, strict=strict,
                                 color=show.color() and fmt == "human"))
        ok = report.ok(strict)
    else:  # the file gets the report without colours, the terminal its summary
        Path(output).write_text(show.document(report, fmt, strict=strict) + "\n",
                                encoding="utf-8")
        click.echo(show.written(report, output, strict=strict, color=show.color()))
        ok = report.ok(strict)
    if not ok:
        sys.exit(1)


def _history(project: str | None, env: str, database_url: str | None, fmt: str, limit: int,
             target: tuple[str, ...], targets_like: tuple[str, ...],
             on_fail: str | None) -> None:
    """``check --history``: the recorded runs instead of a new one."""
    from .. import api
    from ..checks.records import history_json
    from .render import checks as show

    if fmt == "junit":
        raise click.UsageError("--history prints human text or --format json.")
    runs = api.check_history(project, env, database_url, limit=limit, target=target,
                             targets_like=targets_like, one_database={"--on-fail": on_fail})
    click.echo(history_json(runs) if fmt == "json" else show.history(runs, color=show.color()))


@command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--env", "-e", default=None, envvar="SQLMIG_ENV",
              help="Lint the pending migrations of this environment, with its real table sizes.")
@click.option("--database-url", envvar="SQLMIG_DATABASE_URL", metavar="URL",
              help="Database URL; overrides the environment's config (implies --env dev).")
@project_option
@click.option("--format", "fmt", type=click.Choice(["human", "json", "sarif", "github"]),
              default="human", show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--changed", is_flag=False, flag_value="", default=None, metavar="[BASE]",
              help="Lint only the files changed against git BASE (default: the merge base of "
                   "HEAD with origin/main, else main, else master).")
@click.option("--explain", "explain", metavar="RULE", help="Explain a rule and exit.")
def lint(files: tuple[str, ...], env: str | None, database_url: str | None, project: str | None,
         fmt: str, strict: bool, changed: str | None, explain: str | None) -> None:
    """Check migrations for unsafe locking, data loss and risky patterns (exit 1 on errors)."""
    from ..linter import lint as run_lint
    from .render import lint as show

    if explain is not None:
        click.echo(show.rule(explain))
        return
    report = run_lint(project, env, database_url, paths=list(files) or None,
                      changed=False if changed is None else (changed or True))
    click.echo(show.document(report, fmt, color=show.color(fmt)))
    if report.failed(strict):
        sys.exit(1)


COMMANDS = (check_command, lint)
