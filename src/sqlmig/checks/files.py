"""Integrity checks: one ``.sql`` file in ``sql/checks/`` is one check.

A check file holds one query returning rows with the columns ``status``
(PASS, WARN or FAIL), ``name`` and ``detail``; extra columns are kept as
context.  Zero rows means PASS.  The header may carry directives::

    -- sqlmig: description Every exam has at least one question
    -- sqlmig: tags nightly, core
    -- sqlmig: timeout 30s

Files are read and parsed here, before any connection opens, into immutable
:class:`CheckFile` values; :mod:`sqlmig.check_run` executes them and
:mod:`sqlmig.check_report` holds the typed results and their renderings.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import settings, sqlnodes, sqltext
from ..errors import ConfigError, MigrationFileError
from ..core.files import parse_directives
from ..core.sqltext import line_col
from .report import CheckFault

if TYPE_CHECKING:
    from ..core.project import Project

CHECKS_DIR = "checks"
BUILTIN_PREFIX = "builtin/"
DEFAULT_TIMEOUT_MS = 60_000
DEFAULT_JOBS = 4

# Directive -> whether it needs an argument.
CHECK_DIRECTIVES = {"description": True, "tags": True, "timeout": True}
# Built-in checks may also declare what sqlmig binds for them: ``needs ledger``
# runs the query with search_path set to the ledger schema and the project's
# migration files bound as %(migration_files)s (a JSON array).
BUILTIN_DIRECTIVES = {**CHECK_DIRECTIVES, "needs": True}
NEEDS = ("ledger",)

_TAG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_PLACEHOLDER = re.compile(r"%\(\w+\)s")
@dataclass(frozen=True)
class CheckFile:
    """One check, read and parsed once."""

    name: str  # file stem; ``builtin/<stem>`` for the package's checks
    relpath: str  # ``checks/<file>.sql`` (relative to sql/), or ``builtin/<file>.sql``
    path: Path
    query: str  # the one statement, without its trailing semicolon
    checksum: str
    description: str | None = None
    tags: tuple[str, ...] = ()
    timeout_ms: int | None = None  # from ``-- sqlmig: timeout``; None: the run's default
    needs: str | None = None  # built-in checks only, see BUILTIN_DIRECTIVES
    line: int = 1  # where the query starts in the file, to place server error positions
    column: int = 1
    # Why sqlmig will not run it (more than a query, see read_only_refusal):
    # the check is reported ERROR without touching the database.
    refusal: CheckFault | None = None

    @property
    def builtin(self) -> bool:
        return self.name.startswith(BUILTIN_PREFIX)


def parse_duration(text: str) -> int:
    """Milliseconds of a check timeout (``500ms``, ``30s``, ``2min``): the one
    duration grammar, above zero."""
    d = settings.timeout(text)
    if not d:
        raise ValueError(f"`{text}`: a check timeout must be above zero")
    return d.milliseconds


def parse_check(text: str, name: str, relpath: str, path: Path, checksum: str, *,
                builtin: bool = False) -> CheckFile:
    """A :class:`CheckFile` from a file's text; refuses (MigrationFileError, exit 2)
    anything but one query with known directives."""
    known = BUILTIN_DIRECTIVES if builtin else CHECK_DIRECTIVES
    directives = parse_directives(text, relpath, path, known)
    timeout_ms = None
    if "timeout" in directives:
        try:
            timeout_ms = parse_duration(directives["timeout"])
        except ValueError as exc:
            line = _directive_line(text, "timeout")
            raise MigrationFileError(f"{relpath}:{line}: {exc}.", path=path, line=line) from None
    tags: tuple[str, ...] = ()
    if "tags" in directives:
        tags = tuple(t.strip().lower() for t in directives["tags"].split(",") if t.strip())
        bad = [t for t in tags if not _TAG.match(t)]
        if bad:
            line = _directive_line(text, "tags")
            raise MigrationFileError(
                f"{relpath}:{line}: bad tag {bad[0]!r}: tags are comma-separated words of "
                "lowercase letters, digits, '-', '_' and '.', e.g. `-- sqlmig: tags nightly, core`.",
                path=path, line=line,
            )
    needs = directives.get("needs")
    if needs is not None and needs not in NEEDS:
        raise MigrationFileError(f"{relpath}: unknown `needs {needs}`.", path=path)
    analysis = sqltext.analyse(text)
    if analysis.lex_error is not None:
        line, column = line_col(text, analysis.lex_error.offset)
        raise MigrationFileError(
            f"{relpath}:{line}:{column}: {analysis.lex_error.message}. Close the string, "
            "quoted identifier, dollar quote or comment.",
            path=path, line=line, column=column,
        )
    if analysis.meta_commands:
        meta = analysis.meta_commands[0]
        raise MigrationFileError(
            f"{relpath}:{meta.line}:{meta.column}: psql meta-command {meta.word} cannot run "
            "through a driver. Write the check as one plain SQL query.",
            path=path, line=meta.line, column=meta.column,
        )
    statements = analysis.statements
    if not statements:
        raise MigrationFileError(
            f"{relpath}: the file contains no query. A check is one SELECT returning the "
            "columns status, name and detail (zero rows means PASS).",
            path=path,
        )
    if len(statements) > 1:
        second = statements[1]
        raise MigrationFileError(
            f"{relpath}:{second.line}: a check file holds exactly one query, found "
            f"{len(statements)} statements. Combine them (WITH ... UNION ALL ...) or split "
            "them into one file per check.",
            path=path, line=second.line,
        )
    stmt = statements[0]
    word = stmt.transaction_control(savepoints=True)
    if word is not None:
        raise MigrationFileError(
            f"{relpath}:{stmt.line}: {word} is not allowed in a check: sqlmig runs every check "
            "in its own read-only transaction on a shared snapshot. Remove it.",
            path=path, line=stmt.line,
        )
    query = stmt.text.rstrip().rstrip(";").rstrip()
    line, column = line_col(text, stmt.offset)
    return CheckFile(
        name=name, relpath=relpath, path=path, query=query, checksum=checksum,
        description=directives.get("description"), tags=tags, timeout_ms=timeout_ms,
        needs=needs, line=line, column=column, refusal=read_only_refusal(text, stmt, needs),
    )


def read_only_refusal(text: str, stmt: sqltext.Statement,
                      needs: str | None = None) -> CheckFault | None:
    """Why the check's statement is more than a query, placed in the file
    (``text``), or None.  Defence in depth on top of the read-only role the
    checks run as: what the query's functions do inside is not seen here."""
    if needs is not None:
        # The query of a built-in check carries psycopg placeholders: read it
        # as the server will, with a parameter in their place.
        bound = _PLACEHOLDER.sub("$1", stmt.text).replace("%%", "%")
        stmt = replace(sqltext.analyse(bound).statements[0], offset=stmt.offset,
                       line=stmt.line)
    node = stmt.node
    if node is None:
        problem = stmt.syntax
        where = line_col(text, problem.offset) if problem is not None else (stmt.line, 1)
        said = f" ({problem.message})" if problem is not None else ""
        return CheckFault(
            f"sqlmig cannot parse this query{said}, so it cannot tell that it only reads; "
            "a check must be one SELECT that sqlmig's parser (PostgreSQL's grammar) reads.",
            None, *where)
    found = sqlnodes.not_read_only(node)
    if not found:
        return None
    what, location = found[0]
    offset = stmt.offset
    if location is not None:
        offset += len(stmt.text.encode("utf-8")[:location].decode("utf-8", errors="ignore"))
    line, column = line_col(text, offset)
    if what.endswith("()"):
        reason = (f"the function {what} has effects beyond returning rows (it writes, locks, "
                  "signals, reaches another database or assigns a transaction id)")
    else:
        reason = f"{what} is not a query"
    return CheckFault(
        f"{reason}: a check may only read. sqlmig refused to run it. Write it as one SELECT "
        "(WITH ... SELECT, VALUES or TABLE) that returns status, name and detail, and do "
        "any change in a migration.", None, line, column)


def read_check(path: Path, relpath: str, name: str, *, builtin: bool = False) -> CheckFile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MigrationFileError(f"{relpath}: cannot read: {exc.strerror}", path=path) from exc
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise MigrationFileError(
            f"{relpath}:{line}: not valid UTF-8. Save the file as UTF-8.", path=path, line=line
        ) from None
    return parse_check(text, name, relpath, path, hashlib.sha256(raw).hexdigest(), builtin=builtin)


def discover(sql_dir: Path) -> list[CheckFile]:
    """Every ``sql/checks/*.sql`` file, sorted by name (subdirectories are not read)."""
    directory = sql_dir / CHECKS_DIR
    if not directory.is_dir():
        return []
    return [
        read_check(p, f"{CHECKS_DIR}/{p.name}", p.stem)
        for p in sorted(directory.glob("*.sql"))
        if p.is_file()
    ]


def builtin_checks() -> list[CheckFile]:
    """The generic checks shipped in the package (``sqlmig/sql/builtin_checks``)."""
    pkg = resources.files(__package__) / "sql" / "builtin"
    out = []
    for entry in sorted(pkg.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            stem = entry.name[:-4]
            out.append(read_check(Path(str(entry)), f"{BUILTIN_PREFIX}{entry.name}",
                                  f"{BUILTIN_PREFIX}{stem}", builtin=True))
    return out


def select(
    checks: Sequence[CheckFile],
    *,
    only: Iterable[str] = (),
    tags: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> list[CheckFile]:
    """The checks chosen by ``only`` (names or globs), ``tags`` (any of them) and
    ``exclude`` (names, globs or tags).  A selector that matches nothing is an
    error (ConfigError), so that a typo cannot silently skip a check."""
    only, tags, exclude = _split(only), [t.lower() for t in _split(tags)], _split(exclude)
    names = [c.name for c in checks]
    all_tags = sorted({t for c in checks for t in c.tags})

    def matches(pattern: str, check: CheckFile) -> bool:
        return fnmatch.fnmatchcase(check.name, pattern)

    for pattern in only:
        if not any(matches(pattern, c) for c in checks):
            raise ConfigError(
                f"--only {pattern}: no such check. Checks: {', '.join(names) or 'none'}."
            )
    for tag in tags:
        if tag not in all_tags:
            raise ConfigError(
                f"--tag {tag}: no check has this tag. Tags: {', '.join(all_tags) or 'none'}."
            )
    for pattern in exclude:
        if pattern.lower() not in all_tags and not any(matches(pattern, c) for c in checks):
            raise ConfigError(
                f"--exclude {pattern}: matches no check name or tag. "
                f"Checks: {', '.join(names) or 'none'}; tags: {', '.join(all_tags) or 'none'}."
            )
    chosen = []
    for c in checks:
        if only and not any(matches(p, c) for p in only):
            continue
        if tags and not set(tags) & set(c.tags):
            continue
        if any(matches(p, c) or p.lower() in c.tags for p in exclude):
            continue
        chosen.append(c)
    return chosen


def load(project: Project, *, builtin: bool = False, only: Iterable[str] = (),
         tags: Iterable[str] = (), exclude: Iterable[str] = ()) -> list[CheckFile]:
    """The project's checks (and the built-in ones), selected; refuses an empty selection."""
    found = discover(project.sql_dir) + (builtin_checks() if builtin else [])
    if not found:
        raise ConfigError(
            f"no checks to run: {project.sql_dir / CHECKS_DIR} has no .sql files. Add a check "
            "file there, or pass --builtin for sqlmig's generic checks.",
            path=project.sql_dir / CHECKS_DIR,
        )
    chosen = select(found, only=only, tags=tags, exclude=exclude)
    if not chosen:
        raise ConfigError("the selection (--only/--tag/--exclude) leaves no check to run.")
    return chosen


def _split(values: Iterable[str]) -> list[str]:
    """Repeated options and comma-separated lists alike."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _directive_line(text: str, name: str) -> int:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*--\s*sqlmig:\s*{name}\b", line, re.IGNORECASE):
            return lineno
    return 1


def query_location(check: CheckFile, position: int | None) -> tuple[int, int] | None:
    """(line, column) in the check's file of a server error position (1-based, in the query)."""
    if position is None or not 0 < position <= len(check.query) + 1:
        return None
    line, column = line_col(check.query, position - 1)
    if line == 1:
        column += check.column - 1
    return check.line + line - 1, column
