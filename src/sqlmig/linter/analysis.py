"""A SQL file as PostgreSQL's own parser sees it (pglast), plus what the
parser cannot see: psql meta-commands and ``-- sqlmig: allow`` comments.

pglast embeds the server's grammar (libpg_query), so table names, flags such
as CONCURRENTLY or NOT VALID, and the difference between a keyword and the
same word inside a string, a comment or a dollar-quoted body are exact.  See
docs/lint.md ("design notes") for why this is pglast and not sqlparse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..core.files import SqlFile
from ..core.sqltext import line_col, meta_commands, split_statements

ALLOW = re.compile(r"^--\s*sqlmig:\s*allow\b(?P<arg>.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Stmt:
    """One top-level statement: its parse tree and where its first token is."""

    node: Any  # a pglast.ast node (CreateStmt, AlterTableStmt...)
    offset: int  # character offset of the first token in the file text
    line: int


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

    def location(self, offset: int) -> tuple[int, int]:
        return line_col(self.file.text, offset)


def parse_file(file: SqlFile) -> ParsedFile:
    """Parse one file.  Never raises for bad SQL: syntax errors are recorded
    per statement so the rest of the file is still checked."""
    from pglast import parse_sql, parser

    text = file.text
    parsed = ParsedFile(file)
    if "\\" in text:
        parsed.meta_commands = meta_commands(text)
        text = _blank(text, parsed.meta_commands)
    tokens = parser.scan(text) if _may_have_allow(text) else None
    try:
        prev = None
        for r in parse_sql(text):
            prev = _stmt(text, r.stmt, r.stmt_location or 0, prev)
            parsed.statements.append(prev)
    except parser.ParseError:
        # One bad statement must not hide the others: split with sqlparse
        # (which needs no valid grammar) and parse each piece on its own.
        for piece in split_statements(text):
            try:
                for r in parse_sql(piece.text):
                    parsed.statements.append(
                        _stmt(text, r.stmt, piece.offset + (r.stmt_location or 0)))
            except parser.ParseError as exc:
                message, index = exc.args[0], exc.args[1] if len(exc.args) > 1 else 0
                parsed.syntax.append(SyntaxProblem(str(message), piece.offset + int(index or 0)))
    if tokens is not None:
        parsed.allows = _allows(text, tokens)
    return parsed


def _stmt(text: str, node: Any, location: int, prev: Stmt | None = None) -> Stmt:
    offset = _first_token(text, location or 0)
    # Count lines from the previous statement only: counting from the start
    # of the file for each statement would make big files quadratic.
    base, line = (prev.offset, prev.line) if prev is not None and prev.offset <= offset else (0, 1)
    return Stmt(node=node, offset=offset, line=line + text.count("\n", base, offset))


def _first_token(text: str, pos: int) -> int:
    """Skip whitespace and comments: libpg_query's statement location may
    point just after the previous semicolon."""
    n = len(text)
    while pos < n:
        c = text[pos]
        if c.isspace():
            pos += 1
        elif text.startswith("--", pos):
            nl = text.find("\n", pos)
            pos = n if nl < 0 else nl + 1
        elif text.startswith("/*", pos):
            end = text.find("*/", pos + 2)
            pos = n if end < 0 else end + 2
        else:
            break
    return pos


def _may_have_allow(text: str) -> bool:
    return "sqlmig" in text and "allow" in text.lower()


def _allows(text: str, tokens: Any) -> list[Allow]:
    """Every ``sqlmig: allow`` line comment, found by the scanner so that the
    same words inside a string or a function body do not count."""
    header_end = _header_end(text)
    found = []
    for tok in tokens:
        if tok.name != "SQL_COMMENT":
            continue
        m = ALLOW.match(text[tok.start : tok.end + 1].strip())
        if m is None:
            continue
        rule, _, reason = m.group("arg").strip().partition(" ")
        line, column = line_col(text, tok.start)
        found.append(Allow(rule.strip(), reason.strip(), line, column, tok.start < header_end))
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


def _blank(text: str, metas: list[tuple[int, str]]) -> str:
    """Replace each meta-command up to the end of its line by spaces (psql
    reads it to the end of the line), keeping every offset unchanged."""
    chars = list(text)
    for offset, _ in metas:
        end = text.find("\n", offset)
        end = len(text) if end < 0 else end
        chars[offset:end] = " " * (end - offset)
    return "".join(chars)


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


def type_name(type_node: Any) -> tuple[str, bool]:
    """(type name without pg_catalog, has a length modifier)."""
    parts = names(type_node.names)
    name = parts[-1] if parts else ""
    return name, bool(getattr(type_node, "typmods", None))
