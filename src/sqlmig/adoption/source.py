"""What an importer reads from another tool, and how its versions become sqlmig's.

An importer turns the other tool's directory into a list of
:class:`SourceMigration`, in the order that tool runs them, and its ledger
into :class:`ForeignRow` values.  Everything else (version mapping, file
names, validation, writing) is shared, so every tool follows the same rules:

* **Integer versions are kept.**  golang-migrate, dbmate and diesel versions
  (``20240101120000``), and Flyway versions that are plain integers, become the
  sqlmig version as they are, zero-padded to at least 4 digits (all files to
  the same width).  Two files whose versions are the same integer
  (``1_a`` and ``01_b``) are refused, and so is a tool order that differs
  from the integer order (dbmate sorts versions as text).
* **Other versions are numbered 1, 2, 3...** in the tool's order: Sqitch
  changes (plan order), yoyo migrations (file order), and Flyway when any
  version is dotted (``V1.2.3``; Flyway's version order).  The mapping is
  written to ``sql/IMPORTED.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..core.files import MAX_VERSION
from ..errors import ConfigError, LedgerProblem


@dataclass(frozen=True)
class SourceMigration:
    """One migration as the other tool has it."""

    source_id: str  # its version or name, exactly as the tool's ledger records it
    description: str  # becomes the slug of the sqlmig file name
    up_file: Path
    up_sql: str
    down_file: Path | None = None
    down_sql: str | None = None
    integer: int | None = None  # the integer version, for tools with integer versions
    # Why a file must run outside a transaction by the tool's own marker, e.g.
    # "`-- migrate:up transaction:false`"; None when the tool runs it in one.
    up_no_tx: str | None = None
    down_no_tx: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignRow:
    """One migration the other tool's ledger records as applied."""

    source_id: str
    checksum: str | None = None
    applied_at: datetime | None = None
    applied_by: str | None = None


@dataclass(frozen=True)
class Mapped:
    """A source migration with its sqlmig version and file name."""

    source: SourceMigration
    version: int
    name: str  # e.g. "0003_add_users"


@dataclass(frozen=True)
class Mapping:
    items: list[Mapped]
    rule: str  # one sentence, for the report
    notes: list[str] = field(default_factory=list)


def slug(description: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", description.lower()).strip("_")
    return s or "migration"


def map_versions(tool: str, found: list[SourceMigration], *, integers: bool) -> Mapping:
    """sqlmig versions for ``found`` (in the tool's order); see the module docstring."""
    if not found:
        return Mapping([], "no migrations")
    if integers:
        seen: dict[int, SourceMigration] = {}
        previous: SourceMigration | None = None
        for m in found:
            assert m.integer is not None
            if m.integer in seen:
                raise ConfigError(
                    f"{m.up_file}: version {m.source_id} is the integer {m.integer}, like "
                    f"{seen[m.integer].up_file.name} ({seen[m.integer].source_id}): sqlmig "
                    "versions must be unique. Renumber one of them in the source, then import "
                    "again. Nothing was written.", path=m.up_file)
            if m.integer > MAX_VERSION:
                raise ConfigError(
                    f"{m.up_file}: version {m.source_id} is above {MAX_VERSION}, the largest "
                    "version sqlmig's ledger can record. Renumber it in the source, then "
                    "import again. Nothing was written.", path=m.up_file)
            if previous is not None and previous.integer is not None \
                    and m.integer < previous.integer:
                raise ConfigError(
                    f"{m.up_file}: {tool} runs it after {previous.up_file.name}, but its version "
                    f"{m.integer} is smaller, and sqlmig runs migrations in version order. "
                    "Rename the files so that both orders agree (same number of digits), then "
                    "import again. Nothing was written.", path=m.up_file)
            seen[m.integer] = m
            previous = m
        versions = [m.integer for m in found if m.integer is not None]
        rule = f"{tool} versions are integers: kept as the sqlmig versions"
    else:
        versions = list(range(1, len(found) + 1))
        rule = f"{tool} order numbered 1, 2, 3... ({tool} has no integer versions)"
    width = max(4, *(len(str(v)) for v in versions))
    items = [Mapped(m, v, f"{v:0{width}d}_{slug(m.description)}")
             for m, v in zip(found, versions)]
    return Mapping(items, rule)


def refuse_unknown(path: Path, tool: str, expected: str) -> ConfigError:
    """A file in the source directory that the tool would not run as a migration."""
    return ConfigError(
        f"{path}: not a {tool} migration file ({expected}). sqlmig does not skip files "
        "silently: move it out of the source directory, or rename it, then import again. "
        "Nothing was written.", path=path)


def listing(directory: Path, tool: str) -> list[Path]:
    """The entries of ``directory``, sorted by name, hidden ones left out."""
    if not directory.is_dir():
        raise ConfigError(
            f"{directory}: no such directory: pass the directory that holds the {tool} "
            "migrations. Nothing was written.", path=directory)
    return sorted((p for p in directory.iterdir()
                   if not p.name.startswith(".") and p.name != "__pycache__"),
                  key=lambda p: p.name)


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}. Nothing was written.",
                          path=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8. Convert it (e.g. `iconv -f LATIN1 -t "
                          "UTF-8`), then import again. Nothing was written.", path=path) from None
    return text[1:] if text.startswith("\ufeff") else text


def no_ledger(tool: str, table: str) -> ConfigError:
    return ConfigError(
        f"the database has no {table} table, so {tool} has applied nothing there (or it "
        "is in another schema: put that schema first in the search_path of the URL, e.g. "
        "`?options=-csearch_path%3Dmyschema`). Import without --database-url/--env to take "
        "only the files. Nothing was written.")


def unknown_rows(tool: str, table: str, recorded: list[ForeignRow],
                 found: list[SourceMigration]) -> None:
    """Refuse ledger rows that name no migration of the source directory."""
    known = {m.source_id for m in found}
    missing = sorted({r.source_id for r in recorded} - known)
    if missing:
        raise LedgerProblem(
            f"{tool}'s ledger ({table}) records {len(missing)} migration(s) that are not in "
            "the source directory. Restore their files (from version control), then import "
            "again. Nothing was written.", problems=missing)
    ids = [r.source_id for r in recorded]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise LedgerProblem(
            f"{tool}'s ledger ({table}) records the same migration more than once. Clean up "
            "the ledger with the tool, then import again. Nothing was written.", problems=twice)
