"""Looking at the schema: ``docs``, ``verify``, ``drift`` and ``snapshot``."""

from __future__ import annotations

import click

from .options import command, common


@command()
@common(json_output=True)
@click.option("--out", metavar="DIR", help="Output directory, relative to the project root "
              "(default: docs.out of the config, else docs/schema); with --format html, "
              "a FILE.html is that one file.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True, help="Markdown pages and diagrams, or one self-contained HTML file.")
@click.option("--coverage", "coverage_only", is_flag=True,
              help="Print comment coverage and every undocumented object; write nothing; "
                   "exit 1 if coverage is below --min-coverage.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files in --out differ "
              "from what would be generated or coverage is below --min-coverage.")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None, metavar="PERCENT",
              help="Minimum comment coverage for --check and --coverage (default: "
                   "docs.min_coverage of the config, else 100).")
@click.option("--group-by", type=click.Choice(["tag", "schema", "pattern"]), default=None,
              help="Group tables by the `@group NAME` comment tag (default), schema or pattern.")
@click.option("--group-pattern", "patterns", multiple=True, metavar="GROUP=GLOB[,GLOB]",
              help="Table-name patterns of a group (repeatable; implies --group-by pattern).")
@click.option("--stats/--no-stats", default=None,
              help="Show row estimates and sizes (default on; they change with the data).")
@click.option("--require-classification", is_flag=True,
              help="With --check or --coverage: exit 1 unless every column of a table marked "
                   "@contains-personal-data has @pii KIND or @pii none, and every tag is valid.")
def docs(env: str, database_url: str | None, project: str | None, as_json: bool, out: str | None,
         fmt: str, coverage_only: bool, check: bool, min_coverage: float | None,
         group_by: str | None, patterns: tuple[str, ...], stats: bool | None,
         require_classification: bool) -> None:
    """Generate schema documentation and ER diagrams from the live catalog.

    \b
    Examples:
      sqlmig docs                          # Markdown in docs.out (docs/schema)
      sqlmig docs --format html --out schema.html
      sqlmig docs --check                  # in CI: exit 1 if out of date
      sqlmig docs --coverage --require-classification
    """
    from ..docs import build
    from ..errors import SqlmigError
    from .render import schema as show
    from .render.envelope import emit

    result = build.generate_docs(
        project, env, database_url, out=out, format=fmt, group_by=group_by,
        groups=build.parse_patterns(patterns), stats=stats, min_coverage=min_coverage,
        check=check, coverage_only=coverage_only,
        require_classification=require_classification,
    )
    failed: SqlmigError | None = None
    if check or coverage_only:  # the same minimum for both
        try:
            build.raise_for(result)
        except SqlmigError as exc:
            failed = exc
    emit(result, show.docs, error=failed)


@command()
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
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Prove this many consecutive ranges of migrations at once, each on a "
                   "scratch database of its own (one at a time when the files create roles, "
                   "databases or tablespaces, which the whole server shares).")
def verify(env: str, database_url: str | None, project: str | None, as_json: bool,
           from_version: int | None, to_version: int | None, with_data: bool,
           seed_script: str | None, scale: float, jobs: int) -> None:
    """Prove on a scratch database that every rollback reverses its migration (exit 1 if not).

    \b
    Examples:
      sqlmig verify
      sqlmig verify --jobs 4
      sqlmig verify --from 5 --with-data --scale 0.1
    """
    from ..schema.verify import verify_migrations
    from .render import schema as show
    from .render.envelope import emit
    from .render.progress import elapsed

    with elapsed("verifying rollbacks"):
        result = verify_migrations(project, env, database_url, from_version=from_version,
                                   to_version=to_version, with_data=with_data,
                                   seed_script=seed_script, scale=scale, jobs=jobs)
    emit(result, show.verify, exit_code=0 if result.ok else 1)


@command()
@common(json_output=True)
@click.option("--privileges", is_flag=True, help="Also compare owners and grants.")
@click.option("--no-cache", is_flag=True, help="Replay every migration afresh instead of using "
              "(and keeping) the scratch server's cached template of them.")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "prometheus"]),
              default="human", show_default=True,
              help="Output format (prometheus: for node_exporter's textfile collector).")
def drift(env: str, database_url: str | None, project: str | None, as_json: bool,
          privileges: bool, no_cache: bool, fmt: str) -> None:
    """Report objects added, removed or changed by hand in a database (exit 3 if any).

    \b
    Examples:
      sqlmig drift --env production
      sqlmig drift --privileges --json
      sqlmig drift --env production --format prometheus
    """
    import time

    from ..schema.drift import detect_drift
    from .render import prometheus, schema as show
    from .render.envelope import emit, want

    if fmt == "json":
        want()
    report = detect_drift(project, env, database_url, privileges=privileges, cache=not no_cache)
    human = (lambda r: prometheus.drift(r, time.time())) if fmt == "prometheus" else show.drift
    emit(report, human, exit_code=3 if report.drifted else 0)


@command()
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
    """Print or write the database's normalized schema snapshot, or --check a committed one.

    \b
    Examples:
      sqlmig snapshot --out schema.txt
      sqlmig snapshot --out schema.txt --check   # in CI
    """
    from pathlib import Path

    from .. import api
    from ..errors import CheckFailed
    from ..schema.snapshot import Snapshot
    from .render import schema as show
    from .render.envelope import emit, wanted

    result = api.snapshot(project, env, database_url, out=out, check=check, fmt=fmt,
                          privileges=privileges)
    if isinstance(result, Snapshot):
        if wanted():  # the snapshot's own JSON document is the result
            import json

            emit(result, data=json.loads(result.to_json()))
        else:
            click.echo(result.to_json() if fmt == "json" else result.to_text(), nl=False)
        return
    emit(result, show.snapshot_file, error=None if result.ok else
         CheckFailed(f"{out} is out of date.", path=Path(result.path)))


COMMANDS = (docs, verify, drift, snapshot)
