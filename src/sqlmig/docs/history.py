"""Which migrations created and last changed each table or view.

The SQL files are scanned statement by statement and each statement is
reduced to its words by a small lexer (below): comments are
dropped, function bodies (dollar-quoted) are dropped because they do not
change the schema when the function is created, and ``DO`` bodies are
scanned as statements of their own because they do.  A statement changes a
relation when the relation is its *target*: ``CREATE TABLE x``, ``ALTER
TABLE x``, ``COMMENT ON COLUMN x.c``, ``CREATE INDEX ... ON x``, ``CREATE
TRIGGER ... ON x``, ``CREATE TABLE p PARTITION OF x``, ``GRANT ... ON x``...
Merely mentioning a table (a foreign key's REFERENCES, a SELECT, an INSERT of
data) does not change its definition.  One idiom of helper functions is
recognized: a ``SELECT``/``CALL`` passing a table's name as a string literal
(``create_monthly_partitions('events'::regclass, ...)``) changes that table.

Only migrations the ledger records as applied count: the live schema does
not reflect pending ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..core.files import Migration

_NAME = r"((?:[\w$]+\.){0,2}[\w$]+)"
_IDENT_LITERAL = re.compile(r"^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?$")
# (pattern on the normalized statement, action, strip the column part)
_TARGETS = [
    (rf"^create\s+(?:(?:global|local)\s+)?(?:temp\w*\s+|unlogged\s+)?table\s+"
     rf"(?:if\s+not\s+exists\s+)?{_NAME}", "create", False),
    (rf"^create\s+(?:or\s+replace\s+)?(?:temp\w*\s+)?(?:recursive\s+)?(?:materialized\s+)?view\s+"
     rf"(?:if\s+not\s+exists\s+)?{_NAME}", "create", False),
    (rf"\bpartition\s+of\s+{_NAME}", "change", False),
    (rf"^alter\s+(?:table|materialized\s+view|view|foreign\s+table)\s+(?:if\s+exists\s+)?"
     rf"(?:only\s+)?{_NAME}", "change", False),
    (rf"^alter\s+table\b.*?\b(?:attach|detach)\s+partition\s+{_NAME}", "change", False),
    (rf"^comment\s+on\s+(?:table|materialized\s+view|view|foreign\s+table)\s+{_NAME}",
     "change", False),
    (rf"^comment\s+on\s+column\s+{_NAME}", "change", True),
    (rf"^create\s+(?:unique\s+)?index\b.*?\bon\s+(?:only\s+)?{_NAME}", "change", False),
    (rf"^(?:create|drop|alter)\s+(?:or\s+replace\s+)?(?:constraint\s+)?trigger\b.*?\bon\s+{_NAME}",
     "change", False),
    (rf"^(?:create|alter|drop)\s+policy\b.*?\bon\s+{_NAME}", "change", False),
    (rf"^(?:drop)\s+(?:materialized\s+)?(?:table|view)\s+(?:if\s+exists\s+)?{_NAME}",
     "drop", False),
]
_COMPILED = [(re.compile(p, re.S), action, strip) for p, action, strip in _TARGETS]
_GRANT = re.compile(r"^(?:grant|revoke)\b.*?\bon\s+(?:table\s+)?(.+?)\s+(?:to|from)\b", re.S)
_CALL = re.compile(r"^(?:select|call|perform)\b")
_GRANT_OTHER = re.compile(r"^(?:grant|revoke)\s+.*\bon\s+(?:schema|function|sequence|procedure|"
                          r"routine|type|domain|database|all)\b", re.S)


@dataclass(frozen=True)
class Touch:
    version: int
    name: str  # the migration's name, e.g. 0001_core_schema
    action: str  # "create" or "change"


@dataclass(frozen=True)
class History:
    """The applied migrations that touched one relation, oldest first."""

    touches: tuple[Touch, ...]

    @property
    def created(self) -> Touch | None:
        """The migration of the last CREATE (a dropped and re-created relation
        was created by the later one)."""
        creates = [t for t in self.touches if t.action == "create"]
        return creates[-1] if creates else None

    @property
    def last_changed(self) -> Touch | None:
        return self.touches[-1] if self.touches else None


def scan(migrations: Iterable[Migration], applied: set[int]) -> dict[str, History]:
    """Histories keyed by relation name: ``schema.name`` when the file qualified
    it, the bare name otherwise (look up with :func:`lookup`)."""
    found: dict[str, list[Touch]] = {}
    for m in migrations:
        if m.version not in applied:
            continue
        name = m.up.path.stem
        seen: set[tuple[str, str]] = set()
        for action, target in targets(m.up.text):
            if action == "drop":
                found.pop(target, None)
                continue
            if (target, action) in seen:
                continue
            seen.add((target, action))
            found.setdefault(target, []).append(Touch(m.version, name, action))
    return {k: History(tuple(_dedupe(v))) for k, v in found.items()}


def lookup(histories: dict[str, History], schema: str, name: str) -> History:
    """The history of ``schema.name``: touches under the qualified and, for
    tables in ``public``, the bare name, merged in order."""
    touches = list(histories.get(f"{schema}.{name}", History(())).touches)
    if schema == "public":
        touches += histories.get(name, History(())).touches
    touches.sort(key=lambda t: (t.version, t.action != "create"))
    return History(tuple(_dedupe(touches)))


def _dedupe(touches: list[Touch]) -> Iterator[Touch]:
    seen: set[tuple[int, str]] = set()
    for t in touches:
        if (t.version, t.action) not in seen:
            seen.add((t.version, t.action))
            yield t


# One pass over a file: the lexical elements that matter to find statement
# boundaries and targets.  A regex lexer instead of sqlparse because sqlparse
# needs ~13 s to split a 21,000-statement file and this needs ~0.2 s.
_LEX = re.compile(
    r"(?P<comment>--[^\n]*|/\*.*?\*/)"
    r"|(?P<dollar>\$(?P<tag>(?:[A-Za-z_]\w*)?)\$.*?\$(?P=tag)\$)"
    r"|(?P<string>'(?:[^']|'')*')"
    r"|(?P<ident>\"(?:[^\"]|\"\")*\")"
    r"|(?P<semi>;)"
    r"|(?P<other>[^-/$'\";]+|.)",
    re.S,
)


def targets(text: str) -> Iterator[tuple[str, str]]:
    """(action, relation) for every statement of a SQL text that targets a relation."""
    for words, bodies in _statements(text):
        if words.startswith("do ") or words == "do":
            for body in bodies:
                yield from targets(_plpgsql_block(body))
            continue
        yield from _statement_targets(words)


def _statements(sql: str) -> Iterator[tuple[str, list[str]]]:
    """Each statement as lowercase words with comments and literals removed, and
    its dollar-quoted bodies.  A string literal that is a (qualified) table
    name is kept between NUL marks for the SELECT/CALL idiom."""
    out: list[str] = []
    bodies: list[str] = []
    for m in _LEX.finditer(sql):
        kind = m.lastgroup
        value = m.group()
        if kind == "other":
            out.append(value.lower())
        elif kind == "comment":
            out.append(" ")
        elif kind == "string":
            inner = value[1:-1]
            out.append(f"\x00{inner.lower()}\x00" if _IDENT_LITERAL.match(inner) else "''")
        elif kind == "ident":
            out.append(value[1:-1].replace('""', '"'))
        elif kind == "dollar":
            bodies.append(value)
            out.append(" $body$ ")
        elif kind == "semi":
            yield _words(out), bodies
            out, bodies = [], []
    if "".join(out).strip():
        yield _words(out), bodies


def _statement_targets(words: str) -> Iterator[tuple[str, str]]:
    for pattern, action, strip_column in _COMPILED:
        for m in pattern.finditer(words):
            name = m.group(1)
            if strip_column:
                name = name.rsplit(".", 1)[0]
            yield action, name
    grant = _GRANT.match(words)
    if grant and not _GRANT_OTHER.match(words):
        for part in grant.group(1).split(","):
            yield "change", part.strip()
    if _CALL.match(words):
        for name in re.findall(r"\x00([^\x00]+)\x00", words):
            yield "change", name


def _words(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _plpgsql_block(body: str) -> str:
    """The statements of a DO body: the text between the dollar quotes, with
    the BEGIN ... END wrapper and DECLARE section reduced so that the
    statements inside split like top-level ones."""
    m = re.match(r"^(\$[^$]*\$)(.*)\1$", body, re.S)
    inner = m.group(2) if m else body
    inner = re.sub(r"(?is)^\s*declare\b.*?\bbegin\b", "", inner)
    inner = re.sub(r"(?is)^\s*begin\b", "", inner)
    inner = re.sub(r"(?is)\bend\s*;?\s*$", "", inner)
    # IF/THEN wrappers would hide a statement's first word.
    return re.sub(r"(?i)\b(?:then|else|loop)\b", ";", inner)
