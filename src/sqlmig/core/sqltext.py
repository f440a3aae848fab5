"""SQL text: the one place that analyses it (statements, transaction control,
statements that cannot run in a transaction block, COPY to or from the client,
psql meta-commands, password literals), for the runner, lint, checks and the
redaction of what is shown back to a user.

Works on text alone; no connection is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Statements that end or start the surrounding transaction.  In a file that
# sqlmig wraps in a transaction they would break the all-or-nothing promise.
# ROLLBACK TO SAVEPOINT is fine: it stays inside the transaction.
TRANSACTION_CONTROL = re.compile(
    r"^(?:BEGIN|START\s+TRANSACTION|COMMIT|END|ABORT|"
    r"ROLLBACK(?!\s+(?:WORK\s+|TRANSACTION\s+)?TO\b)|PREPARE\s+TRANSACTION)\b",
    re.IGNORECASE,
)
# Transaction control including savepoints, for integrity checks: a check runs
# inside a transaction sqlmig owns (on the leader, the one that exported the
# snapshot); ending it would let the next checks run outside the snapshot.
ANY_TRANSACTION_CONTROL = re.compile(
    r"^(?:BEGIN|START|COMMIT|END|ABORT|ROLLBACK|PREPARE\s+TRANSACTION|SAVEPOINT|RELEASE)\b",
    re.IGNORECASE,
)
COPY_STDIO = re.compile(r"^COPY\b.*\b(?:STDIN|STDOUT)\b", re.IGNORECASE | re.DOTALL)
# Statements PostgreSQL refuses inside a transaction block (SQLSTATE 25001).
NO_TRANSACTION_BLOCK = re.compile(
    r"^(?:CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY|DROP\s+INDEX\s+CONCURRENTLY"
    r"|REINDEX\s+(?:\([^)]*\)\s*)?\w+\s+CONCURRENTLY|VACUUM|CREATE\s+DATABASE|DROP\s+DATABASE"
    r"|ALTER\s+SYSTEM|CREATE\s+TABLESPACE|DROP\s+TABLESPACE)\b",
    re.IGNORECASE,
)
# Cheap pre-filter: a file without any of these words or a backslash cannot
# contain transaction control, COPY from stdin, a statement that refuses a
# transaction block or a psql meta-command, so the full lexer can be skipped
# (most migrations).
MAYBE_SUSPECT = re.compile(
    r"\\|\b(?:begin|start|commit|end|abort|rollback|prepare|copy|concurrently|vacuum"
    r"|database|system|tablespace)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Statement:
    """One top-level SQL statement of a file."""

    index: int  # 1-based position in the file
    text: str
    offset: int  # character offset of the statement's first character in the file text
    line: int


def split_statements(text: str) -> list[Statement]:
    """Split SQL text into top-level statements with their offsets.

    sqlparse's splitter keeps dollar-quoted bodies, comments and
    ``BEGIN ATOMIC ... END`` function bodies together.  The statements it
    yields concatenate back to the input, which gives exact offsets.
    """
    from sqlparse import engine

    stack = engine.FilterStack()  # type: ignore[no-untyped-call]
    result: list[Statement] = []
    offset = 0
    for stmt in stack.run(text):  # type: ignore[no-untyped-call]
        chunk = str(stmt)
        start = offset
        offset += len(chunk)
        # Leading comments belong to the file, not the statement: the offset
        # (and so the reported line) is that of the statement's first token.
        body = strip_leading_comments(chunk).rstrip()
        if not body or not has_sql(body):
            continue
        lead = start + chunk.find(body)
        line, _ = line_col(text, lead)
        result.append(Statement(index=len(result) + 1, text=body, offset=lead, line=line))
    return result


def find_meta_command(text: str) -> tuple[int, int, str] | None:
    """(line, column, command) of the first psql backslash command outside
    strings and comments, or None."""
    found = meta_commands(text)
    if not found:
        return None
    offset, word = found[0]
    line, column = line_col(text, offset)
    return line, column, word


def meta_commands(text: str) -> list[tuple[int, str]]:
    """(offset, command) of every psql backslash command outside strings and comments."""
    from sqlparse import lexer, tokens

    found = []
    offset = 0
    for ttype, value in lexer.tokenize(text):  # type: ignore[no-untyped-call]
        if ttype in tokens.Generic.Command or (
            value.startswith("\\") and ttype not in tokens.String and ttype not in tokens.Comment
        ):
            found.append((offset, value.split()[0] if value.split() else value))
        offset += len(value)
    return found


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a 0-based character offset into ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def excerpt(text: str, line: int, context: int = 2) -> str:
    """A few numbered lines of ``text`` around ``line``, the line itself marked."""
    lines = text.splitlines()
    first, last = max(1, line - context), min(len(lines), line + context)
    width = len(str(last))
    out = []
    for n in range(first, last + 1):
        mark = ">" if n == line else " "
        out.append(f"{mark} {n:>{width}} | {lines[n - 1]}")
    return "\n".join(out)


_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


def has_sql(text: str) -> bool:
    if "--" not in text and "/*" not in text:
        return bool(text.strip().strip(";").strip())
    return bool(_COMMENTS.sub("", text).replace(";", "").strip())


def strip_leading_comments(text: str) -> str:
    while True:
        s = text.lstrip()
        if s.startswith("--"):
            nl = s.find("\n")
            text = "" if nl < 0 else s[nl + 1 :]
        elif s.startswith("/*"):
            end = s.find("*/")
            text = "" if end < 0 else s[end + 2 :]
        else:
            return s


# CREATE/ALTER ROLE ... PASSWORD 'secret' in SQL shown back to a user.
_PASSWORD = re.compile(r"(?P<pre>\bPASSWORD\s+)(?P<pw>E?'(?:[^']|'')*')", re.I)


def mask_passwords(text: str) -> str:
    """``text`` with every ``PASSWORD '...'`` literal replaced by ``'***'``."""
    return _PASSWORD.sub(lambda m: m.group("pre") + "'***'", text)
