"""Entity-relationship diagrams from a :class:`~sqlmig.catalog.Catalog`.

Mermaid ``erDiagram`` text (rendered natively by GitHub and GitLab) and
Graphviz DOT, plus SVG when the ``dot`` program is installed.  A
relationship's cardinality comes from its foreign key: the parent side is
"exactly one" when every FK column is NOT NULL and "zero or one" otherwise;
the child side is "zero or one" when the FK columns are unique in the child
(a primary key, unique constraint or non-partial unique index on exactly
those columns) and "zero or many" otherwise.  A relationship is identifying
(``--``, else ``..``) when the FK columns are part of the child's primary key.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from ..schema.catalog import ForeignKey, Table

# How much of each table a diagram shows.
ALL = "all"
KEYS = "keys"


@dataclass(frozen=True)
class Edge:
    fk: ForeignKey
    parent_optional: bool  # some FK column is nullable
    child_unique: bool  # the FK columns are unique in the child
    identifying: bool  # the FK columns are inside the child's primary key

    @property
    def mermaid(self) -> str:
        left = "|o" if self.parent_optional else "||"
        right = "o|" if self.child_unique else "o{"
        return f"{left}{'--' if self.identifying else '..'}{right}"


@dataclass(frozen=True)
class Diagram:
    """Tables (with how much of each to show) and the foreign keys between them."""

    name: str
    tables: tuple[tuple[Table, str], ...]
    edges: tuple[Edge, ...]


def diagram(name: str, tables: Iterable[Table], detail: dict[str, str] | None = None) -> Diagram:
    """A diagram of ``tables`` (partitions left out: they are drawn as their
    parent) and every non-inherited foreign key between two of them."""
    chosen = sorted((t for t in tables if t.partition_of is None), key=lambda t: t.qualified)
    names = {t.qualified for t in chosen}
    by_name = {t.qualified: t for t in chosen}
    edges = [
        edge(fk, t, by_name[fk.qualified_ref_table])
        for t in chosen for fk in t.foreign_keys
        if not fk.inherited and fk.qualified_ref_table in names
    ]
    detail = detail or {}
    return Diagram(name, tuple((t, detail.get(t.qualified, ALL)) for t in chosen), tuple(edges))


def edge(fk: ForeignKey, child: Table, parent: Table) -> Edge:
    cols = set(fk.columns)
    nullable = any(c.nullable for c in child.columns if c.name in cols)
    unique_sets = [set(c.columns) for c in child.constraints
                   if c.type in ("primary key", "unique") and not c.inherited]
    unique_sets += [set(i.columns) for i in child.indexes if i.unique and i.predicate is None]
    pk = next((set(c.columns) for c in child.constraints if c.type == "primary key"), set())
    return Edge(fk, nullable, cols in unique_sets, bool(pk) and cols <= pk)


def key_marks(table: Table) -> dict[str, list[str]]:
    """Column name -> ["PK", "FK", "UK"] markers."""
    marks: dict[str, list[str]] = {}
    for con in table.constraints:
        mark = {"primary key": "PK", "unique": "UK"}.get(con.type)
        if mark and (mark == "PK" or len(con.columns) == 1):
            for col in con.columns:
                marks.setdefault(col, []).append(mark)
    for fk in table.foreign_keys:
        for col in fk.columns:
            if "FK" not in marks.setdefault(col, []):
                marks[col].append("FK")
    return {k: sorted(set(v), key=["PK", "FK", "UK"].index) for k, v in marks.items()}


def entity_id(table: Table) -> str:
    """An identifier Mermaid and DOT accept: ``name`` in public, else ``schema__name``."""
    raw = table.name if table.schema == "public" else f"{table.schema}__{table.name}"
    ident = re.sub(r"[^A-Za-z0-9_]", "_", raw)
    return ident if re.match(r"^[A-Za-z_]", ident) else f"t_{ident}"


def short_comment(text: str | None, limit: int = 60) -> str:
    """The first sentence of a comment without its ``@group`` tag, at most ``limit`` characters."""
    if not text:
        return ""
    text = re.sub(r"\s*@group\s+\S+\s*$", "", text).strip()
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].replace("\n", " ")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


# -- Mermaid -----------------------------------------------------------------------------


def mermaid(d: Diagram) -> str:
    lines = ["erDiagram"]
    for table, detail in d.tables:
        marks = key_marks(table)
        cols = [c for c in table.columns if detail == ALL or c.name in marks] or list(table.columns[:1])
        lines.append(f"    {entity_id(table)} {{")
        for col in cols:
            attr = f"        {_mermaid_word(col.type)} {_mermaid_word(col.name)}"
            if marks.get(col.name):
                attr += " " + ", ".join(marks[col.name])
            comment = short_comment(col.comment).replace('"', "'")
            if comment:
                attr += f' "{comment}"'
            lines.append(attr)
        lines.append("    }")
    for e in d.edges:
        child = _find(d, e.fk.qualified_table)
        parent = _find(d, e.fk.qualified_ref_table)
        label = ", ".join(e.fk.columns).replace('"', "'")
        lines.append(f'    {entity_id(parent)} {e.mermaid} {entity_id(child)} : "{label}"')
    return "\n".join(lines) + "\n"


def _mermaid_word(text: str) -> str:
    # Mermaid's attribute words allow letters, digits, - _ [ ] ( ) only.
    word = re.sub(r"[^A-Za-z0-9_\-\[\]()]", "_", text)
    return word if re.match(r"^[A-Za-z_]", word) else f"_{word}"


def _find(d: Diagram, qualified: str) -> Table:
    return next(t for t, _ in d.tables if t.qualified == qualified)


# -- Graphviz ----------------------------------------------------------------------------


def dot(d: Diagram) -> str:
    lines = [
        f'digraph "{_dot_escape(d.name)}" {{',
        '    graph [rankdir=LR, fontname="Helvetica", nodesep=0.4, ranksep=0.8];',
        '    node [shape=plaintext, fontname="Helvetica", fontsize=10];',
        '    edge [fontname="Helvetica", fontsize=9, dir=both, color="#555555"];',
    ]
    for table, detail in d.tables:
        marks = key_marks(table)
        cols = [c for c in table.columns if detail == ALL or c.name in marks]
        rows = "".join(
            f'<TR><TD ALIGN="LEFT">{_html(c.name)}</TD><TD ALIGN="LEFT">{_html(c.type)}</TD>'
            f'<TD ALIGN="LEFT">{" ".join(marks.get(c.name, []))}</TD></TR>'
            for c in cols
        )
        lines.append(
            f'    "{_dot_escape(table.qualified)}" [label=<<TABLE BORDER="0" CELLBORDER="1" '
            f'CELLSPACING="0" CELLPADDING="3"><TR><TD COLSPAN="3" BGCOLOR="#dde4ee">'
            f"<B>{_html(table.qualified)}</B></TD></TR>{rows}</TABLE>>];"
        )
    for e in d.edges:
        head = "teeodot" if e.parent_optional else "teetee"
        tail = "teeodot" if e.child_unique else "crowodot"
        style = "solid" if e.identifying else "dashed"
        lines.append(
            f'    "{_dot_escape(e.fk.qualified_table)}" -> "{_dot_escape(e.fk.qualified_ref_table)}"'
            f' [arrowhead={head}, arrowtail={tail}, style={style}, '
            f'label="{_dot_escape(", ".join(e.fk.columns))}"];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def dot_program() -> str | None:
    """The path of Graphviz's ``dot``, or None when it is not installed."""
    return shutil.which("dot")


SVG_SKIPPED = ("SVG skipped: the Graphviz `dot` program is not installed "
               "(install graphviz, e.g. `apt-get install graphviz`).")
DOT_WRITTEN = "DOT files were written."  # said only by a run that wrote some


def svg(dot_text: str, program: str) -> str:
    """Render DOT to SVG.  The "Generated by graphviz version" comment is removed
    so that the output depends on the diagram, not on the installed version."""
    from ..errors import SqlmigError

    proc = subprocess.run([program, "-Tsvg"], input=dot_text, capture_output=True, text=True,
                          timeout=120, check=False)
    if proc.returncode != 0:
        raise SqlmigError(f"dot failed to render a diagram: {proc.stderr.strip()}")
    return re.sub(r"<!-- Generated by graphviz[^>]*-->\n", "", proc.stdout)
