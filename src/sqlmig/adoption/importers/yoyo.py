"""yoyo: ``<id>.sql`` files with an optional ``<id>.rollback.sql`` beside them and
header lines ``-- depends: <ids>`` and ``-- transactional: false``; its ledger
``_yoyo_migration(migration_hash, migration_id, applied_at_utc)`` has one row
per applied migration.  Python migrations (``.py``) are refused: their steps
are Python code, which a SQL file cannot carry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ConfigError
from ..source import (
    ForeignRow, SourceMigration, listing, no_ledger, read_text, refuse_unknown, unknown_rows,
)
from ..queries import rows, table_exists

if TYPE_CHECKING:
    import psycopg

TOOL = "yoyo"
_HEADER = re.compile(r"^--\s*(?P<key>depends|transactional)\s*:\s*(?P<value>.*?)\s*$",
                     re.IGNORECASE)
# The id's leading numbering, e.g. "0001." or yoyo new's "20240101_01_AbCdE-".
_NUMBERING = re.compile(r"^(?:[0-9]+_[0-9]+_[A-Za-z0-9]+-|[0-9]+[._-]+)")


def read(src: Path) -> tuple[list[SourceMigration], bool]:
    entries = listing(src, TOOL)
    names = {p.name for p in entries}
    found = []
    done: set[str] = set()
    for path in entries:
        name = path.name
        if name.endswith(".py") and path.is_file():
            raise ConfigError(
                f"{path}: a Python migration: its steps are Python code (step(), functions "
                "taking a connection), which sqlmig cannot turn into a SQL file. Rewrite it as "
                f"{name[:-3]}.sql (and {name[:-3]}.rollback.sql), then import again. Nothing "
                "was written.", path=path)
        if name.endswith(".rollback.sql") and path.is_file():
            if name[: -len(".rollback.sql")] + ".sql" not in names:
                raise ConfigError(f"{path}: a rollback without its migration "
                                  f"{name[: -len('.rollback.sql')]}.sql. Delete it or restore "
                                  "the migration, then import again. Nothing was written.",
                                  path=path)
            continue
        if name in ("post-apply.sql", "post-apply.py") or name.startswith("post-apply"):
            raise ConfigError(f"{path}: a yoyo post-apply hook, which runs after every apply; "
                              "sqlmig has none. Move it out of the directory (run it from your "
                              "deploy script), then import again. Nothing was written.",
                              path=path)
        if not (name.endswith(".sql") and path.is_file()):
            raise refuse_unknown(path, TOOL, "<id>.sql or <id>.rollback.sql")
        ident = name[:-4]
        text = read_text(path)
        depends, transactional = _header(path, text)
        for dep in depends:
            if dep not in done:
                raise ConfigError(
                    f"{path}: depends on {dep!r}, which "
                    + ("is not in the directory" if dep + ".sql" not in names
                       else "comes later in file order")
                    + ". sqlmig runs migrations in one order, the file order: rename the files "
                    "so that every dependency sorts first, then import again. Nothing was "
                    "written.", path=path)
        rollback = path.with_name(ident + ".rollback.sql")
        has_down = rollback.is_file()
        down_tx = _header(rollback, read_text(rollback))[1] if has_down else True
        found.append(SourceMigration(
            source_id=ident, description=_NUMBERING.sub("", ident) or ident, up_file=path,
            up_sql=text, down_file=rollback if has_down else None,
            down_sql=read_text(rollback) if has_down else None,
            up_no_tx=None if transactional else "`-- transactional: false`",
            down_no_tx=None if down_tx else "`-- transactional: false`"))
        done.add(ident)
    return found, False


def _header(path: Path, text: str) -> tuple[list[str], bool]:
    depends: list[str] = []
    transactional = True
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            break
        m = _HEADER.match(stripped)
        if m is None:
            continue
        if m.group("key").lower() == "depends":
            depends += m.group("value").split()
        elif m.group("value").lower() in ("false", "no", "0", "off"):
            transactional = False
    return depends, transactional


def history(conn: psycopg.Connection, found: list[SourceMigration],
            src: Path) -> list[ForeignRow]:
    if not table_exists(conn, "_yoyo_migration"):
        raise no_ledger(TOOL, "_yoyo_migration")
    recorded = [ForeignRow(str(i), str(h), at, None) for i, h, at in rows(conn, "yoyo")]
    unknown_rows(TOOL, "_yoyo_migration", recorded, found)
    return recorded
