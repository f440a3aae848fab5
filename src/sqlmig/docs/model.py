"""What the docs renderers draw from: the catalog, tables grouped (by the
``@group NAME`` tag at the end of their comment, by schema, or by table-name
patterns), each table's migration history and the comment coverage."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from ..schema.catalog import Catalog, Table, View
from .history import History
from .settings import DocsSettings

UNGROUPED = "ungrouped"
_TAG = re.compile(r"@group\s+(\S+)\s*$")


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
