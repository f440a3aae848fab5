"""Migration files: names, bytes, checksums, header directives and statements.

Everything here works on files alone; no connection is opened.  A file is read
and hashed once, into an immutable :class:`SqlFile`; the runner never reads a
file again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, MigrationFileError
from . import sqltext

MIGRATIONS_DIR = "migrations"
ROLLBACKS_DIR = "rollbacks"

FILE_NAME = re.compile(r"^(?P<version>\d{4,})_(?P<slug>[a-z0-9_]+)\.sql$")
DIRECTIVE = re.compile(r"^--\s*sqlmig:\s*(?P<body>.*?)\s*$")

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

    def statements(self) -> list[sqltext.Statement]:
        """Top-level statements, split by sqlparse (dollar quotes, comments and
        ``BEGIN ATOMIC`` bodies are kept whole)."""
        return sqltext.split_statements(self.text)

    def validate(self) -> None:
        """Refuse, before anything runs, what would break or mislead at run time."""
        if not sqltext.has_sql(self.text):
            raise MigrationFileError(
                f"{self.relpath}: the file contains no SQL statement. "
                "Write the migration, or delete the file and run `sqlmig manifest`.",
                path=self.path,
            )
        if not sqltext.MAYBE_SUSPECT.search(self.text):
            return
        for stmt in self.statements():
            lead, line = stmt.text, stmt.line
            if sqltext.TRANSACTION_CONTROL.match(lead):
                word = lead.split(None, 1)[0].rstrip(";").upper()
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
            if self.transactional and sqltext.NO_TRANSACTION_BLOCK.match(lead):
                what = " ".join(lead.split()[:4]).rstrip(";")
                raise MigrationFileError(
                    f"{self.relpath}:{line}: `{what}` cannot run inside a transaction block, and "
                    "sqlmig runs this file in one. Add `-- sqlmig: no-transaction` to the file's "
                    "header (its statements then run one by one in autocommit), or move the "
                    "statement to a file of its own that has it.",
                    path=self.path,
                    line=line,
                )
            if sqltext.COPY_STDIO.match(lead):
                raise MigrationFileError(
                    f"{self.relpath}:{line}: COPY ... FROM STDIN / TO STDOUT needs psql's "
                    "inline data, which a migration file cannot carry. Load data with "
                    "INSERT ... VALUES or COPY from a server-side file.",
                    path=self.path,
                    line=line,
                )
        meta = sqltext.find_meta_command(self.text)
        if meta is not None:
            line, column, word = meta
            raise MigrationFileError(
                f"{self.relpath}:{line}:{column}: psql meta-command {word} cannot run through "
                "a driver: sqlmig sends SQL to the server, not to psql. Replace it with SQL "
                "(e.g. inline the included file, or use a literal instead of a variable).",
                path=self.path,
                line=line,
                column=column,
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
        raw = path.read_bytes()
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
            break
        m = DIRECTIVE.match(stripped)
        if m is None:
            continue
        name, _, arg = m.group("body").partition(" ")
        name, arg = name.strip().lower(), arg.strip()
        if name not in known:
            raise MigrationFileError(
                f"{relpath}:{lineno}: unknown directive `sqlmig: {name}`. "
                f"Known directives: {', '.join(sorted(known))}.",
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

    Refuses (ConfigError) badly named files, duplicate versions and rollbacks
    that have no migration.
    """
    ups = _scan(sql_dir / MIGRATIONS_DIR, MIGRATIONS_DIR)
    downs = _scan(sql_dir / ROLLBACKS_DIR, ROLLBACKS_DIR)
    by_version: dict[int, Path] = {}
    for path in ups:
        version = int(FILE_NAME.match(path.name).group("version"))  # type: ignore[union-attr]
        if version in by_version:
            raise ConfigError(
                f"{MIGRATIONS_DIR}/{path.name}: version {version} is also used by "
                f"{MIGRATIONS_DIR}/{by_version[version].name}. Each version must be unique: "
                "renumber one of them (`sqlmig new` picks the next free number).",
                path=path,
            )
        by_version[version] = path
    down_names = {p.name: p for p in downs}
    orphans = sorted(set(down_names) - {p.name for p in ups})
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


def _scan(directory: Path, label: str) -> list[Path]:
    if not directory.is_dir():
        return []
    paths = []
    for path in directory.iterdir():
        if not path.name.endswith(".sql"):
            continue
        if not FILE_NAME.match(path.name):
            raise ConfigError(
                f"{label}/{path.name}: bad file name. Migration files are named "
                "NNNN_slug.sql: a version of at least 4 digits, zero-padded, then a slug of "
                "lowercase letters, digits and underscores (e.g. 0007_add_ranks.sql).",
                path=path,
            )
        paths.append(path)
    return sorted(paths, key=lambda p: p.name)


def slugify(description: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", description.lower()).strip("_")
    if not slug:
        raise ConfigError(
            f"cannot make a file name from {description!r}: use letters or digits, "
            'e.g. sqlmig new "add user profiles"'
        )
    return slug
