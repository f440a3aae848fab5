"""sqlmig.core.sqlnodes.JsonNode: the parser's JSON read as pglast.ast nodes.
Lint's rules read JsonNode trees where they read pglast.parse_sql's before;
for every statement of the lint corpus and the reference migrations the two
trees must be the same, attribute by attribute (locations converted from
bytes to characters), and be walked in the same order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pglast import ast, parser

from sqlmig.core import sqlnodes, sqltext
from sqlmig.core.sqlnodes import JsonNode, char_index

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted([*(ROOT / "tests" / "lint_corpus" / "files").glob("*.sql"),
                *(ROOT / "sql").glob("*/*.sql")])
EXTRA = [
    # Non-ASCII text before located nodes, NULLs in lists, every A_Const kind, a DO body.
    ("CREATE TABLE \"Café\" (nom varchar(20) /* é */, créé timestamp DEFAULT now(), "
     "b bool DEFAULT false, i int DEFAULT 0, f numeric DEFAULT 1.5, x bit(2) DEFAULT B'01', "
     "n text DEFAULT NULL, s text DEFAULT '')"),
    "SELECT * FROM ROWS FROM (generate_series(1, 2), unnest(ARRAY['é'])) AS t(a, b)",
    "DO $$ BEGIN PERFORM f('é'); CREATE ROLE r; END $$",
    ("ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0, ALTER COLUMN d TYPE text, "
     "DETACH PARTITION p CONCURRENTLY"),
    "COMMENT ON COLUMN s.t.c IS NULL",
    "SELEC 1",
]


def same(a: Any, b: Any, text: str, path: str = "") -> None:
    if isinstance(a, ast.Node):
        assert isinstance(b, JsonNode) and type(b).__name__ == type(a).__name__, path
        for slot, info in type(a).__slots__.items():
            got = getattr(b, slot)
            if info[0] == "ParseLoc":
                got = char_index(text, got)
            same(getattr(a, slot), got, text, f"{path}.{slot}")
    elif isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, text, f"{path}[{i}]")
    else:
        assert type(a) is type(b) and a == b, (path, a, b)


def trees(text: str) -> tuple[Any, Any]:
    try:
        want: Any = tuple(r.stmt for r in parser.parse_sql(text))
    except parser.ParseError as exc:
        want = exc.args
    try:
        got: Any = sqlnodes.from_json(sqlnodes.parse_json(text))
    except parser.ParseError as exc:
        got = exc.args
    return want, got


@pytest.mark.parametrize("text", EXTRA)
def test_extra_statements(text: str) -> None:
    want, got = trees(text)
    same(want, got, text)


def test_every_corpus_and_reference_statement_reads_the_same() -> None:
    count = 0
    for path in FILES:
        for stmt in sqltext.analyse(path.read_text(encoding="utf-8")).statements:
            want, got = trees(stmt.text)
            same(want, got, stmt.text, f"{path.name}:{stmt.line}")
            if isinstance(want, tuple) and want and isinstance(want[0], ast.Node):
                assert [type(n).__name__ for n in sqlnodes.walk(want)] == \
                    [type(n).__name__ for n in sqlnodes.walk(got)]
                assert sqlnodes.touches(want[0]) == sqlnodes.touches(got[0])
                assert sqlnodes.server_wide(want[0]) == sqlnodes.server_wide(got[0])
            count += 1
    assert count > 1500


def test_walk_visits_what_pglast_visitor_visits() -> None:
    from pglast.visitors import Visitor

    text = EXTRA[0] + "; " + EXTRA[1]
    seen: list[str] = []

    class All(Visitor):
        def visit(self, ancestors: Any, node: Any) -> None:
            seen.append(type(node).__name__)

    nodes = tuple(r.stmt for r in parser.parse_sql(text))
    All()(nodes)
    assert [type(n).__name__ for n in sqlnodes.walk(nodes)] == seen
    assert [type(n).__name__ for n in sqlnodes.walk(sqlnodes.from_json(
        sqlnodes.parse_json(text)))] == seen


def test_unknown_attribute_is_an_attribute_error_as_in_pglast() -> None:
    node = sqlnodes.from_json(sqlnodes.parse_json("SELECT 1"))[0]
    assert getattr(node, "relation", "none") == "none"
    assert getattr(node.targetList[0].val, "location", "none") == "none"  # A_Const has none
