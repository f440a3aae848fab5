"""What the target database says about its tables, read once and read-only
(``sqlmig lint --env E``): sizes for size-aware severities and rewrite-time
estimates, column types for binary-coercible type changes, and indexes for
the foreign-key rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .report import TableStats

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class Catalog:
    stats: dict[str, TableStats] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)
    column_types: dict[tuple[str, str], str] = field(default_factory=dict)
    indexes: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)


def _key(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def read(conn: psycopg.Connection) -> Catalog:
    """Sizes, columns and index keys of every user table, from sqlmig's one
    catalog layer (the caller opens the READ ONLY transaction)."""
    from ..schema.catalog import introspect

    cat = Catalog()
    for table in introspect(conn, stats=True).tables:
        key = _key(table.schema, table.name)
        if table.stats is not None:
            rows = table.stats.row_estimate
            cat.stats[key] = TableStats(key, -1 if rows is None else rows, table.stats.pages,
                                        table.stats.size_bytes)
        for col in table.columns:
            cat.columns.setdefault(key, []).append(col.name)
            cat.column_types[(key, col.name)] = col.type
        names = {c.name for c in table.columns}
        for index in table.indexes:
            # Leading plain columns only: an expression ends what can serve a foreign key.
            lead: list[str] = []
            for part in index.columns:
                if part not in names:
                    break
                lead.append(part)
            cat.indexes.setdefault(key, []).append(tuple(lead))
    return cat


_VARCHAR = re.compile(r"^character varying(?:\((\d+)\))?$")
_NUMERIC = re.compile(r"^numeric(?:\((\d+),(\d+)\))?$")


def binary_coercible(old: str, new: str, typmods: list[int]) -> bool:
    """Type changes PostgreSQL does without rewriting the table (nor, for
    these, rebuilding indexes): varchar(n) to text or to a longer varchar, and
    numeric(p,s) to a numeric of the same scale and larger precision."""
    m = _VARCHAR.match(old)
    if m is not None or old == "text":
        if new == "text":
            return True
        if new == "varchar":
            if not typmods:
                return True
            return m is not None and m.group(1) is not None and typmods[0] >= int(m.group(1))
        return False
    m = _NUMERIC.match(old)
    if m is not None and new == "numeric":
        if not typmods:
            return True
        if m.group(1) is None:
            return False
        scale = typmods[1] if len(typmods) > 1 else 0
        return scale == int(m.group(2)) and typmods[0] >= int(m.group(1))
    return False


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
