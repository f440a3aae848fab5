"""``sqlmig docs``: browsable schema documentation from the live catalog.

The catalog (:mod:`sqlmig.schema.catalog`) is read once into a
:class:`~.model.Model` (tables grouped, comment coverage measured); every
output file is rendered in memory (:mod:`.markdown`, :mod:`.html`,
:mod:`.erd`) before anything is written, so ``--check`` compares
exactly what a write would produce.  Output is sorted and carries no
timestamps: regenerating from the same schema gives identical bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import Coverage, Model, build_model
from .settings import GROUP_BY, DocsSettings
from ..errors import CheckFailed, ConfigError

if TYPE_CHECKING:
    from ..core.project import Project

FORMATS = ("markdown", "html")
# The files and directories a markdown run owns inside --out (stale ones are removed).
MARKDOWN_FILES = ("README.md", "diagrams.md", "functions.md", "types.md", "views.md")
MARKDOWN_DIRS = ("tables", "diagrams")
HTML_FILE = "index.html"


@dataclass(frozen=True)
class DocsResult:
    """What ``sqlmig docs`` generated, wrote or found different."""

    out: Path
    format: str
    mode: str  # "write", "check" or "coverage"
    coverage: Coverage
    min_coverage: float
    files: tuple[str, ...]  # every file generated, relative to out
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    differences: tuple[str, ...] = ()  # --check: "changed: x", "missing: y", "stale: z"
    svg_skipped: str | None = None
    queries: int = 0  # catalog queries run
    # Classification tag problems (schema/classification.py), and whether
    # --require-classification makes them fail --check and --coverage.
    classification: tuple[str, ...] = ()
    require_classification: bool = False

    @property
    def coverage_ok(self) -> bool:
        return self.coverage.percent + 1e-9 >= self.min_coverage

    @property
    def ok(self) -> bool:
        return not self.differences and (self.mode == "write" or (
            self.coverage_ok and not (self.require_classification and self.classification)))


def render(model: Model, fmt: str, html_file: str = HTML_FILE) -> dict[str, str]:
    """Every output file, relative path -> text."""
    if fmt == "html":
        from . import html as docs_html

        return {html_file: docs_html.page(model)}
    from . import markdown as docs_markdown

    return docs_markdown.files(model)


# -- the operation ---------------------------------------------------------------------


def generate_docs(
    project: Project | Path | str | None = None,
    env: str = "dev",
    database_url: str | None = None,
    *,
    out: Path | str | None = None,
    format: str = "markdown",
    group_by: str | None = None,
    groups: tuple[tuple[str, tuple[str, ...]], ...] | None = None,
    stats: bool | None = None,
    min_coverage: float | None = None,
    check: bool = False,
    coverage_only: bool = False,
    require_classification: bool = False,
) -> DocsResult:
    """Generate (or ``check``, or only measure coverage of) the schema docs of ``env``.

    Options left as None come from the environment's ``docs:`` config, then
    the defaults; a relative ``out`` is relative to the project root.
    ``check`` writes nothing and reports differences; the caller decides
    what a difference means (the CLI exits 1 through :func:`raise_for`).
    """
    from . import history as docs_history, erd
    from ..schema.catalog import introspect
    from ..core.session import Session

    if format not in FORMATS:
        raise ConfigError(f"unknown docs format {format!r}: use markdown or html.")
    with Session(project, env, database_url) as s:
        base = DocsSettings.of(s.config)
        settings = DocsSettings(
            out=str(out) if out is not None else base.out,
            group_by=group_by or ("pattern" if groups else base.group_by),
            groups=groups if groups else base.groups,
            min_coverage=base.min_coverage if min_coverage is None else float(min_coverage),
            stats=base.stats if stats is None else stats,
        )
        if settings.group_by not in GROUP_BY:
            raise ConfigError(f"unknown --group-by {settings.group_by!r}: use tag, schema or pattern.")
        if settings.group_by == "pattern" and not settings.groups:
            raise ConfigError("--group-by pattern needs patterns: pass --group-pattern GROUP=GLOB "
                              "or set docs: groups: in the environment's config.")
        catalog = introspect(s.conn, ledger_schema=s.ledger_schema, stats=settings.stats)
        has_ledger = s.ledger.exists(s.conn)
        applied = {r.version for r in s.ledger.rows(s.conn) if r.done}
        histories = docs_history.scan(s.project.migrations, applied) if has_ledger else {}
        root = s.project.root
    out_dir = Path(settings.out)
    out_dir = out_dir if out_dir.is_absolute() else root / out_dir
    html_file = HTML_FILE
    if format == "html" and out_dir.suffix.lower() in (".html", ".htm"):
        out_dir, html_file = out_dir.parent, out_dir.name  # --out schema.html: that one file
    program = erd.dot_program()
    model = build_model(catalog, settings, histories, has_ledger, program)
    if program is None:
        model = replace(model, svg_present=frozenset(
            p.stem for p in (out_dir / "diagrams").glob("*.svg")))
    from ..schema import classification

    tags: dict[str, Any] = {"classification": tuple(classification.findings(
                catalog, require=require_classification)),
            "require_classification": require_classification}
    if coverage_only:
        return DocsResult(out_dir, format, "coverage", model.coverage, settings.min_coverage,
                          (), queries=catalog.queries, **tags)
    files = render(model, format, html_file)
    skipped = erd.SVG_SKIPPED if program is None else None
    if check:
        diffs = compare(out_dir, files, format, ignore_svg=program is None, html_file=html_file)
        return DocsResult(out_dir, format, "check", model.coverage, settings.min_coverage,
                          tuple(sorted(files)), differences=diffs, svg_skipped=skipped,
                          queries=catalog.queries, **tags)
    written, removed = write(out_dir, files, format, keep_svg=program is None,
                             html_file=html_file)
    if skipped and any(rel.endswith(".dot") for rel in written):
        skipped = f"{skipped} {erd.DOT_WRITTEN}"
    return DocsResult(out_dir, format, "write", model.coverage, settings.min_coverage,
                      tuple(sorted(files)), written=written, removed=removed,
                      svg_skipped=skipped, queries=catalog.queries)


def raise_for(result: DocsResult) -> None:
    """Raise :class:`CheckFailed` naming every difference and the coverage shortfall."""
    if result.ok:
        return
    problems = list(result.differences)
    if not result.coverage_ok:
        c = result.coverage
        problems.append(
            f"coverage {c.percent:.1f}% is below the minimum {result.min_coverage:g}% "
            f"(tables {c.table_percent:.1f}%, columns {c.column_percent:.1f}%); undocumented: "
            + ", ".join(c.undocumented[:20]) + (" ..." if len(c.undocumented) > 20 else "")
        )
    if result.require_classification:
        problems += list(result.classification)
    what = ("the schema docs are out of date" if result.differences
            else "documentation coverage is too low" if not result.coverage_ok
            else "classification tags are missing or wrong")
    raise CheckFailed(
        f"{what} in {result.out}. Add the missing COMMENTs and regenerate with "
        "`sqlmig docs`, then commit the result.",
        path=result.out, problems=problems,
    )


def managed(out: Path, fmt: str, ignore_svg: bool, html_file: str = HTML_FILE) -> set[str]:
    """The files already in ``out`` that a run in ``fmt`` owns."""
    if not out.is_dir():
        return set()
    if fmt == "html":
        return {html_file} if (out / html_file).is_file() else set()
    found = {name for name in MARKDOWN_FILES if (out / name).is_file()}
    for d in MARKDOWN_DIRS:
        if (out / d).is_dir():
            found |= {p.relative_to(out).as_posix() for p in (out / d).rglob("*") if p.is_file()}
    return {f for f in found if not (ignore_svg and f.endswith(".svg"))}


def compare(out: Path, files: dict[str, str], fmt: str, *, ignore_svg: bool,
            html_file: str = HTML_FILE) -> tuple[str, ...]:
    diffs = []
    for rel in sorted(files):
        path = out / rel
        if not path.is_file():
            diffs.append(f"missing: {rel}")
        elif path.read_bytes() != files[rel].encode("utf-8"):
            diffs.append(f"changed: {rel}")
    diffs += [f"stale: {rel}"
              for rel in sorted(managed(out, fmt, ignore_svg, html_file) - set(files))]
    return tuple(diffs)


def write(out: Path, files: dict[str, str], fmt: str, *, keep_svg: bool,
          html_file: str = HTML_FILE) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write changed files, remove stale owned ones; returns (written, removed)."""
    written = []
    for rel in sorted(files):
        path = out / rel
        data = files[rel].encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(rel)
    removed = sorted(managed(out, fmt, ignore_svg=keep_svg, html_file=html_file) - set(files))
    for rel in removed:
        (out / rel).unlink()
    return tuple(written), tuple(removed)


def parse_patterns(values: tuple[str, ...] | list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``--group-pattern GROUP=GLOB[,GLOB]`` options, in order."""
    groups: dict[str, list[str]] = {}
    for value in values:
        group, sep, globs = value.partition("=")
        parts = [g.strip() for g in globs.split(",") if g.strip()]
        if not sep or not group.strip() or not parts:
            raise ConfigError(f"bad --group-pattern {value!r}: use GROUP=GLOB[,GLOB...], "
                              "e.g. --group-pattern 'audit=*_audit,auth_*'.")
        groups.setdefault(group.strip(), []).extend(parts)
    return tuple((g, tuple(p)) for g, p in groups.items())
