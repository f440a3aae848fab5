"""``sqlmig import FORMAT SRC``: the whole import, validated before anything is written.

1. Read the source files (:mod:`.importers`), map the versions
   (:mod:`.source`), convert and validate every file (:mod:`.convert`).
2. With a database: read the other tool's ledger and sqlmig's (one SELECT
   each) and refuse what cannot be adopted (a dirty or failed row, a row
   without a file, a sqlmig ledger that has rows already).
3. Write the project's files (the scaffold of ``sqlmig init`` when the target
   is not a project yet, the migrations, rollbacks, manifest, and
   ``sql/IMPORTED.md``, the mapping report).
4. With a database: under the migration lock, create or upgrade sqlmig's
   ledger, read the other ledger again, and record the imported rows in one
   transaction.  If this fails, the files written in step 3 are removed.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from ..core import files as files_mod
from ..core import manifest as manifest_mod
from ..core.project import URL_RESOLVERS, Project
from ..errors import ConfigError, LedgerProblem
from . import convert as convert_mod
from . import history as history_mod
from . import scaffold
from .importers import importer
from .source import map_versions

REPORT_NAME = "IMPORTED.md"


@dataclass(frozen=True)
class ImportedMigration:
    version: int
    name: str
    source_id: str  # the version or name in the other tool
    source_file: str  # relative to the source directory
    rollback: bool
    no_transaction: str | None  # why the file runs outside a transaction
    adopted: bool  # recorded as imported in the database's sqlmig ledger
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    """What ``sqlmig import`` wrote (and adopted)."""

    tool: str
    root: Path
    rule: str
    migrations: list[ImportedMigration]
    report: Path
    manifest: Path
    created: list[Path]
    adopted: list[int]  # sqlmig versions recorded with status imported
    database: bool  # whether a database's history was read

    @property
    def without_rollback(self) -> list[str]:
        return [m.name for m in self.migrations if not m.rollback]


def import_project(fmt: str, src: Path | str, into: Path | str, *, env: str | None = None,
                   database_url: str | None = None) -> ImportResult:
    """Convert ``fmt``'s migrations in ``src`` into a sqlmig project at ``into``;
    with ``env`` or ``database_url``, also adopt that database's history."""
    imp = importer(fmt)
    src = Path(src).resolve()
    root = Path(into).resolve()
    found, integers = imp.read(src)
    if not found:
        raise ConfigError(f"{src}: no {fmt} migrations found. Pass the directory that holds "
                          "them. Nothing was written.", path=src)
    mapping = map_versions(fmt, found, integers=integers)
    needs_scaffold = _check_target(root)
    converted = convert_mod.convert(fmt, mapping, root)
    adopting = env is not None or database_url is not None
    rows: list[history_mod.AdoptedRow] = []
    if adopting:
        rows = _read_history(fmt, src, root, needs_scaffold, env, database_url, converted)
    created: list[Path] = []
    try:
        if needs_scaffold:
            scaffold.write(root, created)
        _write_files(root, converted, created)
        project = Project(root)
        manifest = manifest_mod.write(project.sql_dir, project.migrations)
        written = [m.name for m in project.migrations]
        assert written == [c.name for c in converted], (written, [c.name for c in converted])
        adopted = {r.version for r in rows}
        result_migrations = [_imported(c, src, c.version in adopted) for c in converted]
        report = root / "sql" / REPORT_NAME
        with report.open("x", encoding="utf-8") as fh:
            created.append(report)
            fh.write(render_report(fmt, mapping.rule, result_migrations, adopting))
        if adopting:
            _record(fmt, src, project, env, database_url, converted, rows)
    except BaseException:
        scaffold.remove(created)
        raise
    return ImportResult(fmt, root, mapping.rule, result_migrations, report, manifest,
                        [p for p in created if p.is_file()],
                        sorted(adopted), adopting)


def _check_target(root: Path) -> bool:
    """Whether ``root`` needs the scaffold; refuses a project that has migrations."""
    if root.exists() and not root.is_dir():
        raise ConfigError(f"--into {root}: a file, not a directory. Nothing was written.",
                          path=root)
    if not (root / "config").exists() and not (root / "sql").exists():
        return True
    if not (root / "config").is_dir() or not (root / "sql").is_dir():
        raise ConfigError(f"--into {root}: has {'config/' if (root / 'config').exists() else 'sql/'}"
                          " but not the other, so it is no sqlmig project. Import into a new or "
                          "empty directory, or one made by `sqlmig init`. Nothing was written.",
                          path=root)
    for folder in (files_mod.MIGRATIONS_DIR, files_mod.ROLLBACKS_DIR):
        d = root / "sql" / folder
        if d.is_dir() and any(not p.name.startswith(".") for p in d.iterdir()):
            raise ConfigError(
                f"--into {root}: sql/{folder}/ already has files. sqlmig imports only into a "
                "project without migrations (a new directory, or one made by `sqlmig init`). "
                "Nothing was written.", path=d)
    if (root / "sql" / REPORT_NAME).exists():
        raise ConfigError(f"--into {root}: sql/{REPORT_NAME} exists (an earlier import?). "
                          "Remove it, then import again. Nothing was written.",
                          path=root / "sql" / REPORT_NAME)
    return False


def _url(root: Path, needs_scaffold: bool, env: str | None,
         database_url: str | None) -> tuple[str, str]:
    """(URL to read the histories from, sqlmig ledger schema)."""
    if not needs_scaffold:
        project = Project(root)
        cfg = project.config(env or "dev", database_url)
        return project.database_url(cfg), cfg.schema
    if env is not None:
        raise ConfigError(
            f"--env {env}: {root} has no config/ yet. Run `sqlmig init {root}`, set the "
            f"environment's database_url in config/{env}.yaml, then import again; or pass "
            "--database-url. Nothing was written.")
    assert database_url is not None
    if database_url in URL_RESOLVERS:
        raise ConfigError(f"--database-url {database_url}: a project's own server has no "
                          "other tool's history. Pass the URL of the database to adopt. "
                          "Nothing was written.")
    from ..core.settings import DEFAULT_SCHEMA

    return database_url, DEFAULT_SCHEMA


def _read_history(fmt: str, src: Path, root: Path, needs_scaffold: bool, env: str | None,
                  database_url: str | None,
                  converted: list[convert_mod.Converted]) -> list[history_mod.AdoptedRow]:
    from ..core.connection import connect
    from ..core.ledger import Ledger

    url, schema = _url(root, needs_scaffold, env, database_url)
    with connect(url) as conn:
        rows = history_mod.read(conn, fmt, src, converted)
        history_mod.refuse_non_empty(conn, Ledger(schema))
    return rows


def _record(fmt: str, src: Path, project: Project, env: str | None, database_url: str | None,
            converted: list[convert_mod.Converted], rows: list[history_mod.AdoptedRow]) -> None:
    from ..core.ledger import os_user
    from ..core.session import Session

    with Session(project, env or "dev", database_url) as s, s.locked():
        s.ledger.ensure(s.conn)
        history_mod.refuse_non_empty(s.conn, s.ledger)
        again = history_mod.read(s.conn, fmt, src, converted)
        if again != rows:
            raise LedgerProblem(f"{fmt}'s ledger changed while the import ran (is {fmt} "
                                "running?). Nothing was written; import again.")
        history_mod.record(s.conn, s.ledger, fmt, rows, os_user())


def _write_files(root: Path, converted: list[convert_mod.Converted],
                 created: list[Path]) -> None:
    sql_dir = root / "sql"
    try:
        for folder in (files_mod.MIGRATIONS_DIR, files_mod.ROLLBACKS_DIR):
            if not (sql_dir / folder).is_dir():
                (sql_dir / folder).mkdir(parents=True)
                created.append(sql_dir / folder)
        for c in converted:
            for folder, text in ((files_mod.MIGRATIONS_DIR, c.up_text),
                                 (files_mod.ROLLBACKS_DIR, c.down_text)):
                if text is None:
                    continue
                path = sql_dir / folder / f"{c.name}.sql"
                with path.open("xb") as fh:
                    created.append(path)
                    fh.write(text.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{exc.filename or root}: cannot write: {exc.strerror}. Nothing was "
                          "written.", path=root) from None


def _imported(c: convert_mod.Converted, src: Path, adopted: bool) -> ImportedMigration:
    source = c.mapped.source
    rel = str(source.up_file)
    with contextlib.suppress(ValueError):
        rel = source.up_file.relative_to(src if src.is_dir() else src.parent).as_posix()
    return ImportedMigration(c.version, c.name, source.source_id, rel, c.down_text is not None,
                             c.up_no_tx, adopted, c.notes)


def render_report(tool: str, rule: str, migrations: list[ImportedMigration],
                  adopting: bool) -> str:
    """sql/IMPORTED.md: the mapping, one row per migration (no timestamps: it is
    committed with the files)."""
    lines = [
        f"# Imported from {tool}",
        "",
        "Written by `sqlmig import`; see docs/adopting.md. Keep it: it says which sqlmig",
        f"migration each {tool} migration became.",
        "",
        f"Versions: {rule}.",
        "",
        f"| sqlmig migration | {tool} | source file | rollback | transaction | notes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for m in migrations:
        lines.append(
            f"| {m.name} | {m.source_id} | {m.source_file} | {'yes' if m.rollback else 'none'} "
            f"| {'no-transaction: ' + m.no_transaction if m.no_transaction else 'one'} "
            f"| {'; '.join(m.notes) or '-'} |")
    without = [m.name for m in migrations if not m.rollback]
    lines.append("")
    if without:
        lines.append(f"Without a rollback ({len(without)}): {', '.join(without)}. "
                     "`sqlmig rollback` refuses them until sql/rollbacks/ has one.")
        lines.append("")
    if adopting:
        adopted = [m.name for m in migrations if m.adopted]
        lines.append(f"History: {len(adopted)} of {len(migrations)} migrations were adopted "
                     f"from the database's {tool} ledger (status `imported`).")
        lines.append("")
    return "\n".join(lines)
