"""``sqlmig docs --format html``: one self-contained HTML file.

No network access and no CDN: the style sheet and the search script are
inline, and the group diagrams are embedded as SVG when Graphviz's ``dot``
is installed (as Mermaid source otherwise).  The search box filters the
table list and the table sections; ``#q=TEXT`` in the URL pre-fills it.
"personal data only" keeps the tables with personal data (``@contains-personal-data``
or a column tagged ``@pii KIND``) and, in them, the columns tagged ``@pii KIND``.
"""

from __future__ import annotations

from html import escape

from . import erd
from ..schema.catalog import Column, Table
from .model import Model, strip_tag
from .markdown import neighbourhood, rows, size, slug

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;display:flex;color:#222}
nav{width:18rem;height:100vh;overflow:auto;position:sticky;top:0;border-right:1px solid #ccc;
padding:.5rem;box-sizing:border-box;background:#f7f7f9}
nav input{width:100%;box-sizing:border-box;padding:.3rem;margin-bottom:.5rem}
nav ul{list-style:none;padding:0;margin:0 0 .8rem}nav li{padding:.1rem 0}
main{flex:1;padding:1rem 2rem;min-width:0}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.2rem .4rem;
text-align:left;vertical-align:top;font-size:.9rem}
code,pre{font-family:ui-monospace,monospace;font-size:.85rem}pre{background:#f4f4f4;padding:.5rem;
overflow:auto}section{border-top:1px solid #ddd;margin-top:1rem}[hidden]{display:none!important}
.muted{color:#777}.svg svg{max-width:100%;height:auto}
"""

_SCRIPT = """
(function () {
  var input = document.getElementById('search');
  var pii = document.getElementById('pii-only');
  function apply() {
    var q = input.value.trim().toLowerCase();
    var items = document.querySelectorAll('[data-name]');
    for (var i = 0; i < items.length; i++) {
      items[i].hidden = (q !== '' && items[i].getAttribute('data-name').indexOf(q) < 0)
        || (pii.checked && !items[i].hasAttribute('data-pd'));
    }
    var cols = document.querySelectorAll('section tr');
    for (var j = 0; j < cols.length; j++) {
      cols[j].hidden = pii.checked && cols[j].querySelector('td') !== null
        && !cols[j].hasAttribute('data-pii');
    }
  }
  input.addEventListener('input', apply);
  pii.addEventListener('change', apply);
  var m = /^#q=(.*)$/.exec(window.location.hash);
  if (m) { input.value = decodeURIComponent(m[1]); }
  apply();
})();
"""


def page(model: Model) -> str:
    c = model.coverage
    nav = ['<input id="search" type="search" placeholder="Search tables" autocomplete="off">',
           '<label><input id="pii-only" type="checkbox"> personal data only</label>']
    for group, tables in model.groups:
        nav.append(f"<h4>{escape(group)}</h4><ul>")
        nav += [f'<li data-name="{escape(t.qualified.lower())}"'
                + (' data-pd="1"' if personal(t) else "")
                + f'><a href="#t-{escape(t.qualified)}">{escape(t.qualified)}</a></li>'
                for t in tables]
        nav.append("</ul>")
    body = [
        "<h1>Database schema</h1>",
        f'<p>Documentation coverage: tables {c.tables_documented}/{c.tables} '
        f"({c.table_percent:.1f}%), columns {c.columns_documented}/{c.columns} "
        f"({c.column_percent:.1f}%).</p>",
    ]
    body.append(diagrams(model))
    for t in model.page_tables():
        body.append(table_section(model, t))
    body.append(others(model))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>Database schema</title><link rel=\"icon\" href=\"data:,\">"
        f"<style>{_STYLE}</style></head>\n<body><nav>{''.join(nav)}</nav>\n<main>\n"
        + "\n".join(body) + f"\n</main>\n<script>{_SCRIPT}</script>\n</body></html>\n"
    )


def _table(header: list[str], body: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    rows_ = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in body)
    return f"<table><tr>{head}</tr>{rows_}</table>"


def _code(text: str | None) -> str:
    return f"<code>{escape(text)}</code>" if text else ""


def _columns(columns: tuple[Column, ...], marks: dict[str, list[str]]) -> str:
    body = []
    for col in columns:
        default = _code(col.default)
        if col.identity:
            default = f"identity ({col.identity})"
        if col.generated:
            default = f"generated ({col.generated_kind}): {_code(col.generated)}"
        body.append([str(col.position),
                     f"<b>{escape(col.name)}</b> {' '.join(marks.get(col.name, []))}",
                     _code(col.type), "yes" if col.nullable else "no", default,
                     escape(col.comment or ""), escape(col.classification.label)])
    table = _table(["#", "Column", "Type", "Nullable", "Default", "Comment", "Classification"],
                   body)
    # Rows of personal data, for the "personal data only" filter.
    for col in columns:
        if col.classification.pii not in (None, "none"):
            table = table.replace(f"<tr><td>{col.position}</td>",
                                  f'<tr data-pii="1"><td>{col.position}</td>', 1)
    return table


def personal(t: Table) -> bool:
    """A table marked @contains-personal-data or with a column of @pii KIND."""
    return t.classification.personal_data or any(
        c.classification.pii not in (None, "none") for c in t.columns)


def table_section(model: Model, t: Table) -> str:
    from .history import lookup

    pd = ' data-pd="1"' if personal(t) else ""
    p = [f'<section id="t-{escape(t.qualified)}" data-name="{escape(t.qualified.lower())}"{pd}>',
         f"<h2>{escape(t.qualified)}</h2>",
         f"<p>{escape(strip_tag(t.comment)) or '<i class=muted>No comment.</i>'}</p>"]
    facts = [f"group {escape(model.group_of[t.qualified])}", escape(t.kind)]
    if model.stats and t.stats:
        facts += [f"rows {rows(t.stats.row_estimate)}", f"size {size(t.stats.size_bytes)}"]
    if t.classification.label:
        facts.append(escape(t.classification.label))
    p.append(f"<p class=muted>{' · '.join(facts)}</p>")
    p.append(_columns(t.columns, erd.key_marks(t)))
    own = [c for c in t.constraints if not c.inherited]
    if own:
        p.append("<h3>Constraints</h3>" + _table(["Name", "Type", "Definition"], [
            [escape(c.name), c.type, _code(c.definition)] for c in own]))
    fks = [f for f in t.foreign_keys if not f.inherited]
    if fks:
        p.append("<h3>References</h3>" + _table(["Name", "Columns", "References", "On delete"], [
            [escape(f.name), escape(", ".join(f.columns)),
             f'<a href="#t-{escape(f.qualified_ref_table)}">{escape(f.qualified_ref_table)}</a>',
             f.on_delete] for f in fks]))
    back = [f for f in t.referenced_by if not f.inherited]
    if back:
        p.append("<h3>Referenced by</h3>" + _table(["Table", "Name", "Columns", "On delete"], [
            [f'<a href="#t-{escape(f.qualified_table)}">{escape(f.qualified_table)}</a>',
             escape(f.name), escape(", ".join(f.columns)), f.on_delete] for f in back]))
    idx = [i for i in t.indexes if not i.inherited]
    if idx:
        p.append("<h3>Indexes</h3>" + _table(["Name", "Definition"], [
            [escape(i.name) + ("" if i.valid else " (invalid)"), _code(i.definition)] for i in idx]))
    trg = [x for x in t.triggers if not x.inherited]
    if trg:
        p.append("<h3>Triggers</h3>" + _table(["Name", "Function", "Definition"], [
            [escape(x.name), _code(x.function), _code(x.definition)] for x in trg]))
    if t.partition_key:
        p.append(f"<h3>Partitions</h3><p>Key: {_code(t.partition_key)}</p>" + _table(
            ["Partition", "Bound"], [[escape(x.qualified), _code(x.bound)] for x in t.partitions]))
    if model.has_ledger:
        h = lookup(model.histories, t.schema, t.name)
        created = h.created.name if h.created else "unknown"
        last = h.last_changed.name if h.last_changed else "unknown"
        p.append(f"<p>Created by <code>{escape(created)}</code>; last changed by "
                 f"<code>{escape(last)}</code>.</p>")
    p.append("<details><summary>Neighbourhood (Mermaid)</summary><pre>"
             + escape(erd.mermaid(neighbourhood(model, t))) + "</pre></details>")
    return "\n".join(p) + "</section>"


def diagrams(model: Model) -> str:
    p = ["<h2>Diagrams</h2>"]
    if model.svg_program is None:
        p.append(f"<p class=muted>{escape(erd.SVG_SKIPPED)} Mermaid source is shown instead.</p>")
    for group, tables in model.groups:
        d = erd.diagram(group, tables)
        p.append(f'<details id="d-{slug(group)}"><summary>Group {escape(group)}</summary>')
        if model.svg_program is not None:
            svg = erd.svg(erd.dot(d), model.svg_program)
            svg = svg[svg.find("<svg"):]  # drop the XML prolog and DOCTYPE: inline SVG
            p.append(f'<div class="svg">{svg}</div>')
        else:
            p.append(f"<pre>{escape(erd.mermaid(d))}</pre>")
        p.append("</details>")
    return "\n".join(p)


def others(model: Model) -> str:
    cat = model.catalog
    p = ["<section><h2>Views</h2>"]
    for v in cat.views:
        kind = "materialized view" if v.materialized else "view"
        p.append(f'<h3 data-name="{escape(v.qualified.lower())}">{escape(v.qualified)} ({kind})</h3>'
                 f"<p>{escape(v.comment or '')}</p>{_columns(v.columns, {})}"
                 f"<pre>{escape(v.definition.strip())}</pre>")
    p.append("</section><section><h2>Functions</h2>")
    p.append(_table(["Signature", "Kind", "Returns", "Language", "Comment"], [
        [_code(f.signature), f.kind, _code(f.result), escape(f.language), escape(f.comment or "")]
        for f in cat.functions]))
    p.append("</section><section><h2>Types</h2>")
    p.append(_table(["Type", "Kind", "Details", "Comment"], [
        [escape(t.qualified), t.kind,
         escape(", ".join(t.labels) or (t.base_type or "")
                or ", ".join(f"{a.name} {a.type}" for a in t.attributes) or (t.subtype or "")),
         escape(t.comment or "")] for t in cat.types]))
    return "\n".join(p) + "</section>"
