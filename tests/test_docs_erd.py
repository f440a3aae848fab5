"""ER diagrams: the Mermaid erDiagram subset sqlmig emits is validated by a
small parser of that grammar; cardinalities follow the foreign keys."""

from __future__ import annotations

import re
import shutil
import subprocess

import psycopg
import pytest

from sqlmig.schema import catalog
from sqlmig.docs import erd
from test_catalog import SCHEMA_SQL

_ENTITY_OPEN = re.compile(r"^    (?P<name>[A-Za-z_][A-Za-z0-9_-]*) \{$")
_ATTRIBUTE = re.compile(
    r'^        (?P<type>[A-Za-z_][A-Za-z0-9_\-\[\]()]*) (?P<name>[A-Za-z_][A-Za-z0-9_\-\[\]()]*)'
    r'(?: (?P<keys>(?:PK|FK|UK)(?:, (?:PK|FK|UK))*))?(?: "(?P<comment>[^"]*)")?$')
_RELATION = re.compile(
    r'^    (?P<left>[A-Za-z_][A-Za-z0-9_-]*) (?P<lc>\|o|\|\||\}o|\}\|)(?:--|\.\.)(?P<rc>o\||\|\||o\{|\|\{) '
    r'(?P<right>[A-Za-z_][A-Za-z0-9_-]*) : "(?P<label>[^"]*)"$')


def parse_mermaid(text: str) -> tuple[dict[str, list[tuple[str, str, str]]], list[tuple[str, str, str, str]]]:
    """Entities (name -> [(type, name, keys)]) and relationships
    (left, cardinality, right, label); raises AssertionError on anything else."""
    lines = text.split("\n")
    assert lines[0] == "erDiagram", lines[0]
    assert text.endswith("\n")
    entities: dict[str, list[tuple[str, str, str]]] = {}
    relations = []
    current: str | None = None
    for n, line in enumerate(lines[1:-1], start=2):
        if current is not None:
            if line == "    }":
                assert entities[current], f"line {n}: empty entity {current}"
                current = None
                continue
            m = _ATTRIBUTE.match(line)
            assert m, f"line {n}: bad attribute line {line!r}"
            entities[current].append((m["type"], m["name"], m["keys"] or ""))
            continue
        if m := _ENTITY_OPEN.match(line):
            assert m["name"] not in entities, f"line {n}: entity {m['name']} declared twice"
            current = m["name"]
            entities[current] = []
            continue
        m = _RELATION.match(line)
        assert m, f"line {n}: neither an entity nor a relationship: {line!r}"
        assert m["left"] in entities and m["right"] in entities, f"line {n}: unknown entity"
        relations.append((m["left"], line.split()[1], m["right"], m["label"]))
    assert current is None, "unterminated entity block"
    return entities, relations


@pytest.fixture
def cat(db_url):
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(SCHEMA_SQL)
        return catalog.introspect(conn)


def test_the_validator_rejects_what_mermaid_would_reject():
    for bad in ["graph TD\n", "erDiagram\n    a {\n        numeric(5,2) x\n    }\n",
                "erDiagram\n    a {\n    }\n", "erDiagram\n    a {\n        int x\n    }\n    a ||-->o{ a : \"x\"\n",
                "erDiagram\n    a {\n        int x\n    }\n    a ||--o{ b : \"x\"\n"]:
        with pytest.raises(AssertionError):
            parse_mermaid(bad)


def test_whole_schema_diagram_parses_and_has_every_table_and_foreign_key(cat):
    tables = [t for t in cat.tables if t.partition_of is None]
    text = erd.mermaid(erd.diagram("all", tables))
    entities, relations = parse_mermaid(text)
    assert set(entities) == {"events", "shop__customers", "shop__invoices", "shop__orders"}
    assert sorted(relations) == sorted([
        ("shop__customers", "||..o{", "shop__orders", "customer_id"),
        ("shop__orders", "|o..o{", "shop__customers", "best_order_id"),
        ("shop__orders", "||--o|", "shop__invoices", "order_id"),
        ("shop__customers", "|o..o{", "events", "customer_id"),
    ])
    orders = dict((name, (typ, keys)) for typ, name, keys in entities["shop__orders"])
    assert orders["id"] == ("bigint", "PK")
    assert orders["total"] == ("numeric(12_2)", "")
    assert entities["shop__invoices"][0] == ("bigint", "order_id", "PK, FK")


def test_cardinality_comes_from_nullability_and_uniqueness(cat):
    customers, invoices, orders = (cat.table(n) for n in ("shop.customers", "shop.invoices", "shop.orders"))
    required = erd.edge(orders.foreign_keys[0], orders, customers)
    assert (required.parent_optional, required.child_unique, required.mermaid) == (False, False, "||..o{")
    optional = erd.edge(customers.foreign_keys[0], customers, orders)
    assert optional.mermaid == "|o..o{"
    one_to_one = erd.edge(invoices.foreign_keys[0], invoices, orders)
    assert (one_to_one.child_unique, one_to_one.identifying, one_to_one.mermaid) == (True, True, "||--o|")


def test_keys_only_diagram_keeps_key_columns(cat):
    t = cat.table("shop.orders")
    entities, _ = parse_mermaid(erd.mermaid(erd.diagram("x", [t], {t.qualified: erd.KEYS})))
    assert [a[1] for a in entities["shop__orders"]] == ["id", "customer_id"]


def test_comments_are_shortened_and_quote_safe(cat):
    text = erd.mermaid(erd.diagram("x", [cat.table("shop.customers")]))
    assert "bigint id PK \"Surrogate key.\"" in text
    assert "\"Contact 'email' address.\"" in text
    parse_mermaid(text)
    assert erd.short_comment("One. Two. @group x") == "One."
    assert erd.short_comment("x" * 100, 20) == "x" * 19 + "…"


def test_dot_output_is_valid_graphviz(cat, debian_tools):
    tables = [t for t in cat.tables if t.partition_of is None]
    text = erd.dot(erd.diagram("all", tables))
    assert text.startswith('digraph "all" {') and text.endswith("}\n")
    assert '"shop.orders" -> "shop.customers" [arrowhead=teetee, arrowtail=crowodot' in text
    program = shutil.which("dot")
    if program is None:
        pytest.skip(debian_tools.get("dot", "`dot` is missing") + ": the DOT text cannot be rendered here")
    proc = subprocess.run([program, "-Tsvg"], input=text, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    svg = erd.svg(text, program)
    assert svg == erd.svg(text, program)  # deterministic
    assert "<svg" in svg
