"""CLI commands that look at a database or the files without migrating:
``check``, ``lint``, ``docs``, ``verify``, ``drift`` and ``snapshot``."""

from __future__ import annotations

import sys

import click

from .main import cli, common, on_fleet, project_option, target_options


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

    from ..checks import records as check_records, report as check_report, files as checks

    color = not os.environ.get("NO_COLOR")
    if on_fleet(project, env, database_url, target=target, targets_like=targets_like):
        from ..fleet import run as fleet, report as fleet_report
        from ..core.results import dumps

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
    from ..linter import explain as explain_rule
    from ..linter import formats
    from ..linter import lint as run_lint

    if explain is not None:
        click.echo(formats.explain_text(explain_rule(explain).id))
        return
    report = run_lint(project, env, database_url, paths=list(files) or None)
    click.echo(formats.render(report, fmt, color=fmt == "human" and sys.stdout.isatty()))
    if report.failed(strict):
        sys.exit(1)



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
    from ..docs import build as docs_mod
    from ..core.results import dumps

    result = docs_mod.generate_docs(
        project, env, database_url, out=out, format=fmt, group_by=group_by,
        groups=docs_mod.parse_patterns(patterns), stats=stats, min_coverage=min_coverage,
        check=check, coverage_only=coverage_only,
    )
    click.echo(dumps(result) if as_json else docs_mod.report_text(result))
    if check or (coverage_only and min_coverage is not None):
        docs_mod.raise_for(result)



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
    from ..schema import verify as verify_mod
    from ..core.results import dumps

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
    from ..schema import drift as drift_mod
    from ..core.results import dumps

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

    from ..schema import snapshot as snap_mod
    from ..errors import CheckFailed, ConfigError
    from ..core.project import Project
    from ..core.results import dumps

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
