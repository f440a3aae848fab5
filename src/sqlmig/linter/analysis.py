"""A SQL file as PostgreSQL's own parser sees it, for the rules: the
statements of :mod:`sqlmig.core.sqltext`'s analysis (pglast), plus what the
parser cannot see: psql meta-commands and ``-- sqlmig: allow`` comments.

pglast embeds the server's grammar (libpg_query), so table names, flags such
as CONCURRENTLY or NOT VALID, and the difference between a keyword and the
same word inside a string, a comment or a dollar-quoted body are exact.  See
docs/lint.md ("design notes") for why this is pglast.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..core import sqlnodes, sqltext
from ..core.files import SqlFile
from ..core.sqltext import line_col, line_comments

ALLOW = re.compile(r"^--\s*sqlmig:\s*allow\b(?P<arg>.*)$", re.IGNORECASE)


_KINDS = re.compile(r'\{"stmt":\{"(\w+)"')


@dataclass(frozen=True)
class Stmt:
    """One top-level statement: its parse tree and where its first token is.

    The tree is kept as the parser's JSON (an immutable string: no work for the
    garbage collector) and decoded by :attr:`node` at each access, so a caller
    reading it several times keeps its own reference."""

    raw: str  # sqlnodes.parse_json of ``text``
    offset: int  # character offset of the first token in the file text
    line: int
    base: int = 0  # file offset that the node's own ``location`` fields count from
    text: str = ""  # the text the node was parsed from (JsonNode locations count its bytes)
    index: int = 0  # which of the statements parsed from ``text``

    @property
    def node(self) -> Any:
        """The parse tree: a sqlnodes.JsonNode (CreateStmt, AlterTableStmt...), read
        like a pglast.ast node."""
        return sqlnodes.from_json(self.raw)[self.index]

    @property
    def kind(self) -> str:
        """``type(self.node).__name__``, without decoding the tree: the JSON of
        each statement starts ``{"stmt":{"Kind"`` (no other node has a ``stmt``
        key, and a string's quotes are escaped in JSON)."""
        return str(_KINDS.findall(self.raw)[self.index])

    def at(self, node: Any) -> int:
        """The file offset of ``node`` (one of this statement's), or the statement's."""
        loc = getattr(node, "location", None)
        if isinstance(node, sqlnodes.JsonNode) and isinstance(loc, int):
            loc = sqlnodes.char_index(self.text, loc)
        return self.base + loc if isinstance(loc, int) and loc >= 0 else self.offset


@dataclass(frozen=True)
class Allow:
    """A ``-- sqlmig: allow RULE reason`` comment."""

    rule: str
    reason: str
    line: int
    column: int
    whole_file: bool  # in the header: applies to every statement


@dataclass(frozen=True)
class SyntaxProblem:
    message: str
    offset: int


@dataclass
class ParsedFile:
    file: SqlFile
    statements: list[Stmt] = field(default_factory=list)
    allows: list[Allow] = field(default_factory=list)
    meta_commands: list[tuple[int, str]] = field(default_factory=list)  # (offset, command)
    syntax: list[SyntaxProblem] = field(default_factory=list)
    # The parser's JSON of each parsed statement, (json, offset, line, text): what
    # :func:`reparse` rebuilds the trees from without parsing the SQL again.
    raw: list[tuple[str, int, int, str]] = field(default_factory=list, repr=False)
    _lines: list[int] | None = field(default=None, repr=False)

    def location(self, offset: int) -> tuple[int, int]:
        """(line, column) of a character offset, as :func:`line_col` counts them."""
        text = self.file.text
        offset = max(0, min(offset, len(text)))
        if self._lines is None:
            starts, pos = [0], text.find("\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = text.find("\n", pos + 1)
            self._lines = starts
        line = bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1


def parse_file(file: SqlFile) -> ParsedFile:
    """Parse one file.  Never raises for bad SQL: syntax errors are recorded
    per statement so the rest of the file is still checked (sqltext splits a
    file the parser refuses with the scanner, and each statement is parsed
    on its own).

    The statements come from sqltext's analysis (its split); each is parsed
    here once, through pglast's JSON (:func:`sqlnodes.from_json`): the trees
    are the parser's, without the cost of building pglast.ast objects."""
    from pglast import parser

    analysis = file.analysis_unkept()
    parsed = ParsedFile(file)
    parsed.meta_commands = [(m.offset, m.word) for m in analysis.meta_commands]
    if analysis.lex_error is not None:
        parsed.syntax.append(SyntaxProblem(analysis.lex_error.message, analysis.lex_error.offset))
    else:
        for stmt in analysis.statements:
            # What sqltext's Statement.nodes and .syntax say, without their pglast.ast trees.
            try:
                raw = sqlnodes.parse_json(stmt.text)
            except parser.ParseError as exc:
                index = exc.args[1] if len(exc.args) > 1 and exc.args[1] is not None else 0
                parsed.syntax.append(SyntaxProblem(str(exc.args[0]), stmt.offset + int(index)))
                continue
            parsed.raw.append((raw, stmt.offset, stmt.line, stmt.text))
        _statements(parsed)
    if _may_have_allow(file.text):
        parsed.allows = _allows(file.text)
    return parsed




def _statements(parsed: ParsedFile) -> None:
    for raw, offset, line, text in parsed.raw:
        # One RawStmt per statement in the JSON, each with its "stmt" (the
        # grammar drops empty statements): one Stmt each.
        for index in range(raw.count('{"stmt":')):
            parsed.statements.append(Stmt(raw, offset, line, offset, text, index))


def reparse(parsed: ParsedFile) -> ParsedFile:
    """The same file again, from the JSON kept in ``parsed`` (no SQL is parsed
    again): for a pass over files already linted in the run."""
    again = ParsedFile(parsed.file, allows=parsed.allows, meta_commands=parsed.meta_commands,
                       syntax=parsed.syntax, raw=parsed.raw, _lines=parsed._lines)
    _statements(again)
    return again


def light(parsed: ParsedFile) -> ParsedFile:
    """``parsed`` without its Stmt objects (:func:`reparse` makes them again), to keep
    for the run: a few tuples and strings per file, which the garbage collector skips."""
    return ParsedFile(parsed.file, allows=parsed.allows, meta_commands=parsed.meta_commands,
                      syntax=parsed.syntax, raw=parsed.raw, _lines=parsed._lines)


def _may_have_allow(text: str) -> bool:
    return "sqlmig" in text and "allow" in text.lower()


def _allows(text: str) -> list[Allow]:
    """Every ``sqlmig: allow`` line comment, found by the scanner so that the
    same words inside a string or a function body do not count."""
    header_end = _header_end(text)
    found = []
    for start, comment in line_comments(text):
        m = ALLOW.match(comment.strip())
        if m is None:
            continue
        rule, _, reason = m.group("arg").strip().partition(" ")
        line, column = line_col(text, start)
        found.append(Allow(rule.strip(), reason.strip(), line, column, start < header_end))
    return found


def _header_end(text: str) -> int:
    """Offset where the header (leading comment and blank lines) ends; the
    same definition as migrations.parse_directives."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not stripped.startswith("--"):
            break
        pos += len(line)
    return pos


def suppression_for(parsed: ParsedFile, rule: str, stmt_line: int) -> Allow | None:
    """The allow comment that covers ``rule`` at a statement starting on
    ``stmt_line``: one in the header, or one in the run of comment lines
    directly above the statement."""
    if not parsed.allows:
        return None
    lines = parsed.file.text.splitlines()
    for allow in parsed.allows:
        if allow.rule != rule or not allow.reason:
            continue
        if allow.whole_file:
            return allow
        if allow.line < stmt_line and all(
            not lines[n - 1].strip() or lines[n - 1].lstrip().startswith("--")
            for n in range(allow.line + 1, stmt_line)
        ):
            return allow
    return None


# -- small readers of pglast nodes -----------------------------------------------------------


def names(seq: Any) -> list[str]:
    """('public', 'users') from a tuple of String nodes."""
    out = []
    for item in seq or ():
        value = getattr(item, "sval", None)
        if value is not None:
            out.append(value)
    return out


def relname(rangevar: Any) -> str:
    """The key a table is known by: ``name``, or ``schema.name`` outside public."""
    schema = getattr(rangevar, "schemaname", None)
    name = rangevar.relname
    return f"{schema}.{name}" if schema and schema != "public" else name


def qualified(parts: list[str]) -> str:
    if len(parts) >= 2 and parts[-2] != "public":
        return f"{parts[-2]}.{parts[-1]}"
    return parts[-1] if parts else ""


@lru_cache(maxsize=4096)
def shown(name: str, column: str | None = None) -> str:
    """A name as a reviewer must type it: ``"TaskRun".queue``, ``billing.invoices``.
    Parts that are not plain lower-case identifiers (or are keywords) are quoted."""
    from pglast.stream import maybe_double_quote_name

    parts = [*name.split("."), *([column] if column is not None else [])]
    return ".".join(maybe_double_quote_name(p) for p in parts)


_RANGE_VAR = frozenset({"RangeVar"})


def relations_in(node: Any) -> tuple[str, ...]:
    """The tables and views a query reads (every RangeVar in it), as relname keys."""
    found = [relname(n) for n in sqlnodes.walk(node, _RANGE_VAR)]
    return tuple(dict.fromkeys(found))


def type_name(type_node: Any) -> tuple[str, bool]:
    """(type name without pg_catalog, has a length modifier)."""
    parts = names(type_node.names)
    name = parts[-1] if parts else ""
    return name, bool(getattr(type_node, "typmods", None))
