"""Flyway: ``V<version>__<description>.sql`` (and ``U<version>__...`` undo files,
which become rollbacks), found recursively; ``executeInTransaction=false`` in a
``V1__x.sql.conf`` beside a file runs it outside a transaction.  Its ledger is
``flyway_schema_history``; a failed row (success = false) is refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ConfigError, LedgerProblem
from ..source import (
    ForeignRow, SourceMigration, no_ledger, read_text, refuse_unknown, unknown_rows,
)
from ..queries import rows, table_exists

if TYPE_CHECKING:
    import psycopg

TOOL = "flyway"
_NAME = re.compile(r"^(?P<prefix>[VUBR])(?P<version>[^_]*(?:_[^_]+)*?)__(?P<desc>.*)\.sql\Z")
_VERSION = re.compile(r"^[0-9]+(?:[._][0-9]+)*\Z")


def _key(version: str) -> tuple[int, ...]:
    """Flyway's comparison: numeric parts, trailing zeros ignored (1.0 == 1)."""
    parts = [int(p) for p in re.split(r"[._]", version)]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def read(src: Path) -> tuple[list[SourceMigration], bool]:
    if not src.is_dir():
        raise ConfigError(f"{src}: no such directory: pass Flyway's migration directory (e.g. "
                          "src/main/resources/db/migration). Nothing was written.", path=src)
    ups: dict[tuple[int, ...], tuple[str, str, Path]] = {}
    undos: dict[tuple[int, ...], Path] = {}
    files = sorted(p for p in src.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(src).parts))
    for path in files:
        if path.name.endswith(".sql.conf"):
            if not path.with_name(path.name[:-5]).is_file():
                raise ConfigError(f"{path}: a .conf file without its migration "
                                  f"{path.name[:-5]}. Delete it or restore the migration, then "
                                  "import again. Nothing was written.", path=path)
            continue
        m = _NAME.match(path.name)
        if m is None:
            raise refuse_unknown(path, TOOL, "V<version>__<description>.sql")
        prefix, version = m.group("prefix"), m.group("version")
        if prefix == "R":
            raise ConfigError(
                f"{path}: a repeatable migration (R__), which Flyway re-runs whenever it "
                "changes; sqlmig has none (applied files are immutable). Turn it into a "
                "versioned migration, or keep it out of the import (e.g. apply it from your "
                "deploy script). Nothing was written.", path=path)
        if prefix == "B":
            raise ConfigError(
                f"{path}: a baseline migration (B), which Flyway runs instead of the versions "
                "below it on an empty database; sqlmig has no such thing. Move it out of the "
                "directory, or turn it into the first versioned migration. Nothing was "
                "written.", path=path)
        if not _VERSION.match(version):
            raise ConfigError(
                f"{path}: version {version!r} is not a Flyway version of digits separated by "
                "dots or underscores (e.g. V1, V1.2, V2_1), so it maps to no sqlmig version. "
                "Rename it, then import again. Nothing was written.", path=path)
        key = _key(version)
        if prefix == "V":
            taken = ups[key][2] if key in ups else None
        else:
            taken = undos.get(key)
        if taken is not None:
            raise ConfigError(
                f"{path}: version {version} is the same Flyway version as {taken.name} "
                "(Flyway compares 1.0 and 1 as equal). Renumber one, then import again. "
                "Nothing was written.", path=path)
        if prefix == "V":
            ups[key] = (version.replace("_", "."), m.group("desc").replace("_", " "), path)
        else:
            undos[key] = path
    for key, path in undos.items():
        if key not in ups:
            raise ConfigError(f"{path}: an undo file without its versioned migration. Delete it "
                              "or restore the migration, then import again. Nothing was "
                              "written.", path=path)
    integers = all(len(k) == 1 and "." not in v for k, (v, _, _) in ups.items())
    found = []
    for key in sorted(ups):
        version, desc, up = ups[key]
        undo = undos.get(key)
        found.append(SourceMigration(
            source_id=version, description=desc, up_file=up, up_sql=read_text(up),
            down_file=undo, down_sql=read_text(undo) if undo else None,
            integer=int(version) if integers else None,
            up_no_tx=_no_tx(up), down_no_tx=_no_tx(undo) if undo else None))
    return found, integers


def _no_tx(path: Path) -> str | None:
    conf = path.with_name(path.name + ".conf")
    if not conf.is_file():
        return None
    for lineno, line in enumerate(read_text(conf).splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.partition("=")
        if not sep:
            raise ConfigError(f"{conf}:{lineno}: not a key=value line. Fix it, then import "
                              "again. Nothing was written.", path=conf, line=lineno)
        if key.strip() == "executeInTransaction" and value.strip().lower() == "false":
            return f"`executeInTransaction=false` in {conf.name}"
    return None


def history(conn: psycopg.Connection, found: list[SourceMigration],
            src: Path) -> list[ForeignRow]:
    if not table_exists(conn, "flyway_schema_history"):
        raise no_ledger(TOOL, "flyway_schema_history")
    by_key = {_key(m.source_id): m.source_id for m in found}
    recorded = []
    for rank, version, _desc, kind, script, checksum, by, on, success in rows(conn, "flyway"):
        if kind == "SCHEMA":
            continue  # Flyway created the schema: no migration
        where = f"flyway_schema_history row {rank} ({script})"
        if not success:
            raise LedgerProblem(
                f"{where} failed (success = false): the database may be partly migrated. Fix "
                "the database by hand and run `flyway repair`, then import again. Nothing "
                "was written.")
        if kind != "SQL" or version is None:
            what = "a repeatable migration" if version is None else f"of type {kind}"
            raise LedgerProblem(
                f"{where} is {what}; sqlmig adopts only versioned SQL migrations. Baseline the "
                "database with the tool first (or remove the row if it no longer applies), "
                "then import again. Nothing was written.")
        if not _VERSION.match(str(version)):
            raise LedgerProblem(f"{where}: version {version!r} is not a Flyway version. "
                                "Nothing was written.")
        source_id = by_key.get(_key(str(version)), str(version))
        recorded.append(ForeignRow(source_id, None if checksum is None else str(checksum),
                                   on, by))
    unknown_rows(TOOL, "flyway_schema_history", recorded, found)
    return recorded
