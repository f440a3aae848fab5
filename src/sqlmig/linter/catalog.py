"""What the target database says about its tables, read once and read-only
(``sqlmig lint --env E``): sizes for size-aware severities and rewrite-time
estimates, column types for binary-coercible type changes, and indexes for
the foreign-key rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
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


def _query(name: str) -> str:
    return (resources.files("sqlmig") / "sql" / name).read_text(encoding="utf-8")


def read(conn: psycopg.Connection) -> Catalog:
    """Sizes, columns and indexes of every user table (the caller opens the
    READ ONLY transaction)."""
    tables = conn.execute(_query("lint_tables.sql")).fetchall()
    cols = conn.execute(_query("lint_columns.sql")).fetchall()
    idx = conn.execute(_query("lint_indexes.sql")).fetchall()
    cat = Catalog()
    for schema, name, rows, pages, total in tables:
        key = _key(schema, name)
        cat.stats[key] = TableStats(key, int(rows), int(pages), int(total))
    for schema, name, col, typ in cols:
        key = _key(schema, name)
        cat.columns.setdefault(key, []).append(col)
        cat.column_types[(key, col)] = typ
    for schema, name, _index, keys in idx:
        lead: list[str] = []
        for k in keys:
            if k is None:
                break
            lead.append(k)
        cat.indexes.setdefault(_key(schema, name), []).append(tuple(lead))
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
