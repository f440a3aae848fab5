"""``sqlmig docs``: browsable schema documentation from the live catalog.

The catalog (:mod:`sqlmig.catalog`) is read once; tables are grouped (by the
``@group NAME`` tag at the end of their comment, by schema, or by table-name
patterns); comment coverage is measured; and every output file is rendered
in memory (:mod:`sqlmig.docs_markdown`, :mod:`sqlmig.docs_html`,
:mod:`sqlmig.erd`) before anything is written, so ``--check`` compares
exactly what a write would produce.  Output is sorted and carries no
timestamps: regenerating from the same schema gives identical bytes.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..schema.catalog import Catalog, Table, View
from .history import History
from ..errors import CheckFailed, ConfigError

if TYPE_CHECKING:
    from ..core.project import Project

FORMATS = ("markdown", "html")
GROUP_BY = ("tag", "schema", "pattern")
UNGROUPED = "ungrouped"
_TAG = re.compile(r"@group\s+(\S+)\s*$")
# The files and directories a markdown run owns inside --out (stale ones are removed).
MARKDOWN_FILES = ("README.md", "diagrams.md", "functions.md", "types.md", "views.md")
MARKDOWN_DIRS = ("tables", "diagrams")
HTML_FILE = "index.html"


@dataclass(frozen=True)
class DocsSettings:
    """The ``docs:`` mapping of an environment's config file."""

    out: str = "docs/schema"
    group_by: str = "tag"
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # group -> glob patterns, in order
    min_coverage: float = 100.0
    stats: bool = True


def parse_settings(value: Any) -> DocsSettings:
    """Validate the ``docs:`` config mapping (raises ValueError with what is expected)."""
    expected = ("a mapping with keys out, group_by (tag|schema|pattern), "
                "groups ({group: [glob, ...]}), min_coverage (0-100), stats (true/false)")
    if not isinstance(value, dict) or set(value) - {"out", "group_by", "groups",
                                                     "min_coverage", "stats"}:
        raise ValueError(expected)
    groups = value.get("groups") or {}
    if not isinstance(groups, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and v and all(isinstance(p, str) for p in v)
        for k, v in groups.items()
    ):
        raise ValueError(expected)
    cov = value.get("min_coverage", 100)
    if isinstance(cov, bool) or not isinstance(cov, (int, float)) or not 0 <= cov <= 100:
        raise ValueError(expected)
    group_by = value.get("group_by", "pattern" if groups else "tag")
    if group_by not in GROUP_BY or not isinstance(value.get("stats", True), bool) or not (
        isinstance(value.get("out", ""), str)
    ):
        raise ValueError(expected)
    return DocsSettings(
        out=value.get("out", "docs/schema"), group_by=group_by,
        groups=tuple((k, tuple(v)) for k, v in groups.items()),
        min_coverage=float(cov), stats=value.get("stats", True),
    )


@dataclass(frozen=True)
class Coverage:
    """Comment coverage of tables (with views) and of their columns."""

    tables: int
    tables_documented: int
    columns: int
    columns_documented: int
    undocumented: tuple[str, ...]  # "table shop.orders", "column shop.orders.total"

    @property
    def table_percent(self) -> float:
        return 100.0 * self.tables_documented / self.tables if self.tables else 100.0

    @property
    def column_percent(self) -> float:
        return 100.0 * self.columns_documented / self.columns if self.columns else 100.0

    @property
    def percent(self) -> float:
        """The lower of the two figures: what ``--min-coverage`` is compared with."""
        return min(self.table_percent, self.column_percent)


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

    @property
    def coverage_ok(self) -> bool:
        return self.coverage.percent + 1e-9 >= self.min_coverage

    @property
    def ok(self) -> bool:
        return not self.differences and (self.mode == "write" or self.coverage_ok)


@dataclass(frozen=True)
class Model:
    """Everything the renderers need, computed once."""

    catalog: Catalog
    groups: tuple[tuple[str, tuple[Table, ...]], ...]  # sorted; partitions left out
    group_of: dict[str, str]
    histories: dict[str, History]  # qualified table/view -> applied migrations touching it
    has_ledger: bool
    coverage: Coverage
    stats: bool
    svg_program: str | None = None
    tables: dict[str, Table] = field(default_factory=dict)
    # Diagrams whose SVG already exists in the output directory: without `dot`
    # they keep their link, so the Markdown does not depend on the machine.
    svg_present: frozenset[str] = frozenset()

    def page_tables(self) -> list[Table]:
        return [t for _, ts in self.groups for t in ts]


def group_name(table: Table | View, settings: DocsSettings) -> str:
    if settings.group_by == "schema":
        return table.schema
    if settings.group_by == "pattern":
        for group, patterns in settings.groups:
            if any(fnmatch.fnmatchcase(table.name, p) or fnmatch.fnmatchcase(table.qualified, p)
                   for p in patterns):
                return group
        return UNGROUPED
    m = _TAG.search(table.comment or "")
    return m.group(1) if m else UNGROUPED


def strip_tag(comment: str | None) -> str:
    return _TAG.sub("", comment or "").strip()


def coverage(catalog: Catalog) -> Coverage:
    missing: list[str] = []
    relations: list[Table | View] = [*catalog.tables, *catalog.views]
    tables = cols = tdoc = cdoc = 0
    for rel in sorted(relations, key=lambda r: r.qualified):
        tables += 1
        if rel.comment and strip_tag(rel.comment):
            tdoc += 1
        else:
            missing.append(f"table {rel.qualified}")
        if isinstance(rel, Table) and rel.partition_of:
            continue  # a partition's columns are its parent's
        for col in rel.columns:
            cols += 1
            if col.comment:
                cdoc += 1
            else:
                missing.append(f"column {rel.qualified}.{col.name}")
    return Coverage(tables, tdoc, cols, cdoc, tuple(missing))


def build_model(catalog: Catalog, settings: DocsSettings, histories: dict[str, History],
                has_ledger: bool, svg_program: str | None) -> Model:
    grouped: dict[str, list[Table]] = {}
    group_of: dict[str, str] = {}
    for t in catalog.tables:
        if t.partition_of is None:
            g = group_name(t, settings)
            grouped.setdefault(g, []).append(t)
            group_of[t.qualified] = g
    return Model(
        catalog=catalog,
        groups=tuple((g, tuple(grouped[g])) for g in sorted(grouped)),
        group_of=group_of,
        histories=histories,
        has_ledger=has_ledger,
        coverage=coverage(catalog),
        stats=settings.stats,
        svg_program=svg_program,
        tables={t.qualified: t for t in catalog.tables},
    )


def render(model: Model, fmt: str) -> dict[str, str]:
    """Every output file, relative path -> text."""
    if fmt == "html":
        from . import html as docs_html

        return {HTML_FILE: docs_html.page(model)}
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
        base = getattr(s.config, "docs", None) or DocsSettings()
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
        catalog = introspect(s.conn, ledger_schema=s.config.schema, stats=settings.stats)
        has_ledger = s.ledger.exists(s.conn)
        applied = {r.version for r in s.ledger.rows(s.conn) if r.status == "applied"}
        histories = docs_history.scan(s.project.migrations, applied) if has_ledger else {}
        root = s.project.root
    out_dir = Path(settings.out)
    out_dir = out_dir if out_dir.is_absolute() else root / out_dir
    program = erd.dot_program()
    model = build_model(catalog, settings, histories, has_ledger, program)
    if program is None:
        model = replace(model, svg_present=frozenset(
            p.stem for p in (out_dir / "diagrams").glob("*.svg")))
    if coverage_only:
        return DocsResult(out_dir, format, "coverage", model.coverage, settings.min_coverage,
                          (), queries=catalog.queries)
    files = render(model, format)
    skipped = erd.SVG_SKIPPED if program is None else None
    if check:
        diffs = compare(out_dir, files, format, ignore_svg=program is None)
        return DocsResult(out_dir, format, "check", model.coverage, settings.min_coverage,
                          tuple(sorted(files)), differences=diffs, svg_skipped=skipped,
                          queries=catalog.queries)
    written, removed = write(out_dir, files, format, keep_svg=program is None)
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
    what = "the schema docs are out of date" if result.differences else "documentation coverage is too low"
    raise CheckFailed(
        f"{what} in {result.out}. Add the missing COMMENTs and regenerate with "
        "`sqlmig docs`, then commit the result.",
        path=result.out, problems=problems,
    )


def managed(out: Path, fmt: str, ignore_svg: bool) -> set[str]:
    """The files already in ``out`` that a run in ``fmt`` owns."""
    if not out.is_dir():
        return set()
    if fmt == "html":
        return {HTML_FILE} if (out / HTML_FILE).is_file() else set()
    found = {name for name in MARKDOWN_FILES if (out / name).is_file()}
    for d in MARKDOWN_DIRS:
        if (out / d).is_dir():
            found |= {p.relative_to(out).as_posix() for p in (out / d).rglob("*") if p.is_file()}
    return {f for f in found if not (ignore_svg and f.endswith(".svg"))}


def compare(out: Path, files: dict[str, str], fmt: str, *, ignore_svg: bool) -> tuple[str, ...]:
    diffs = []
    for rel in sorted(files):
        path = out / rel
        if not path.is_file():
            diffs.append(f"missing: {rel}")
        elif path.read_bytes() != files[rel].encode("utf-8"):
            diffs.append(f"changed: {rel}")
    diffs += [f"stale: {rel}" for rel in sorted(managed(out, fmt, ignore_svg) - set(files))]
    return tuple(diffs)


def write(out: Path, files: dict[str, str], fmt: str, *, keep_svg: bool) -> tuple[tuple[str, ...],
                                                                                  tuple[str, ...]]:
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
    removed = sorted(managed(out, fmt, ignore_svg=keep_svg) - set(files))
    for rel in removed:
        (out / rel).unlink()
    return tuple(written), tuple(removed)


# -- human output --------------------------------------------------------------------


def coverage_text(c: Coverage, undocumented: bool = True) -> str:
    lines = [
        f"tables:  {c.tables_documented}/{c.tables} documented ({c.table_percent:.1f}%)",
        f"columns: {c.columns_documented}/{c.columns} documented ({c.column_percent:.1f}%)",
    ]
    if undocumented and c.undocumented:
        lines.append(f"undocumented ({len(c.undocumented)}):")
        lines += [f"  {u}" for u in c.undocumented]
    return "\n".join(lines)


def report_text(result: DocsResult) -> str:
    """What the CLI prints for a docs run (the check failure itself is raised)."""
    if result.mode == "coverage":
        return coverage_text(result.coverage)
    lines = []
    if result.mode == "check":
        if not result.differences:
            lines.append(f"{result.out}: {len(result.files)} files up to date")
    else:
        lines.append(f"wrote {len(result.written)} of {len(result.files)} files to {result.out}"
                     + (f", removed {len(result.removed)} stale" if result.removed else ""))
        lines += [f"  {rel}" for rel in result.written[:50]]
        if len(result.written) > 50:
            lines.append(f"  ... and {len(result.written) - 50} more")
    if result.svg_skipped:
        lines.append(result.svg_skipped)
    lines.append(coverage_text(result.coverage, undocumented=False))
    return "\n".join(lines)


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
