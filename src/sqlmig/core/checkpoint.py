"""Checkpoints: ``sql/checkpoints/NNNN_checkpoint.sql``, the schema at version NNNN.

A checkpoint is written (and proven: :mod:`sqlmig.backup.checkpoint`) by
``sqlmig checkpoint --to V``.  A fresh database (an empty ledger) whose apply
reaches V runs the newest such file first, in one transaction with ledger
rows 1..V (status ``applied``, history detail ``applied from
checkpoints/NNNN_checkpoint.sql``), then the later migrations one by one; a
database with any ledger row ignores checkpoints.  Replays on scratch
databases (drift) may start from one too: :func:`replay_files`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, MigrationFailed
from .files import Migration, SqlFile, read_sql_file

if TYPE_CHECKING:
    import psycopg

    from .git import GitState
    from .ledger import Ledger
    from .planner import Plan
    from .results import AppliedMigration
    from .settings import Config

CHECKPOINTS_DIR = "checkpoints"
FILE_NAME = re.compile(r"^(?P<version>[0-9]{4,})_checkpoint\.sql\Z")


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint file: the schema that migrations 1..version produce."""

    version: int
    file: SqlFile

    @property
    def name(self) -> str:
        return self.file.path.stem

    def as_migration(self) -> Migration:
        """The file as a migration of ``version``, for replays on scratch databases."""
        return Migration(version=self.version, name=self.name, up=self.file, down=None)


def path_for(sql_dir: Path, version: int) -> Path:
    return sql_dir / CHECKPOINTS_DIR / f"{version:04d}_checkpoint.sql"


def discover(sql_dir: Path, migrations: list[Migration] | None = None) -> list[Checkpoint]:
    """Every checkpoint under ``sql_dir``, by version.  A file not named
    NNNN_checkpoint.sql, or (given ``migrations``) one whose version has no
    migration, is refused."""
    directory = sql_dir / CHECKPOINTS_DIR
    if not directory.is_dir():
        return []
    known = None if migrations is None else {m.version for m in migrations}
    found = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith("."):
            continue
        m = FILE_NAME.match(path.name)
        if m is None or not path.is_file():
            raise ConfigError(
                f"{CHECKPOINTS_DIR}/{path.name}: not a checkpoint file. sql/checkpoints holds "
                "only NNNN_checkpoint.sql files written by `sqlmig checkpoint --to NNNN`; move "
                "anything else out.", path=path)
        version = int(m.group("version"))
        if known is not None and version not in known:
            raise ConfigError(
                f"{CHECKPOINTS_DIR}/{path.name}: there is no migration {version}, so this "
                "checkpoint stands for nothing. Delete it (and run `sqlmig manifest`), or "
                "restore the migration.", path=path)
        found.append(Checkpoint(version, read_sql_file(path, f"{CHECKPOINTS_DIR}/{path.name}")))
    return found


def usable(checkpoints: list[Checkpoint], migrations: list[Migration],
           versions: list[int]) -> Checkpoint | None:
    """The newest checkpoint that may stand for the start of ``versions``
    (sorted): every migration at or below it is among them, none is left out."""
    if not versions:
        return None
    chosen = set(versions)
    for cp in sorted(checkpoints, key=lambda c: -c.version):
        below = [m.version for m in migrations if m.version <= cp.version]
        if below and cp.version in chosen and all(v in chosen for v in below):
            return cp
    return None


def replay_files(checkpoints: list[Checkpoint], migrations: list[Migration],
                 versions: list[int]) -> list[Migration]:
    """What a scratch replay of ``versions`` runs: a usable checkpoint, then the
    migrations above it (all of them when no checkpoint is usable)."""
    by_version = {m.version: m for m in migrations}
    cp = usable(checkpoints, migrations, versions)
    if cp is None:
        return [by_version[v] for v in versions]
    return [cp.as_migration(), *(by_version[v] for v in versions if v > cp.version)]


def for_plan(checkpoints: list[Checkpoint], migrations: list[Migration], plan: Plan,
             fresh: bool) -> Checkpoint | None:
    """The checkpoint a fresh database's apply runs first, if any."""
    if not fresh or plan.direction != "up":
        return None
    return usable(checkpoints, migrations, [s.version for s in plan.steps])


def apply(conn: psycopg.Connection, ledger: Ledger, config: Config, git: GitState,
          cp: Checkpoint, plan: Plan) -> list[AppliedMigration]:
    """Run ``cp`` and record the plan's versions up to it, in one transaction.

    Call with the migration lock held, on an empty ledger (the ledger
    function refuses otherwise).
    """
    import psycopg
    from psycopg import sql

    from .ledger import os_user
    from .results import AppliedMigration

    steps = [s for s in plan.steps if s.version <= cp.version]
    started = time.perf_counter()
    try:
        with conn.transaction():
            for name in ("lock_timeout", "statement_timeout"):
                value = getattr(config, name)
                if value is not None:
                    conn.execute(sql.SQL("SELECT set_config({}, {}, true)").format(
                        sql.Literal(name), sql.Literal(value.postgres())))
            conn.execute(cp.file.text)
            # The checkpoint may have changed role or search_path for its transaction.
            conn.execute("RESET ROLE")
            ledger.call(conn, "sqlmig_record_checkpoint", [s.version for s in steps],
                        [s.name for s in steps], [s.migration.up.checksum for s in steps],
                        cp.file.relpath, git.commit_for(cp.file.path), os_user())
    except psycopg.Error as exc:
        raise _failure(cp, exc) from None
    ms = round((time.perf_counter() - started) * 1000)
    return [AppliedMigration(s.version, s.name, ms if s.version == cp.version else 0)
            for s in steps]


def rest(plan: Plan, applied: list[AppliedMigration]) -> Plan:
    """``plan`` without the steps a checkpoint already applied."""
    import dataclasses

    done = {a.version for a in applied}
    return dataclasses.replace(plan, steps=[s for s in plan.steps if s.version not in done])


def _failure(cp: Checkpoint, exc: psycopg.Error) -> MigrationFailed:
    from .connection import redact
    from .sqltext import excerpt, line_col

    diag = exc.diag
    primary = diag.message_primary or str(exc).strip()
    line = column = None
    pos = diag.statement_position
    if pos and pos.isdigit() and 0 < int(pos) <= len(cp.file.text):
        line, column = line_col(cp.file.text, int(pos) - 1)
    where = f"{cp.file.relpath}:{line}:{column}" if line else cp.file.relpath
    text = f"{where}: {primary}" + (f" (SQLSTATE {exc.sqlstate})" if exc.sqlstate else "")
    if diag.message_detail:
        text += f"\nDETAIL: {diag.message_detail}"
    snippet = excerpt(cp.file.text, line) if line else None
    if snippet:
        text += "\n" + snippet
    text += (f"\nNothing from this checkpoint was applied. Regenerate it with `sqlmig checkpoint "
             f"--to {cp.version}`, or delete it to apply the migrations one by one.")
    return MigrationFailed(redact(text), path=cp.file.path, line=line, column=column,
                           sqlstate=exc.sqlstate, detail=diag.message_detail,
                           version=cp.version)
