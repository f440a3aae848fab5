"""``sqlmig compliance report`` (docs/compliance.md)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import common


@click.group()
def compliance() -> None:
    """Reports for auditors, read from the live database.

    \b
    Examples:
      sqlmig compliance report --env production
      sqlmig compliance report --env production --format html --out report.html
    """


@compliance.command("report")
@common(json_output=True)
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md",
              show_default=True, help="Markdown, one HTML page, or the JSON envelope.")
@click.option("--since", default="90d", show_default=True, metavar="PERIOD",
              help="Change control covers this period back from now (e.g. 30d, 12h).")
@click.option("--out", metavar="FILE", help="Write the report to FILE instead of stdout.")
def report(env: str, database_url: str | None, project: str | None, as_json: bool, fmt: str,
           since: str, out: str | None) -> None:
    """Personal-data inventory, retention, access control, change control and
    integrity of one database; reads only (a READ ONLY transaction).

    \b
    Examples:
      sqlmig compliance report --env production --since 30d
      sqlmig compliance report --env production --format json > report.json
      sqlmig compliance report --env production --format html --out report.html
    """
    from .. import api
    from .render import compliance as show
    from .render.envelope import dumps, emit, want

    if fmt == "json" and not out:
        want()
    result = api.compliance_report(project, env, database_url, since=since)
    if out is None:
        emit(result, show.html if fmt == "html" else show.markdown, data=show.data(result))
        return
    # A file gets the report itself (with json: the envelope's result, alone).
    text = {"md": show.markdown, "html": show.html}.get(fmt)
    Path(out).write_text(text(result) if text else dumps(show.data(result)) + "\n",
                         encoding="utf-8")
    emit({"out": out, "format": fmt}, lambda _: show.written(out, fmt))


COMMANDS = (compliance,)
