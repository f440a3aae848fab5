"""SQL text: the one place that analyses it, with PostgreSQL's own grammar.

pglast embeds the server's parser and scanner (libpg_query), so statement
boundaries, and the difference between a keyword and the same word inside a
string, a comment or a dollar-quoted body, are the server's.  Everything that
reads SQL goes through :func:`analyse`: the runner (statements of
no-transaction files), file validation, lint, checks, docs history and the
redaction of passwords shown back to a user.

A file is parsed once.  When pglast's parser rejects it (a syntax error, or
syntax newer than pglast's grammar) it still runs, because the server is the
judge of syntax: boundaries then come from pglast's scanner, which is
PostgreSQL's lexer, and the analysis says ``parsed=False`` so that nothing
relies on the split where a wrong one could change what is committed.

Offsets are character offsets into the text (pglast works on UTF-8 bytes;
the conversions here never count from offset 0 again, so everything is
linear in the size of the text).  Works on text alone; no connection is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from . import sqlnodes

# PostgreSQL's whitespace (scan.l's `space`): not Python's str.isspace(),
# which also takes NO-BREAK SPACE and friends that PostgreSQL reads as
# identifier characters.
SPACE = " \t\n\r\f\v"
_GAP = re.compile(r"(?:[ \t\n\r\f\v;]+|--[^\n\r]*)*")
_WORD = re.compile(r"[A-Za-z_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# A dollar-quote tag with non-ASCII characters: the scanner's ASCII stand-in
# text (see _scan) would make different tags look equal.
_NON_ASCII_TAG = re.compile(r"\$[^$\s\x00-\x7f]*[^\x00-\x7f][^$\s]*\$")
_META = re.compile(r"\\[^\s\\;]*")

_TRANSACTION_WORDS = {"begin", "start", "commit", "end", "abort", "rollback", "prepare",
                      "savepoint", "release"}
_NO_BLOCK_WORDS = {"create", "drop", "reindex", "vacuum", "alter", "cluster", "discard"}
# A CREATE, ALTER or DROP refuses a transaction block only with one of these.
_NEEDS_A_MARKER = {"create", "drop", "alter"}
_NO_BLOCK_MARKERS = {"CONCURRENTLY", "DATABASE", "TABLESPACE", "SYSTEM", "SUBSCRIPTION"}
# The same words anywhere in the text (comments and strings too): a cheap
# first look, before the scanner tells keywords from the rest.
_MAYBE_MARKER = re.compile("|".join(sorted(_NO_BLOCK_MARKERS)), re.IGNORECASE)


@dataclass(frozen=True)
class SyntaxProblem:
    """What pglast's parser or scanner said, at a character offset of the text."""

    message: str
    offset: int


@dataclass(frozen=True)
class MetaCommand:
    """A psql backslash command outside strings and comments."""

    offset: int
    line: int
    column: int
    word: str  # e.g. "\\i"


@dataclass(frozen=True)
class Statement:
    """One top-level SQL statement of a text."""

    index: int  # 1-based position in the file
    text: str  # from its first token (leading comments excluded), without the ``;``
    offset: int  # character offset of the statement's first token in the file text
    line: int

    @cached_property
    def keyword(self) -> str:
        """The first word, lowercased ("create", "begin"...); "" if it starts otherwise."""
        m = _WORD.match(self.text)
        return m.group().lower() if m else ""

    @cached_property
    def _tree(self) -> tuple[tuple[Any, ...], SyntaxProblem | None]:
        from pglast import parser

        try:
            return tuple(r.stmt for r in parser.parse_sql(self.text)), None
        except parser.ParseError as exc:
            index = exc.args[1] if len(exc.args) > 1 and exc.args[1] is not None else 0
            return (), SyntaxProblem(str(exc.args[0]), self.offset + int(index))

    @property
    def nodes(self) -> tuple[Any, ...]:
        """The parse trees of the statement (pglast.ast nodes, locations relative
        to :attr:`text`); empty when pglast cannot parse it."""
        return self._tree[0]

    @property
    def node(self) -> Any | None:
        nodes = self._tree[0]
        return nodes[0] if len(nodes) == 1 else None

    @property
    def syntax(self) -> SyntaxProblem | None:
        """pglast's syntax error for this statement alone, if any."""
        return self._tree[1]

    def transaction_control(self, *, savepoints: bool = False) -> str | None:
        """The statement's first word ("COMMIT", "END", "PREPARE") if it starts
        or ends the surrounding transaction; with ``savepoints``, SAVEPOINT,
        RELEASE and ROLLBACK TO too.  ROLLBACK TO SAVEPOINT otherwise stays
        inside the transaction and is not reported."""
        if self.keyword not in _TRANSACTION_WORDS:
            return None
        words = _words(self.text)
        node = self.node
        if node is not None:
            kind = sqlnodes.transaction_kind(node)
            if kind is None or (kind in sqlnodes.SAVEPOINT_KINDS and not savepoints):
                return None
            return self.keyword.upper()
        # pglast cannot parse it: judge by the words, erring towards refusal.
        if words[:1] == ["PREPARE"] and words[1:2] != ["TRANSACTION"]:
            return None
        if not savepoints and (words[:1] in (["SAVEPOINT"], ["RELEASE"]) or (
                words[:1] == ["ROLLBACK"] and "TO" in words[1:3])):
            return None
        return self.keyword.upper()

    def no_transaction_block(self) -> str | None:
        """What PostgreSQL calls the statement when it refuses to run it inside a
        transaction block (SQLSTATE 25001), e.g. "CREATE INDEX CONCURRENTLY"."""
        if self.keyword not in _NO_BLOCK_WORDS:
            return None
        if self.keyword in _NEEDS_A_MARKER and not (
                _MAYBE_MARKER.search(self.text)
                and _NO_BLOCK_MARKERS.intersection(_words(self.text))):
            # Most migrations are CREATE/ALTER/DROP of tables and indexes: only
            # these keywords can make one refuse a transaction block, and
            # scanning for them is far cheaper than building the parse tree.
            return None
        node = self.node
        if node is not None:
            return sqlnodes.no_transaction_block(node)
        return sqlnodes.no_transaction_block_words(" ".join(_words(self.text)))

    def copy_stdio(self) -> bool:
        """COPY ... FROM STDIN or TO STDOUT (data through the client)."""
        if self.keyword != "copy":
            return False
        node = self.node
        if node is not None:
            return sqlnodes.copy_stdio(node)
        words = _words(self.text)
        return "STDIN" in words or "STDOUT" in words

    def touches(self) -> list[tuple[str, str]]:
        """(action, relation) for each table or view the statement defines or
        changes: "create", "change" or "drop" (see :func:`sqlnodes.touches`)."""
        node = self.node
        return sqlnodes.touches(node) if node is not None else []


@dataclass(frozen=True)
class Analysis:
    """A SQL text as PostgreSQL reads it."""

    statements: tuple[Statement, ...]
    # pglast's parser accepted the whole text: the boundaries are the server's
    # own.  False: they come from the scanner (a syntax error, newer syntax,
    # psql meta-commands) and BEGIN ATOMIC bodies were found with psql's rule.
    parsed: bool
    syntax: SyntaxProblem | None = None  # why the parser refused the text
    # The scanner refused the text (an unterminated string, quoted identifier,
    # dollar quote or comment): the server's lexer refuses it the same way.
    # ``statements`` is then the whole text as one statement.
    lex_error: SyntaxProblem | None = None
    meta_commands: tuple[MetaCommand, ...] = ()


def analyse(text: str) -> Analysis:
    """Split and classify ``text`` (see the module docstring); never raises for bad SQL."""
    from pglast import parser

    try:
        pieces = parser.split(text)
    except parser.ParseError as exc:
        index = exc.args[1] if len(exc.args) > 1 and exc.args[1] is not None else 0
        return _scanned(text, SyntaxProblem(str(exc.args[0]), int(index)))
    located = _locate(text, pieces)
    if located is None:
        # Never expected (pglast's own statements, found again in its input);
        # if it happens, the scanner's split is the honest answer.
        return _scanned(text, SyntaxProblem("statement boundaries could not be matched", 0))
    return Analysis(statements=tuple(_statements(text, located)), parsed=True)


def split_statements(text: str) -> list[Statement]:
    """The top-level statements of ``text`` (see :func:`analyse`)."""
    return list(analyse(text).statements)


def _locate(text: str, pieces: tuple[str, ...]) -> list[tuple[int, int]] | None:
    """(start, end) character spans of pglast's statements.  pglast gives each
    statement's text (from its UTF-8 bytes, stripped); between two statements
    there is only PostgreSQL whitespace, comments and semicolons, so each is
    found by skipping those from the end of the previous one."""
    spans = []
    pos, n = 0, len(text)
    for piece in pieces:
        pos = _skip_gap(text, pos)
        if not text.startswith(piece, pos):
            return None
        end = pos + len(piece)
        # str.strip() also removed trailing characters PostgreSQL does not
        # take for whitespace (NO-BREAK SPACE ending an identifier): keep them.
        while end < n and text[end].isspace() and text[end] not in SPACE:
            end += 1
        spans.append((pos, end))
        pos = end
    return spans


def _skip_gap(text: str, pos: int) -> int:
    n = len(text)
    while True:
        m = _GAP.match(text, pos)
        pos = m.end() if m else pos
        if not text.startswith("/*", pos):
            return pos
        pos = _comment_end(text, pos)
        if pos >= n:
            return n


def _comment_end(text: str, pos: int) -> int:
    """The offset after the block comment at ``pos``; PostgreSQL nests them."""
    depth, pos, n = 1, pos + 2, len(text)
    while depth and pos < n:
        close, open_ = text.find("*/", pos), text.find("/*", pos)
        if close < 0:
            return n
        if 0 <= open_ < close:
            depth, pos = depth + 1, open_ + 2
        else:
            depth, pos = depth - 1, close + 2
    return pos


def _statements(text: str, spans: list[tuple[int, int]]) -> list[Statement]:
    """Statements from character spans; lines are counted from the previous
    statement only, so the whole is linear in the size of the text."""
    out: list[Statement] = []
    line, counted = 1, 0
    for start, end in spans:
        start = _skip_gap(text, start)
        body = text[start:end].rstrip(SPACE)
        if not body:
            continue
        line += text.count("\n", counted, start)
        counted = start
        out.append(Statement(index=len(out) + 1, text=body, offset=start, line=line))
    return out


# -- the scanner's split, for text the parser refuses -----------------------------------------


def _scan(text: str) -> list[Any]:
    """pglast's tokens of ``text``.  pglast converts each token's byte offset to
    a character index by walking every non-ASCII character of the text, which
    is quadratic; the tokens of an ASCII stand-in (each non-ASCII character
    replaced by ``_``, which PostgreSQL's lexer treats the same way: a letter
    of an identifier, a dollar-quote tag or the inside of a literal) are the
    same tokens at the same character offsets."""
    from pglast import parser

    if not text.isascii() and not _NON_ASCII_TAG.search(text):
        text = _NON_ASCII.sub("_", text)
    return list(parser.scan(text))


def _scanned(text: str, syntax: SyntaxProblem) -> Analysis:
    from pglast import parser

    try:
        tokens = _scan(text)
    except parser.ParseError as exc:
        index = exc.args[1] if len(exc.args) > 1 and exc.args[1] is not None else 0
        lex = SyntaxProblem(str(exc.args[0]), int(index))
        whole = _statements(text, [(0, len(text))])
        return Analysis(statements=tuple(whole), parsed=False, syntax=syntax, lex_error=lex)
    metas, tokens = _meta_commands(text, tokens)
    if metas:
        # Offsets stay those of the file: each command and its arguments are blanked.
        chars = list(text)
        for meta in metas:
            end = text.find("\n", meta.offset)
            end = len(text) if end < 0 else end
            chars[meta.offset:end] = " " * (end - meta.offset)
        text = "".join(chars)
    return Analysis(statements=tuple(_statements(text, _token_spans(tokens))), parsed=False,
                    syntax=syntax, meta_commands=tuple(metas))


def _meta_commands(text: str, tokens: list[Any]) -> tuple[list[MetaCommand], list[Any]]:
    """psql meta-commands (a backslash token: outside literals and comments),
    and the tokens without them; psql reads a command's arguments to the end
    of its line."""
    if "\\" not in text:
        return [], tokens
    metas: list[MetaCommand] = []
    kept = []
    line, counted, skip_until = 1, 0, -1
    for tok in tokens:
        if tok.start < skip_until:
            continue
        if tok.name == "ASCII_92":
            line += text.count("\n", counted, tok.start)
            counted = tok.start
            column = tok.start - (text.rfind("\n", 0, tok.start) + 1) + 1
            m = _META.match(text, tok.start)
            metas.append(MetaCommand(tok.start, line, column, m.group() if m else "\\"))
            nl = text.find("\n", tok.start)
            skip_until = len(text) if nl < 0 else nl
            continue
        kept.append(tok)
    return metas, kept


_ROUTINE_HEAD = {"CREATE", "FUNCTION", "PROCEDURE", "OR", "REPLACE"}


def _token_spans(tokens: list[Any]) -> list[tuple[int, int]]:
    """Statement spans at top-level semicolons.  ``BEGIN ATOMIC ... END``
    bodies hold semicolons of their own; they are kept whole with psql's rule
    (psqlscan.l): in a statement that starts CREATE [OR REPLACE] FUNCTION or
    PROCEDURE, outside parentheses, BEGIN opens a block, CASE inside a block
    opens one too, and END closes one."""
    spans: list[tuple[int, int]] = []
    start = end = -1
    head: list[str] = []
    depth = parens = 0
    for tok in tokens:
        name = tok.name
        if name == "ASCII_59" and depth == 0:
            if start >= 0:
                spans.append((start, end))
            start = end = -1
            head, parens = [], 0
            continue
        if name in ("SQL_COMMENT", "C_COMMENT"):
            if start >= 0:
                end = tok.end + 1
            continue
        if start < 0:
            start = tok.start
        end = tok.end + 1
        if name == "ASCII_40":
            parens += 1
        elif name == "ASCII_41":
            parens = max(0, parens - 1)
        if len(head) < 4:
            head.append(name if name in _ROUTINE_HEAD else "")
        routine = head[:2] in (["CREATE", "FUNCTION"], ["CREATE", "PROCEDURE"]) or (
            head[:3] == ["CREATE", "OR", "REPLACE"] and head[3:4] in (["FUNCTION"], ["PROCEDURE"]))
        if routine and parens == 0:
            if name == "BEGIN_P":
                depth += 1
            elif name == "CASE" and depth:
                depth += 1
            elif name == "END_P" and depth:
                depth -= 1
    if start >= 0:
        spans.append((start, end))
    return spans


def _words(text: str) -> list[str]:
    """The statement's keywords and identifiers, uppercased, without comments
    or literals: enough to classify a statement pglast cannot parse."""
    from pglast import parser

    try:
        tokens = _scan(text)
    except parser.ParseError:
        return [w.upper() for w in _WORD.findall(text)[:8]]
    return [text[t.start:t.end + 1].upper() for t in tokens
            if t.name == "IDENT" or t.kind != "NO_KEYWORD"]


# -- positions and excerpts -------------------------------------------------------------------


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a 0-based character offset into ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def excerpt(text: str, line: int, context: int = 2) -> str:
    """A few numbered lines of ``text`` around ``line``, the line itself marked.
    Lines end at "\\n" only, as :func:`line_col` counts them (str.splitlines
    would also break at a lone CR or a form feed and shift the numbers)."""
    lines = [ln.removesuffix("\r") for ln in text.split("\n")]
    first, last = max(1, line - context), min(len(lines), line + context)
    width = len(str(last))
    out = []
    for n in range(first, last + 1):
        mark = ">" if n == line else " "
        out.append(f"{mark} {n:>{width}} | {lines[n - 1]}")
    return "\n".join(out)


# -- comments and passwords -------------------------------------------------------------------


def line_comments(text: str) -> list[tuple[int, str]]:
    """(offset, text) of every ``--`` comment, found by the scanner so that the
    same characters inside a literal or a dollar-quoted body do not count."""
    from pglast import parser

    try:
        tokens = _scan(text)
    except parser.ParseError:
        return []
    return [(t.start, text[t.start:t.end + 1]) for t in tokens if t.name == "SQL_COMMENT"]


_LITERALS = {"SCONST", "USCONST"}
# The safety net for text that is not SQL the scanner can read as meant (an
# error message with an apostrophe, an excerpt cut inside a literal): PASSWORD,
# comments, then a literal in any spelling.
_PASSWORD = re.compile(
    r"\bPASSWORD(?:\s+|--[^\n]*\n|/\*.*?\*/)*"
    r"(?P<pw>(?:E|U&)?'(?:[^'\\]|''|\\.)*'?|(?P<tag>\$[A-Za-z_]*\$).*?(?:(?P=tag)|$))",
    re.IGNORECASE | re.DOTALL,
)


def password_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every literal that follows the keyword PASSWORD
    (``'...'``, ``E'...'``, ``U&'...'``, ``$$...$$``, ``$tag$...$tag$``, with
    comments between), as PostgreSQL's lexer reads ``text``."""
    from pglast import parser

    if "password" not in text.lower():
        return []
    spans = []
    try:
        tokens = [t for t in _scan(text) if t.name not in ("SQL_COMMENT", "C_COMMENT")]
    except parser.ParseError:
        tokens = []
    for prev, tok in zip(tokens, tokens[1:]):
        if prev.name == "PASSWORD" and tok.name in _LITERALS:
            spans.append((tok.start, tok.end + 1))
    spans += [m.span("pw") for m in _PASSWORD.finditer(text)]
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def mask_passwords(text: str) -> str:
    """``text`` with every password literal (see :func:`password_spans`) replaced by ``'***'``."""
    spans = password_spans(text)
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in spans:
        parts += [text[pos:start], "'***'"]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# -- the normalized checksum: a file's tokens, without comments and whitespace -----------------

# Stored beside each normalized checksum in the ledger: a change of this
# function's rules gets a new name, and a checksum made under another name is
# never compared (only the raw checksum counts then).
NORMALIZER = "pglast-tokens-1"
# `-- sqlmig: ...` comments are directives (no-transaction, irreversible,
# allow): they change how the file runs, so they count like SQL.
_DIRECTIVE_COMMENT = re.compile(r"--\s*sqlmig\s*:", re.IGNORECASE)


def normalized_checksum(text: str) -> str | None:
    """SHA-256 of ``text``'s tokens as PostgreSQL's lexer reads them (pglast's
    scanner), comments and the whitespace between tokens left out; None when
    the scanner refuses the text (an unterminated string or comment), so that
    only a byte-identical file counts as unchanged.

    Each token's text is kept verbatim: a string or dollar-quoted body (a
    function's body) with other whitespace inside, a keyword in another case,
    or a changed ``-- sqlmig:`` directive is a real change.  Tokens are
    length-prefixed rather than joined with a space: a ``--`` directive
    comment runs to the end of its line, and would swallow what a space
    joined to it.
    """
    import hashlib

    from pglast import parser

    try:
        tokens = _scan(text)
    except parser.ParseError:
        return None
    pieces = []
    for tok in tokens:
        piece = text[tok.start:tok.end + 1]
        if tok.name in ("SQL_COMMENT", "C_COMMENT"):
            if not _DIRECTIVE_COMMENT.match(piece):
                continue
            piece = " ".join(piece.split())
        pieces.append(piece)
    # One hash update of "<bytes>:<token>" for each token, in one string: an
    # ASCII token's length in characters is its length in bytes.
    if text.isascii():
        data = "".join([f"{len(piece)}:{piece}" for piece in pieces]).encode("ascii")
    else:
        data = b"".join([b"%d:%b" % (len(raw), raw)
                         for raw in (piece.encode("utf-8") for piece in pieces)])
    return hashlib.sha256(NORMALIZER.encode() + data).hexdigest()
