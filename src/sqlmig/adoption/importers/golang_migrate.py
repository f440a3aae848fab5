"""golang-migrate: ``{version}_{title}.up.sql`` and ``.down.sql``; its ledger
``schema_migrations(version bigint, dirty boolean)`` holds one row, the
current version: every migration up to it is applied."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ConfigError, LedgerProblem
from ..source import ForeignRow, SourceMigration, listing, no_ledger, read_text, refuse_unknown
from ..queries import rows, table_exists

if TYPE_CHECKING:
    import psycopg

TOOL = "golang-migrate"
# golang-migrate's own pattern (source/parse.go), for .sql files.
_NAME = re.compile(r"^(?P<version>[0-9]+)_(?P<title>.*)\.(?P<direction>up|down)\.sql\Z")


def read(src: Path) -> tuple[list[SourceMigration], bool]:
    ups: dict[int, tuple[str, Path]] = {}
    downs: dict[int, Path] = {}
    for path in listing(src, TOOL):
        m = _NAME.match(path.name)
        if m is None or not path.is_file():
            raise refuse_unknown(path, TOOL, "NNN_title.up.sql or NNN_title.down.sql")
        version = int(m.group("version"))
        into = ups if m.group("direction") == "up" else downs
        if version in into:
            other = into[version]
            other_path = other[1] if isinstance(other, tuple) else other
            raise ConfigError(
                f"{path}: version {version} has two {m.group('direction')} files (also "
                f"{other_path.name}); golang-migrate refuses that too. Renumber one of them, "
                "then import again. Nothing was written.", path=path)
        if into is ups:
            ups[version] = (m.group("title"), path)
        else:
            downs[version] = path
    for version, path in sorted(downs.items()):
        if version not in ups:
            raise ConfigError(f"{path}: a down file without an up file of version {version}. "
                              "Delete it or add its up file. Nothing was written.", path=path)
    found = []
    for version in sorted(ups):
        title, up = ups[version]
        down = downs.get(version)
        found.append(SourceMigration(
            source_id=str(version), description=title, up_file=up, up_sql=read_text(up),
            down_file=down, down_sql=read_text(down) if down else None, integer=version))
    return found, True


def history(conn: psycopg.Connection, found: list[SourceMigration],
            src: Path) -> list[ForeignRow]:
    if not table_exists(conn, "schema_migrations"):
        raise no_ledger(TOOL, "schema_migrations")
    recorded = rows(conn, "golang_migrate")
    if not recorded:
        return []
    if len(recorded) > 1:
        raise LedgerProblem(
            f"schema_migrations has {len(recorded)} rows; golang-migrate keeps exactly one (the "
            "current version): this is not golang-migrate's ledger (dbmate's?). Import with the "
            "right format. Nothing was written.")
    version, dirty = int(recorded[0][0]), bool(recorded[0][1])
    if dirty:
        raise LedgerProblem(
            f"golang-migrate's ledger is dirty at version {version}: that migration failed "
            "half-way and the database may be partly migrated. Fix the database by hand, then "
            f"`migrate force {version}` (if its changes are complete) or `migrate force "
            "<previous version>` (if undone), then import again. Nothing was written.")
    known = {m.integer for m in found}
    if version not in known:
        raise LedgerProblem(
            f"golang-migrate's ledger says version {version}, but no {version}_*.up.sql is in "
            "the source directory. Restore the file, then import again. Nothing was written.")
    return [ForeignRow(m.source_id) for m in found
            if m.integer is not None and m.integer <= version]
