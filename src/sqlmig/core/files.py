"""Migration files: names, bytes, checksums, header directives and statements.

Everything here works on files alone; no connection is opened.  A file is read
and hashed once, into an immutable :class:`SqlFile`; the runner never reads a
file again.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, MigrationFileError

if TYPE_CHECKING:
    from . import sqltext

MIGRATIONS_DIR = "migrations"
ROLLBACKS_DIR = "rollbacks"

# ASCII digits only (``\d`` would take Arabic-Indic or fullwidth digits, which
# int() reads as ordinary numbers), and \Z, not $, which also matches before a
# trailing newline in the name.
FILE_NAME = re.compile(r"^(?P<version>[0-9]{4,})_(?P<slug>[a-z0-9_]+)\.sql\Z")
# The ledger's version column is a bigint.
MAX_VERSION = 2**63 - 1
DIRECTIVE = re.compile(r"^--\s*sqlmig:\s*(?P<body>.*?)\s*$")
# A comment line that starts like a directive in another spelling (`-- SQLMIG:`,
# `-- sqlmig : x`, `--- sqlmig: x`, `-- sqlmig irreversible ...`).  It is refused:
# ignoring it would run the file without what its author asked for.
_NEAR_DIRECTIVE = re.compile(
    r"^-{2,}\s*sql[\s_-]*mig\b\s*(?P<colon>[:=]?)\s*(?P<body>.*?)\s*$", re.IGNORECASE
)
_BLOCK_DIRECTIVE = re.compile(r"^/\*.*\bsql[\s_-]*mig\s*[:=]", re.IGNORECASE)
# Any spelling of "sqlmig": below the header, a directive-like comment needs it.
_MENTIONS_SQLMIG = re.compile(r"sql[\s_-]*mig", re.IGNORECASE)
# A lint suppression above a statement, as sqlmig.linter reads it (its ALLOW).
_STATEMENT_ALLOW = re.compile(r"^--\s*sqlmig:\s*allow\b", re.IGNORECASE)

# Directives a migration or rollback file may carry in its header, and whether
# each needs an argument (the reason, for ``irreversible``; ``RULE reason`` for
# ``allow``, the lint suppression, which sqlmig lint checks further).
MIGRATION_DIRECTIVES = {"no-transaction": False, "irreversible": True, "allow": True}
# Directives that may appear more than once; their arguments are joined by newlines.
REPEATABLE_DIRECTIVES = {"allow"}

@dataclass(frozen=True)
class SqlFile:
    """A migration or rollback file, read and hashed once."""

    path: Path
    relpath: str  # relative to the project's sql/ directory, with forward slashes
    checksum: str  # SHA-256 hex of the file's bytes, exactly as sha256sum computes it
    text: str  # decoded UTF-8, byte-order mark removed
    directives: dict[str, str] = field(default_factory=dict)

    @property
    def transactional(self) -> bool:
        return "no-transaction" not in self.directives

    @cached_property
    def analysis(self) -> sqltext.Analysis:
        """The file as PostgreSQL reads it (pglast), computed once."""
        from . import sqltext  # here: a run with nothing pending never analyses SQL

        return sqltext.analyse(self.text)

    def analysis_unkept(self) -> sqltext.Analysis:
        """:attr:`analysis` when it was computed already; else the same, not kept
        on the file (lint reads each of thousands of files once: keeping every
        file's statements costs the garbage collector more than analysing)."""
        from . import sqltext

        kept = self.__dict__.get("analysis")
        return kept if isinstance(kept, sqltext.Analysis) else sqltext.analyse(self.text)

    @cached_property
    def normalized_checksum(self) -> str | None:
        """:func:`sqltext.normalized_checksum` of the text, computed once (a fleet
        records the same file in each of its databases)."""
        from . import sqltext

        return sqltext.normalized_checksum(self.text)

    def statements(self) -> list[sqltext.Statement]:
        """Top-level statements with their offsets and lines (see
        :func:`sqltext.analyse`; ``self.analysis.parsed`` says whether the
        boundaries are the parser's own or the scanner's)."""
        return list(self.analysis.statements)

    def validate(self) -> None:
        """Refuse, before anything runs, what would break or mislead at run time.
        A file found valid is not checked again (the planner, the session and
        the runner each ask; a fleet asks for every database)."""
        if "_valid" not in self.__dict__:
            self._check()
            self.__dict__["_valid"] = True  # frozen: as cached_property stores its value

    def _check(self) -> None:
        from . import sqltext

        analysis = self.analysis
        if analysis.lex_error is not None:
            # The server's lexer (the same as pglast's) refuses the file just
            # the same; refusing here also keeps an unterminated literal from
            # swallowing the ledger's bookkeeping appended to the file's SQL.
            line, column = sqltext.line_col(self.text, analysis.lex_error.offset)
            raise MigrationFileError(
                f"{self.relpath}:{line}:{column}: {analysis.lex_error.message}: PostgreSQL "
                "cannot read the rest of the file. Close the string, quoted identifier, "
                "dollar quote or comment.",
                path=self.path, line=line, column=column,
            )
        # A file with no statement (empty, or comments only such as
        # `-- nothing to undo`) is valid: it runs as a no-op and is recorded.
        self._refuse_late_directive()
        for stmt in analysis.statements:
            line = stmt.line
            word = stmt.transaction_control()
            if word is not None:
                raise MigrationFileError(
                    f"{self.relpath}:{line}: top-level {word} is not allowed: sqlmig runs "
                    + (
                        "each file in its own transaction, and this statement would end it "
                        "early and break the all-or-nothing promise. Remove it."
                        if self.transactional
                        else "each statement of a no-transaction file on its own; transaction "
                        "control would leave a failed statement's transaction open. "
                        "Split the file into transactional migrations instead."
                    ),
                    path=self.path,
                    line=line,
                )
            if self.transactional and stmt.no_transaction_block() is not None:
                what = " ".join(stmt.text.split()[:4])  # as the user wrote it
                raise MigrationFileError(
                    f"{self.relpath}:{line}: `{what}` cannot run inside a transaction block, and "
                    "sqlmig runs this file in one. Add `-- sqlmig: no-transaction` to the file's "
                    "header (its statements then run one by one in autocommit), or move the "
                    "statement to a file of its own that has it.",
                    path=self.path,
                    line=line,
                )
            if stmt.copy_stdio():
                raise MigrationFileError(
                    f"{self.relpath}:{line}: COPY ... FROM STDIN / TO STDOUT needs psql's "
                    "inline data, which a migration file cannot carry. Load data with "
                    "INSERT ... VALUES or COPY from a server-side file.",
                    path=self.path,
                    line=line,
                )
        if analysis.meta_commands:
            meta = analysis.meta_commands[0]
            raise MigrationFileError(
                f"{self.relpath}:{meta.line}:{meta.column}: psql meta-command {meta.word} cannot "
                "run through a driver: sqlmig sends SQL to the server, not to psql. Replace it "
                "with SQL (e.g. inline the included file, or use a literal instead of a variable).",
                path=self.path,
                line=meta.line,
                column=meta.column,
            )

    def _refuse_late_directive(self) -> None:
        """Refuse a directive written below the header, where it is not read.

        Only line comments count, found by the scanner, so that the same
        characters in a string or a dollar-quoted body are left alone; a
        ``-- sqlmig: allow`` above a statement is the lint suppression and
        belongs there.
        """
        from . import sqltext

        text = self.text
        start = _header_end(text)
        if _MENTIONS_SQLMIG.search(text, start) is None:
            return  # the common case, without scanning the file
        for offset, comment in sqltext.line_comments(text):
            if offset < start:
                continue
            stripped = comment.strip()
            found = _directive_like(stripped, MIGRATION_DIRECTIVES)
            if found is None or _STATEMENT_ALLOW.match(stripped):
                continue
            line, column = sqltext.line_col(text, offset)
            if found[0] == "allow":
                fix = ("it is spelled like a lint suppression but is not one, so lint would "
                       "ignore it. Write it as `-- sqlmig: allow RULE reason` (two dashes, "
                       "`sqlmig`, the colon right after it) on the line above the statement.")
            else:
                fix = ("directives are read only from the comment block at the top of the "
                       "file, so this one would be ignored; move it up, above the first "
                       "statement.")
            raise MigrationFileError(
                f"{self.relpath}:{line}:{column}: `{stripped}`: {fix}",
                path=self.path, line=line, column=column,
            )


@dataclass(frozen=True)
class Migration:
    """An up file and, when there is one, its rollback."""

    version: int
    name: str  # the file name without ".sql", e.g. "0003_create_questions"
    up: SqlFile
    down: SqlFile | None

    @property
    def irreversible(self) -> str | None:
        """The reason given by ``-- sqlmig: irreversible <reason>``, if any."""
        return self.up.directives.get("irreversible")


def read_sql_file(path: Path, relpath: str) -> SqlFile:
    """Read, hash, decode and parse the header of one file."""
    try:
        raw = _read_bytes(path)
    except OSError as exc:
        raise MigrationFileError(f"{relpath}: cannot read: {exc.strerror}", path=path) from exc
    checksum = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise MigrationFileError(
            f"{relpath}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}). Save the file as UTF-8, e.g. `iconv -f LATIN1 -t UTF-8`.",
            path=path,
            line=line,
        ) from None
    if text.startswith("\ufeff"):
        # Editors on Windows add a byte-order mark; PostgreSQL would read it as
        # part of the first token.  The checksum still covers the raw bytes.
        text = text[1:]
    directives = parse_directives(text, relpath, path, MIGRATION_DIRECTIVES)
    return SqlFile(path=path, relpath=relpath, checksum=checksum, text=text, directives=directives)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, read with the system calls alone: a third of what
    ``open()``'s buffered layers cost (which, for a no-op run over thousands of
    small files, is most of the time spent reading them).  Reads to the end of
    file (an empty read), never trusting a short one."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = []
        while chunk := os.read(fd, 1 << 20):
            parts.append(chunk)
    finally:
        os.close(fd)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def parse_directives(
    text: str, relpath: str, path: Path, known: dict[str, bool]
) -> dict[str, str]:
    """``-- sqlmig: name [argument]`` lines of the header comment block.

    The header is the run of comment and blank lines at the top of the file.
    Unknown directives are refused so that a typo cannot silently turn off a
    behaviour (a misspelled ``no-transaction`` would otherwise run the file in
    a transaction and fail on CREATE INDEX CONCURRENTLY).
    """
    found: dict[str, str] = {}
    for lineno, line in enumerate(_lines(text), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            if _BLOCK_DIRECTIVE.match(stripped):
                raise MigrationFileError(
                    f"{relpath}:{lineno}: a directive in a /* */ comment is not read. "
                    "Directives are line comments at the top of the file: write "
                    "`-- sqlmig: <directive>` on a line of its own.",
                    path=path,
                    line=lineno,
                )
            break
        m = DIRECTIVE.match(stripped)
        if m is None:
            _refuse_near_directive(stripped, relpath, path, lineno, known)
            continue
        name, _, arg = m.group("body").partition(" ")
        name, arg = name.strip().lower(), arg.strip()
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            raise MigrationFileError(
                f"{relpath}:{lineno}: unknown directive `sqlmig: {name}`."
                + (f" Did you mean `sqlmig: {close[0]}`?" if close else "")
                + f" Known directives: {', '.join(sorted(known))}.",
                path=path,
                line=lineno,
            )
        if known[name] and not arg:
            raise MigrationFileError(
                f"{relpath}:{lineno}: directive `sqlmig: {name}` needs a reason, "
                f"e.g. `-- sqlmig: {name} drops the legacy table; restore from backup`.",
                path=path,
                line=lineno,
            )
        if not known[name] and arg:
            raise MigrationFileError(
                f"{relpath}:{lineno}: directive `sqlmig: {name}` takes no argument "
                f"(found {arg!r}).",
                path=path,
                line=lineno,
            )
        if name in found and name in REPEATABLE_DIRECTIVES:
            found[name] += "\n" + arg
            continue
        if name in found:
            raise MigrationFileError(
                f"{relpath}:{lineno}: directive `sqlmig: {name}` is given twice.",
                path=path,
                line=lineno,
            )
        found[name] = arg
    return found


def _refuse_near_directive(
    line: str, relpath: str, path: Path, lineno: int, known: dict[str, bool]
) -> None:
    """Refuse a header comment that is a directive in another spelling.

    A comment counts as one when ``sqlmig`` (any case, spaced or hyphenated)
    is followed by a colon, or by the name of a known directive; prose such
    as ``-- sqlmig runs this file in a transaction`` is left alone.
    """
    found = _directive_like(line, known)
    if found is None:
        return
    name, arg = found
    right = f"-- sqlmig: {name}{' ' + arg if arg else ''}" if name in known else (
        "-- sqlmig: <directive>")
    raise MigrationFileError(
        f"{relpath}:{lineno}: `{line}` is spelled like a directive but is not one, so it "
        f"would be ignored. Write it as `{right}` (two dashes, lowercase `sqlmig`, the colon "
        f"right after it). Known directives: {', '.join(sorted(known))}.",
        path=path,
        line=lineno,
    )


def _directive_like(line: str, known: dict[str, bool]) -> tuple[str, str] | None:
    """(name, argument) of a comment line that reads as a directive in any
    spelling (see :func:`_refuse_near_directive`), else None."""
    m = _NEAR_DIRECTIVE.match(line)
    if m is None:
        return None
    name, _, arg = m.group("body").partition(" ")
    name, arg = name.strip(" -:").lower(), arg.strip()
    return (name, arg) if m.group("colon") or name in known else None


def _header_end(text: str) -> int:
    """The offset where the header ends: the start of the first line that is
    neither blank nor a ``--`` comment (the header :func:`parse_directives` reads)."""
    pos = 0
    for line in _lines(text):
        stripped = line.strip()
        if stripped and not stripped.startswith("--"):
            return pos
        pos += len(line) + 1
    return len(text)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, lazily: header parsing stops at the first SQL line."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def discover(sql_dir: Path) -> list[Migration]:
    """Every migration under ``sql_dir``, sorted by version, with its rollback.

    Refuses (ConfigError) anything in sql/migrations or sql/rollbacks that is
    not a migration file (hidden files such as .gitkeep excepted), versions
    the ledger cannot record, duplicate versions and rollbacks that have no
    migration.
    """
    ups = _scan(sql_dir / MIGRATIONS_DIR, MIGRATIONS_DIR)
    downs = _scan(sql_dir / ROLLBACKS_DIR, ROLLBACKS_DIR)
    by_version: dict[int, Path] = {}
    for version, path in ups:
        if version in by_version:
            raise ConfigError(
                f"{MIGRATIONS_DIR}/{path.name}: version {version} is also used by "
                f"{MIGRATIONS_DIR}/{by_version[version].name}. Each version must be unique: "
                "renumber one of them (`sqlmig new` picks the next free number).",
                path=path,
            )
        by_version[version] = path
    down_names = {p.name: p for _, p in downs}
    orphans = sorted(set(down_names) - {p.name for _, p in ups})
    if orphans:
        raise ConfigError(
            "rollback files without a migration of the same name: "
            + ", ".join(f"{ROLLBACKS_DIR}/{n}" for n in orphans)
            + ". Rename them to match their migration or delete them.",
            path=down_names[orphans[0]],
        )
    migrations = []
    for version in sorted(by_version):
        path = by_version[version]
        up = read_sql_file(path, f"{MIGRATIONS_DIR}/{path.name}")
        down_path = down_names.get(path.name)
        down = (
            read_sql_file(down_path, f"{ROLLBACKS_DIR}/{path.name}")
            if down_path is not None
            else None
        )
        migrations.append(Migration(version=version, name=path.stem, up=up, down=down))
    return migrations


REPEATABLE_DIR = "repeatable"
# A repeatable's name is the ledger's key: lowercase letters, digits and
# underscores, so that it reads the same on every file system.
REPEATABLE_NAME = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_]*)\.sql\Z")


def discover_repeatables(sql_dir: Path) -> list[SqlFile]:
    """Every repeatable migration file (``sql_dir/repeatable/NAME.sql``, see
    :mod:`sqlmig.core.repeatable`), by name.  As for migrations, nothing there is
    skipped silently: a name sqlmig would not run is refused (ConfigError);
    hidden entries (``.gitkeep``) are the one exception."""
    directory = sql_dir / REPEATABLE_DIR
    try:
        if not directory.is_dir():
            return []
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        raise ConfigError(f"{REPEATABLE_DIR}: cannot list the directory: {exc.strerror}.",
                          path=directory) from None
    found = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        where = f"{REPEATABLE_DIR}/{entry.name}"
        if not entry.is_file():
            raise ConfigError(f"{where}: not a regular file, which sqlmig does not read. "
                              f"sql/{REPEATABLE_DIR} holds repeatable migrations only: move it "
                              "out.", path=path)
        if REPEATABLE_NAME.match(entry.name) is None:
            hint = (f" Rename it to {REPEATABLE_DIR}/{entry.name.lower()}."
                    if REPEATABLE_NAME.match(entry.name.lower()) else "")
            raise ConfigError(
                f"{where}: bad file name. Repeatable migrations are named NAME.sql, NAME of "
                f"lowercase letters, digits and underscores (e.g. user_views.sql).{hint}",
                path=path)
        found.append(read_sql_file(path, where))
    return found


_NAMING = (
    "Migration files are named NNNN_slug.sql: a version of at least 4 ASCII digits, "
    "zero-padded, then a slug of lowercase letters, digits and underscores "
    "(e.g. 0007_add_ranks.sql)."
)


def _scan(directory: Path, label: str) -> list[tuple[int, Path]]:
    """The (version, path) of every file in ``directory``, sorted by name.

    Nothing there is skipped silently: a name sqlmig would not run
    (``0002_x.SQL``, ``0002_x.sql.orig``, ``notes.md``, a subdirectory) is
    refused, so that a migration cannot be left out of a run by its name.
    Hidden entries (``.gitkeep``, ``.DS_Store``, editor swap files) are the
    one exception.
    """
    try:
        if not directory.is_dir():
            return []
        # scandir's entries know their type from the directory listing: no
        # stat per file (there may be thousands).
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        raise ConfigError(
            f"{label}: cannot list the directory: {exc.strerror}. Make it readable by the "
            "user running sqlmig.",
            path=directory,
        ) from None
    found = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        path = directory / name
        where = f"{label}/{name}"
        try:
            regular, folder = entry.is_file(), entry.is_dir()
        except OSError as exc:
            raise ConfigError(f"{where}: cannot read: {exc.strerror}.", path=path) from None
        if not regular:
            raise ConfigError(
                f"{where}: {'a directory' if folder else 'not a regular file'}, which sqlmig "
                f"does not read. sql/{label} holds migration files only: move it out.",
                path=path,
            )
        m = FILE_NAME.match(name)
        if m is None:
            raise ConfigError(f"{where}: bad file name. {_NAMING} {_rename_hint(name, label)}",
                              path=path)
        version = int(m.group("version"))
        if version > MAX_VERSION:
            raise ConfigError(
                f"{where}: version {version} is above {MAX_VERSION}, the largest version the "
                "ledger can record (a bigint). Renumber it (`sqlmig new` picks the next free "
                "number).",
                path=path,
            )
        found.append((version, path))
    return found


def _rename_hint(name: str, label: str) -> str:
    """What to do with a name that is not a migration file's."""
    if FILE_NAME.match(name.lower()):
        return f"Rename it to {label}/{name.lower()} (lowercase, `.sql` included)."
    m = re.match(r"(\d+)_", name)
    if m is not None and not m.group(1).isascii():
        return "Its version is not written with the ASCII digits 0-9: rename it."
    if re.match(r"^[0-9]{4,}_[a-z0-9_]+\.sql.", name, re.IGNORECASE):
        return f"It looks like a backup or merge leftover: delete it or move it out of sql/{label}."
    return f"Rename it, or move it out of sql/{label} if it is not a migration."


def slugify(description: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", description.lower()).strip("_")
    if not slug:
        raise ConfigError(
            f"cannot make a file name from {description!r}: use letters or digits, "
            'e.g. sqlmig new "add user profiles"'
        )
    return slug
