"""diesel: one directory per migration, ``2024-01-01-120000_create_users/`` with
``up.sql``, ``down.sql`` and optionally ``metadata.toml``
(``run_in_transaction = false``).  The version is the directory name up to
its first ``_``, without the dashes, as diesel records it in
``__diesel_schema_migrations(version, run_on)``."""

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

TOOL = "diesel"
_DIR = re.compile(r"^(?P<version>[0-9][0-9-]*)_(?P<name>.+)\Z")
_KNOWN = {"up.sql", "down.sql", "metadata.toml"}
# The one key of metadata.toml that changes how a file runs (tomllib is 3.11+).
_RUN_IN_TRANSACTION = re.compile(
    r"^\s*run_in_transaction\s*=\s*(?P<value>\S+?)\s*(?:#.*)?$", re.MULTILINE)


def read(src: Path) -> tuple[list[SourceMigration], bool]:
    found = []
    seen: dict[str, Path] = {}
    for path in listing(src, TOOL):
        if path.is_file() and path.name in (".keep", "README.md"):
            continue
        m = _DIR.match(path.name)
        if m is None or not path.is_dir():
            raise refuse_unknown(path, TOOL, "a directory VERSION_name/ with up.sql")
        version = m.group("version").replace("-", "")
        if not version:
            raise refuse_unknown(path, TOOL, "a directory VERSION_name/ with up.sql")
        if version in seen:
            raise ConfigError(f"{path}: version {version} is also {seen[version].name}. "
                              "Renumber one of them, then import again. Nothing was written.",
                              path=path)
        seen[version] = path
        for inner in sorted(path.iterdir()):
            if inner.name not in _KNOWN and not inner.name.startswith("."):
                raise refuse_unknown(inner, TOOL, "up.sql, down.sql or metadata.toml")
        up = path / "up.sql"
        if not up.is_file():
            raise ConfigError(f"{path}: no up.sql. diesel needs one too: add it, or remove the "
                              "directory, then import again. Nothing was written.", path=path)
        down = path / "down.sql"
        no_tx = _no_tx(path / "metadata.toml")
        found.append(SourceMigration(
            source_id=version, description=m.group("name"), up_file=up, up_sql=read_text(up),
            down_file=down if down.is_file() else None,
            down_sql=read_text(down) if down.is_file() else None,
            integer=int(version), up_no_tx=no_tx, down_no_tx=no_tx))
    return found, True


def _no_tx(path: Path) -> str | None:
    if not path.is_file():
        return None
    m = _RUN_IN_TRANSACTION.search(read_text(path))
    if m is None or m.group("value") == "true":
        return None
    if m.group("value") != "false":
        raise ConfigError(f"{path}: run_in_transaction = {m.group('value')}: diesel takes true "
                          "or false. Fix it, then import again. Nothing was written.", path=path)
    return f"`run_in_transaction = false` in {path.parent.name}/metadata.toml"


def history(conn: psycopg.Connection, found: list[SourceMigration],
            src: Path) -> list[ForeignRow]:
    if not table_exists(conn, "__diesel_schema_migrations"):
        raise no_ledger(TOOL, "__diesel_schema_migrations")
    recorded = [ForeignRow(str(v), None, on, None) for v, on in rows(conn, "diesel")]
    unknown_rows(TOOL, "__diesel_schema_migrations", recorded, found)
    return recorded
