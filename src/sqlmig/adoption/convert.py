"""Source migrations -> the text of sqlmig files, validated before anything is written.

Per file:

* A ``BEGIN``/``START TRANSACTION`` first statement with a ``COMMIT``/``END``
  last statement (Sqitch's templates, many golang-migrate files) is removed:
  sqlmig runs each file in a transaction itself, and refuses transaction
  control inside one.  Any other transaction control is refused by
  validation, naming the source file.
* ``-- sqlmig: no-transaction`` is written when the tool's marker says so
  (dbmate ``transaction:false``, Flyway ``executeInTransaction=false``, yoyo
  ``-- transactional: false``, diesel ``run_in_transaction = false``) or when
  a statement cannot run in a transaction block (``CREATE INDEX
  CONCURRENTLY``, ``VACUUM``...: found with pglast, as sqlmig's own
  validation does).
* A rollback with no statement (an empty dbmate down section, a revert
  script of comments only) is left out: sqlmig then refuses to roll that
  migration back instead of "succeeding" without undoing anything.

Every converted file goes through :meth:`SqlFile.validate`, the check apply
makes; a refusal names the source file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core import files as files_mod
from ..core import sqltext
from ..errors import MigrationFileError
from .source import Mapped, Mapping


@dataclass(frozen=True)
class Converted:
    """One sqlmig migration made from a source migration."""

    mapped: Mapped
    up_text: str
    down_text: str | None
    up_no_tx: str | None  # why the up file runs outside a transaction, if it does
    down_no_tx: str | None
    notes: tuple[str, ...]

    @property
    def version(self) -> int:
        return self.mapped.version

    @property
    def name(self) -> str:
        return self.mapped.name


def convert(tool: str, mapping: Mapping, root: Path) -> list[Converted]:
    """The sqlmig files for ``mapping``, as they will be written under ``root``."""
    out = []
    for item in mapping.items:
        src = item.source
        notes = list(src.notes)
        up_text, up_no_tx = _translate(tool, src.up_file, "up" if src.down_file == src.up_file
                                       else None, src.up_sql, src.up_no_tx, notes)
        down_text: str | None = None
        down_no_tx: str | None = None
        if src.down_file is not None and src.down_sql is not None:
            section = "down" if src.down_file == src.up_file else None
            down_text, down_no_tx = _translate(tool, src.down_file, section, src.down_sql,
                                               src.down_no_tx, notes)
            if not sqltext.analyse(src.down_sql).statements:
                notes.append("the rollback has no statement: not imported")
                down_text, down_no_tx = None, None
        elif src.down_file is None:
            notes.append("no rollback in the source")
        converted = Converted(item, up_text, down_text, up_no_tx, down_no_tx, tuple(notes))
        _validate(converted, root)
        out.append(converted)
    return out


def _translate(tool: str, path: Path, section: str | None, sql: str, marker: str | None,
               notes: list[str]) -> tuple[str, str | None]:
    body = _unwrap(sql)
    if body != sql:
        notes.append(f"removed the BEGIN/COMMIT around {path.name}"
                     + (f" ({section})" if section else ""))
    reason = marker
    if reason is None:
        for stmt in sqltext.analyse(body).statements:
            needs = stmt.no_transaction_block()
            if needs is not None:
                reason = f"{needs} cannot run in a transaction block"
                break
    where = f"{path.name}" + (f", {section} section" if section else "")
    header = [f"-- Imported from {tool}: {where}."]
    if reason is not None:
        header += ["-- sqlmig: no-transaction", f"-- (outside a transaction: {reason})"]
    return "\n".join(header) + "\n\n" + body.lstrip("\n"), reason


def _unwrap(sql: str) -> str:
    """``sql`` without a BEGIN first statement and COMMIT last one, if it has both."""
    statements = sqltext.analyse(sql).statements
    if len(statements) < 2:
        return sql
    first, last = statements[0], statements[-1]
    if first.transaction_control() not in ("BEGIN", "START") or \
            last.transaction_control() not in ("COMMIT", "END"):
        return sql
    if any(s.transaction_control() for s in statements[1:-1]):
        return sql  # several transactions: validation refuses it, naming the file
    return _cut(_cut(sql, last), first)


def _cut(sql: str, stmt: sqltext.Statement) -> str:
    end = stmt.offset + len(stmt.text)
    semicolon = sql.find(";", end)
    if semicolon >= 0 and not sql[end:semicolon].strip():
        end = semicolon + 1
    return sql[:stmt.offset] + sql[end:]


def _validate(c: Converted, root: Path) -> None:
    sql_dir = root / "sql"
    pairs = [(c.up_text, files_mod.MIGRATIONS_DIR, c.mapped.source.up_file)]
    if c.down_text is not None:
        assert c.mapped.source.down_file is not None
        pairs.append((c.down_text, files_mod.ROLLBACKS_DIR, c.mapped.source.down_file))
    for text, folder, source in pairs:
        relpath = f"{folder}/{c.name}.sql"
        path = sql_dir / folder / f"{c.name}.sql"
        try:
            directives = files_mod.parse_directives(text, relpath, path,
                                                    files_mod.MIGRATION_DIRECTIVES)
            files_mod.SqlFile(path=path, relpath=relpath,
                              checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                              text=text, directives=directives).validate()
        except MigrationFileError as exc:
            raise MigrationFileError(
                f"{source} (would be sql/{relpath}): {exc.message} Fix it in the source, then "
                "import again. Nothing was written.",
                path=source, line=None, column=exc.column) from None
