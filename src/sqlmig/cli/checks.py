"""Checking without migrating: ``check`` (the integrity checks in sql/checks)
and ``lint`` (the migration files)."""

from __future__ import annotations

import click

from .options import command, common, json_option, project_option, target_options


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
@click.option("--format", "fmt", type=click.Choice(["human", "json", "junit", "prometheus"]),
              default="human", show_default=True,
              help="Report format (prometheus: for node_exporter's textfile collector).")
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
@json_option
def check_command(env: str, database_url: str | None, project: str | None, only: tuple[str, ...],
                  tags: tuple[str, ...], exclude: tuple[str, ...], builtin: bool, jobs: int,
                  timeout: str | None, fmt: str, output: str | None, strict: bool,
                  record: bool, on_fail: str | None, show_history: bool, limit: int,
                  target: tuple[str, ...], targets_like: tuple[str, ...], as_json: bool) -> None:
    """Run the integrity checks in sql/checks, read-only, on one snapshot.

    Exit 0 when nothing is FAIL or ERROR (with --strict: or WARN), 1 otherwise.

    \b
    Examples:
      sqlmig check --builtin
      sqlmig check --env production --tag billing --format junit -o checks.xml
    """
    from pathlib import Path

    from .. import api
    from ..checks.report import CheckReport, to_dict
    from ..fleet.report import FleetCheckResult
    from .render import checks as show, fleet
    from .render.envelope import emit, want

    if fmt == "json" and output is None:  # --format json is --json
        want()
    if show_history:
        return _history(project, env, database_url, fmt, limit, target, targets_like, on_fail)
    report = api.check_env(project, env, database_url, jobs=jobs, only=only, tags=tags,
                           exclude=exclude, builtin=builtin, record=record, timeout=timeout,
                           on_fail=on_fail, strict=strict, target=target,
                           targets_like=targets_like,
                           one_database={"--output": output, "--format junit": fmt == "junit",
                                         "--format prometheus": fmt == "prometheus"})
    if isinstance(report, FleetCheckResult):
        emit(report, fleet.check, exit_code=0 if report.ok else 1)
        return
    code = 0 if report.ok(strict) else 1

    def document(r: CheckReport, color: bool = False) -> str:
        if fmt == "prometheus":
            from .render import prometheus

            return prometheus.check(r, strict=strict)
        return show.document(r, fmt, strict=strict, color=color)
    if output is None:
        emit(report, lambda r: document(r, color=show.color() and fmt == "human"),
             data=to_dict(report, strict=strict), exit_code=code)
        return
    # the file gets the report without colours, the terminal its summary
    Path(output).write_text(document(report) + "\n", encoding="utf-8")
    emit(report, lambda r: show.written(r, output, strict=strict, color=show.color()),
         data=to_dict(report, strict=strict), exit_code=code)


def _history(project: str | None, env: str, database_url: str | None, fmt: str, limit: int,
             target: tuple[str, ...], targets_like: tuple[str, ...],
             on_fail: str | None) -> None:
    """``check --history``: the recorded runs instead of a new one."""
    import json

    from .. import api
    from ..checks.records import history_json
    from .render import checks as show
    from .render.envelope import emit

    if fmt in ("junit", "prometheus"):
        raise click.UsageError("--history prints human text or --format json.")
    runs = api.check_history(project, env, database_url, limit=limit, target=target,
                             targets_like=targets_like, one_database={"--on-fail": on_fail})
    emit(runs, lambda r: show.history(r, color=show.color()), data=json.loads(history_json(runs)))


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
@json_option
def lint(files: tuple[str, ...], env: str | None, database_url: str | None, project: str | None,
         fmt: str, strict: bool, changed: str | None, explain: str | None,
         as_json: bool) -> None:
    """Check migrations for unsafe locking, data loss and risky patterns (exit 1 on errors).

    \b
    Examples:
      sqlmig lint
      sqlmig lint --changed --format github   # in CI, the files of a branch
      sqlmig lint --explain create-index-not-concurrently
    """
    import json

    from ..linter import explain as explain_rule, formats, lint as run_lint
    from .render import lint as show
    from .render.envelope import emit, want

    if fmt == "json":  # --format json is --json
        want()
    if explain is not None:
        emit(explain_rule(explain), lambda r: show.rule(r.id))
        return
    report = run_lint(project, env, database_url, paths=list(files) or None,
                      changed=False if changed is None else (changed or True))
    emit(report, lambda r: show.document(r, fmt, color=show.color(fmt)),
         data=json.loads(formats.as_json(report)), exit_code=1 if report.failed(strict) else 0)


COMMANDS = (check_command, lint)
