"""dbmate: ``{version}_{name}.sql``, one file with ``-- migrate:up`` and
``-- migrate:down`` sections (``transaction:false`` after either marker runs
that section outside a transaction); its ledger ``schema_migrations(version)``
has one row per applied version."""

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

TOOL = "dbmate"
_NAME = re.compile(r"^(?P<version>[0-9]+)_(?P<name>.*)\.sql\Z")
# dbmate's markers (pkg/dbmate/migration.go): the rest of the line holds options.
_UP = re.compile(r"^--\s*migrate:up(?P<options>.*)$", re.MULTILINE)
_DOWN = re.compile(r"^--\s*migrate:down(?P<options>.*)$", re.MULTILINE)
_OPTION = re.compile(r"^(?P<key>[a-z_]+):(?P<value>\S+)$")


def read(src: Path) -> tuple[list[SourceMigration], bool]:
    found = []
    seen: dict[str, Path] = {}
    for path in listing(src, TOOL):
        m = _NAME.match(path.name)
        if m is None or not path.is_file():
            raise refuse_unknown(path, TOOL, "VERSION_name.sql")
        version = m.group("version")
        if version in seen:
            raise ConfigError(f"{path}: version {version} is also {seen[version].name}. "
                              "Renumber one of them, then import again. Nothing was written.",
                              path=path)
        seen[version] = path
        found.append(_parse(path, version, m.group("name")))
    # dbmate orders versions as text; the integer order must be the same.
    return found, True


def _parse(path: Path, version: str, name: str) -> SourceMigration:
    text = read_text(path)
    up = list(_UP.finditer(text))
    down = list(_DOWN.finditer(text))
    if len(up) != 1 or len(down) > 1:
        raise ConfigError(
            f"{path}: dbmate requires exactly one `-- migrate:up` line (and at most one "
            f"`-- migrate:down`); found {len(up)} and {len(down)}. Fix the file, then import "
            "again. Nothing was written.", path=path)
    if down and down[0].start() < up[0].start():
        raise ConfigError(f"{path}: `-- migrate:down` comes before `-- migrate:up`. Put the up "
                          "section first, then import again. Nothing was written.", path=path)
    up_end = down[0].start() if down else len(text)
    up_sql = text[up[0].end():up_end].lstrip("\n")
    down_sql = text[down[0].end():].lstrip("\n") if down else None
    return SourceMigration(
        source_id=version, description=name, up_file=path, up_sql=up_sql,
        down_file=path if down else None, down_sql=down_sql, integer=int(version),
        up_no_tx=_no_tx(path, up[0].group("options"), "up"),
        down_no_tx=_no_tx(path, down[0].group("options"), "down") if down else None)


def _no_tx(path: Path, options: str, section: str) -> str | None:
    for word in options.split():
        m = _OPTION.match(word)
        if m is None or m.group("key") != "transaction" or m.group("value") not in (
                "true", "false"):
            raise ConfigError(
                f"{path}: `-- migrate:{section}` option {word!r} is not one sqlmig knows "
                "(dbmate's is transaction:false). Fix it, then import again. Nothing was "
                "written.", path=path)
        if m.group("value") == "false":
            return f"`-- migrate:{section} transaction:false`"
    return None


def history(conn: psycopg.Connection, found: list[SourceMigration],
            src: Path) -> list[ForeignRow]:
    if not table_exists(conn, "schema_migrations"):
        raise no_ledger(TOOL, "schema_migrations")
    recorded = [ForeignRow(str(r[0])) for r in rows(conn, "dbmate")]
    unknown_rows(TOOL, "schema_migrations", recorded, found)
    return recorded
