"""The other tool's ledger -> sqlmig ledger rows with status ``imported``.

The other tool's tables are only read (one SELECT each), never changed.  The
rows are written through ``sqlmig_record_imported`` (ledger_0007.sql), which
takes the identity and the time from the server; ``checksum`` is the sqlmig
file's, so later runs compare the files with what was imported, and the
other tool's own checksum is kept in ``source_checksum``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LedgerProblem
from .convert import Converted
from .importers import importer
from .source import ForeignRow

if TYPE_CHECKING:
    import psycopg

    from ..core.ledger import Ledger


@dataclass(frozen=True)
class AdoptedRow:
    version: int
    name: str
    checksum: str
    source_version: str
    source_checksum: str | None
    source_applied_at: datetime | None
    source_applied_by: str | None


def read(conn: psycopg.Connection, fmt: str, src: Path,
         converted: list[Converted]) -> list[AdoptedRow]:
    """The sqlmig rows for what ``fmt``'s ledger records; reads only."""
    found = [c.mapped.source for c in converted]
    by_id = {c.mapped.source.source_id: c for c in converted}
    recorded: list[ForeignRow] = importer(fmt).history(conn, found, src)
    out = []
    for row in recorded:
        c = by_id[row.source_id]
        out.append(AdoptedRow(
            c.version, c.name, hashlib.sha256(c.up_text.encode("utf-8")).hexdigest(),
            row.source_id, row.checksum, row.applied_at, row.applied_by))
    return sorted(out, key=lambda r: r.version)


def refuse_non_empty(conn: psycopg.Connection, ledger: Ledger) -> None:
    """History is adopted only into an empty sqlmig ledger."""
    rows = ledger.rows(conn)
    if rows:
        raise LedgerProblem(
            f'the database already has a sqlmig ledger with {len(rows)} row(s) in schema '
            f'"{ledger.schema}": its history is sqlmig\'s already. Import without '
            "--database-url/--env to take only the files. Nothing was written.")


def record(conn: psycopg.Connection, ledger: Ledger, tool: str, rows: list[AdoptedRow],
           os_user: str | None) -> None:
    """Write ``rows`` in one transaction (call with the migration lock held)."""
    from psycopg import sql

    call = sql.SQL("SELECT {}(%s, %s, %s, %s, %s, %s, %s, %s, %s)").format(
        ledger.ident("sqlmig_record_imported"))
    with conn.transaction():
        for r in rows:
            conn.execute(call, (r.version, r.name, r.checksum, tool, r.source_version,
                                r.source_checksum, r.source_applied_at, r.source_applied_by,
                                os_user))
