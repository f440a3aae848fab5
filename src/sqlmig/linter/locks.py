"""The table locks a migration's statements take, from the linter's parse of
the files (:mod:`.analysis`): what the preflight looks for in ``pg_locks``.

A lint finding marks a statement that is *dangerous*; a lock here is what
any statement needs, harmless ones included: ``ALTER TABLE t ADD COLUMN x
int DEFAULT 0`` is catalog-only (no finding), yet it needs ACCESS EXCLUSIVE
on ``t`` and waits behind any open transaction that read ``t``.  Only the
modes that block writers are listed (SHARE and stronger); the modes are
PostgreSQL's (the "Explicit Locking" chapter of its manual).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..core.files import SqlFile
from .analysis import names, parse_file, qualified, relname

ACCESS_EXCLUSIVE = "AccessExclusiveLock"
EXCLUSIVE = "ExclusiveLock"
SHARE_ROW_EXCLUSIVE = "ShareRowExclusiveLock"
SHARE = "ShareLock"

# ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE (PostgreSQL's
# AlterTableGetLockLevel): SHARE UPDATE EXCLUSIVE, which blocks no reader or writer.
_WEAK_ALTERS = {"AT_ValidateConstraint", "AT_SetStatistics", "AT_ClusterOn",
                "AT_DropCluster", "AT_SetRelOptions", "AT_ResetRelOptions",
                "AT_DetachPartitionFinalize"}
_LOCK_MODES = {1: "AccessShareLock", 2: "RowShareLock", 3: "RowExclusiveLock",
               4: "ShareUpdateExclusiveLock", 5: SHARE, 6: SHARE_ROW_EXCLUSIVE, 7: EXCLUSIVE,
               8: ACCESS_EXCLUSIVE}
STRONG = (SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE)


@dataclass(frozen=True)
class TableLock:
    """One statement's lock on one table: ``table`` as lint names it
    (``name``, or ``schema.name`` outside public), ``mode`` as pg_locks does."""

    file: str
    line: int
    table: str
    mode: str
    statement: str  # e.g. "ALTER TABLE"


def strong_locks(files: Iterable[SqlFile]) -> list[TableLock]:
    """Every SHARE-or-stronger table lock the files' statements take, in file
    order; tables created earlier in the same files are left out (nobody else
    can hold a lock on them)."""
    out: list[TableLock] = []
    created: set[str] = set()
    for file in files:
        for stmt in parse_file(file).statements:
            node = stmt.node
            kind = type(node).__name__
            if kind == "CreateStmt" and node.relation is not None:
                created.add(relname(node.relation))
                continue
            for table, mode in _locks(node):
                if table and table not in created:
                    out.append(TableLock(file.relpath, stmt.line, table, mode, _label(kind)))
    return out


def _locks(n: Any) -> list[tuple[str, str]]:
    kind = type(n).__name__
    if kind == "AlterTableStmt" and n.objtype.name == "OBJECT_TABLE":
        subs = [c.subtype.name for c in n.cmds or ()]
        found = []
        if any(s not in _WEAK_ALTERS for s in subs):
            found.append((relname(n.relation), ACCESS_EXCLUSIVE))
        for c in n.cmds or ():
            # A new FOREIGN KEY also locks the referenced table against writes.
            con = c.def_ if c.subtype.name == "AT_AddConstraint" else None
            if con is not None and con.contype.name == "CONSTR_FOREIGN" and con.pktable:
                found.append((relname(con.pktable), SHARE_ROW_EXCLUSIVE))
        return found
    if kind == "IndexStmt" and not n.concurrent:
        return [(relname(n.relation), SHARE)]
    if kind == "DropStmt" and n.removeType.name == "OBJECT_TABLE":
        return [(qualified(names(o)), ACCESS_EXCLUSIVE) for o in n.objects]
    if kind == "DropStmt" and n.removeType.name == "OBJECT_INDEX" and not n.concurrent:
        # Named by the index: the preflight's SQL finds its table (pg_index).
        return [(qualified(names(o)), ACCESS_EXCLUSIVE) for o in n.objects]
    if kind == "TruncateStmt":
        return [(relname(r), ACCESS_EXCLUSIVE) for r in n.relations]
    if kind == "RenameStmt" and n.relation is not None:
        return [(relname(n.relation), ACCESS_EXCLUSIVE)]
    if kind == "CreateTrigStmt":
        return [(relname(n.relation), SHARE_ROW_EXCLUSIVE)]
    if kind == "ClusterStmt" and n.relation is not None:
        return [(relname(n.relation), ACCESS_EXCLUSIVE)]
    if kind == "VacuumStmt" and n.is_vacuumcmd and any(
            o.defname == "full" for o in n.options or ()):
        return [(relname(r.relation), ACCESS_EXCLUSIVE) for r in n.rels or ()
                if getattr(r, "relation", None) is not None]
    if kind == "LockStmt":
        mode = _LOCK_MODES.get(n.mode, ACCESS_EXCLUSIVE)
        return [(relname(r), mode) for r in n.relations] if mode in STRONG else []
    return []


def _label(kind: str) -> str:
    return {"AlterTableStmt": "ALTER TABLE", "IndexStmt": "CREATE INDEX",
            "DropStmt": "DROP", "TruncateStmt": "TRUNCATE", "RenameStmt": "RENAME",
            "CreateTrigStmt": "CREATE TRIGGER", "ClusterStmt": "CLUSTER",
            "VacuumStmt": "VACUUM FULL", "LockStmt": "LOCK"}.get(kind, kind)
