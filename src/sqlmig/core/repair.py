"""``sqlmig repair``: record the edited (or renamed) file of an applied migration.

An applied file whose bytes changed blocks every apply (ChecksumDrift),
except when only its comments or whitespace changed (the normalized checksum
of :func:`~sqlmig.core.sqltext.normalized_checksum` still matches: a
cosmetic change, reported and let through).  After a human has reviewed the
edit, :func:`repair` records the file as it is now: its name, its checksum
and its normalized checksum, with a history row (action ``repair``, the old
values in its detail) and an audit row, all written by the server in one
transaction (``sqlmig_repair()``, sqlmig/core/sql/ledger_0008.sql), under the
migration lock and the environment's guards (the binding; a refusal is
audited).  Nothing of the migration runs again: the ledger keeps checksums,
not the old text, so what changed is shown as the two checksums and, when
git has the commit the migration was applied from, ``git diff`` of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ConfigError, LedgerProblem
from .git import _git
from .ledger import LedgerRow, os_user

if TYPE_CHECKING:
    from .session import Session

_COMMIT = re.compile(r"[0-9a-f]{7,64}")


@dataclass(frozen=True)
class RepairResult:
    """What ``repair`` recorded for ``version``, and what it replaced."""

    version: int
    name: str  # the name recorded now (the file's)
    file: str  # relative to sql/, e.g. migrations/0003_add_ranks.sql
    checksum: str
    normalized: str | None  # None: the scanner could not read the file
    normalizer: str | None
    old_name: str
    old_checksum: str
    old_normalized: str | None
    cosmetic: bool  # only comments/whitespace changed (by the recorded normalized checksum)
    reason: str
    # `git diff` of the file since the commit it was applied from; None when
    # git does not have that commit (or the ledger recorded none)
    git_diff: str | None

    @property
    def renamed(self) -> bool:
        return self.name != self.old_name


def repair(session: Session, version: int, reason: str) -> RepairResult:
    """Record the current file of applied ``version`` in the ledger.

    Refuses (LedgerProblem, exit 3) a version the ledger does not have, a
    failed one (``sqlmig resolve`` is for those), one without a file, and a
    file identical to the recorded one; a missing ``reason`` is a
    ConfigError.  The manifest must match the files, as for ``apply``.
    """
    from .sqltext import NORMALIZER, normalized_checksum

    if not (reason and reason.strip()):
        raise ConfigError(
            f"sqlmig repair {version} needs --reason: say what changed in the file and why "
            "the database already matches it (it goes into the history and the audit log). "
            "Nothing was changed.")
    project = session.project
    project.verify_manifest()
    conn = session.conn
    with session.locked(), session.guarded("repair") as guard:
        guard.note([version], f"repair of version {version}: {reason}")
        ledger = session.ledger
        rows: dict[int, LedgerRow] = {}
        if ledger.exists(conn):
            # Ledger version 8 first: its columns, sqlmig_repair(), and the audit
            # action `repair` that a refusal below is recorded with.
            ledger.ensure(conn)
            rows = {r.version: r for r in ledger.rows(conn)}
        row = rows.get(version)
        if row is None:
            raise LedgerProblem(
                f"cannot repair {version}: it is not in the ledger (never applied here). "
                "`sqlmig repair` records a new checksum for an applied migration; see "
                "`sqlmig status`. Nothing was changed.")
        if not row.done:
            raise LedgerProblem(
                f"cannot repair {version}: {row.name} is {row.status}, not applied. Record "
                f"how it was resolved with `sqlmig resolve {version} --as "
                "applied|rolled-back` first. Nothing was changed.")
        mig = project.by_version().get(version)
        if mig is None:
            raise LedgerProblem(
                f"cannot repair {version}: no file in migrations/ has version {version} "
                f"(applied as {row.name}). Restore migrations/{row.name}.sql from version "
                "control. Nothing was changed.")
        if mig.up.checksum == row.checksum and mig.name == row.name:
            raise LedgerProblem(
                f"cannot repair {version}: {mig.up.relpath} is exactly the file recorded "
                f"(checksum {row.checksum[:12]}); there is nothing to repair. Nothing was "
                "changed.")
        normalized = normalized_checksum(mig.up.text)
        normalizer = NORMALIZER if normalized is not None else None
        diff = _git_diff(session, row.git_commit, row.name, mig.up.relpath)
        from psycopg import sql

        query = sql.SQL("SELECT * FROM {}(%s, %s, %s, %s, %s, %s, %s, %s, %s)").format(
            ledger.function("sqlmig_repair"))
        with ledger.privileged(conn, "record a repair"), conn.transaction():
            got = conn.execute(query, (
                version, mig.name, mig.up.checksum, normalized, normalizer,
                session.config.env, reason.strip(), project.git.head, os_user(),
            )).fetchone()
        assert got is not None  # the function returns one row or raises
    return RepairResult(
        version=version, name=mig.name, file=mig.up.relpath, checksum=mig.up.checksum,
        normalized=normalized, normalizer=normalizer, old_name=str(got[0]),
        old_checksum=str(got[1]), old_normalized=got[2], cosmetic=bool(got[3]),
        reason=reason.strip(), git_diff=diff,
    )


def _git_diff(session: Session, commit: str | None, old_name: str, relpath: str) -> str | None:
    """``git diff COMMIT -- old new`` of the migration file, COMMIT being the
    one the ledger says it was applied from (``-dirty``: the file then had
    uncommitted changes, so the diff is from the commit, not from what ran)."""
    project = session.project
    head = (commit or "").removesuffix("-dirty")
    if not _COMMIT.fullmatch(head) or project.git.repo_root is None:
        return None
    paths = sorted({str(project.sql_dir / "migrations" / f"{old_name}.sql"),
                    str(project.sql_dir / relpath)})
    return _git(project.root, "diff", "--no-color", "--find-renames", head, "--", *paths)
