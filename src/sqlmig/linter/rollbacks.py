"""The rules for rollback files, and transaction control (shared with
migrations): a rollback often runs after a failed or partial migration, so
its DROPs must tolerate missing objects.  Also what a rollback must undo:
the objects a migration creates (:class:`Created`) and what a rollback's
DROPs take with them (:class:`Drops`), for ``rollback-incomplete``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .analysis import ParsedFile, Stmt, names, qualified, relname, shown

if TYPE_CHECKING:
    from .statements import Linter


# The statement kinds RollbackStatement has a rule for.
ROLLBACK_KINDS = frozenset({"TransactionStmt", "DropStmt", "AlterTableStmt", "IndexStmt"})


class RollbackStatement:
    """The rules for one statement of a rollback file."""

    def __init__(self, lint: Linter, parsed: ParsedFile, stmt: Stmt, node: Any = None) -> None:
        self.lint, self.parsed, self.stmt = lint, parsed, stmt
        self.node = stmt.node if node is None else node

    def run(self) -> None:
        n = self.node
        kind = type(n).__name__
        if kind == "TransactionStmt":
            transaction_control(self.lint, self.parsed, self.stmt, n)
        elif kind == "DropStmt":
            if not n.missing_ok:
                what = n.removeType.name.removeprefix("OBJECT_").replace("_", " ")
                self.missing_if_exists(f"DROP {what}")
            if n.concurrent and self.parsed.file.transactional:
                self.lint.emit(self.parsed, "concurrently-in-transaction", self.stmt,
                               self.stmt.offset, "DROP INDEX CONCURRENTLY cannot run inside a "
                               "transaction: add `-- sqlmig: no-transaction`")
        elif kind == "AlterTableStmt":
            for cmd in n.cmds or ():
                if cmd.subtype.name in ("AT_DropColumn", "AT_DropConstraint") and not cmd.missing_ok:
                    what = "COLUMN" if cmd.subtype.name == "AT_DropColumn" else "CONSTRAINT"
                    self.missing_if_exists(f"ALTER TABLE ... DROP {what} {cmd.name}")
        elif kind == "IndexStmt" and n.concurrent and self.parsed.file.transactional:
            self.lint.emit(self.parsed, "concurrently-in-transaction", self.stmt, self.stmt.offset,
                           "CREATE INDEX CONCURRENTLY cannot run inside a transaction: add "
                           "`-- sqlmig: no-transaction`")

    def missing_if_exists(self, what: str) -> None:
        self.lint.emit(self.parsed, "drop-without-if-exists", self.stmt, self.stmt.offset,
                       f"{what} without IF EXISTS in a rollback file")


_TXN_OK = {"TRANS_STMT_SAVEPOINT", "TRANS_STMT_RELEASE", "TRANS_STMT_ROLLBACK_TO"}


def transaction_control(lint: Linter, parsed: ParsedFile, stmt: Stmt, n: Any) -> None:
    if n.kind.name in _TXN_OK:
        return
    word = n.kind.name.removeprefix("TRANS_STMT_").replace("_", " ")
    lint.emit(parsed, "transaction-control", stmt, stmt.offset,
              f"top-level {word} ends or starts sqlmig's transaction; remove it")


# -- what a rollback must undo -------------------------------------------------------------


@dataclass(frozen=True)
class Created:
    """An object a migration creates, and what would drop it implicitly: its
    table (an index, column, constraint or trigger goes with DROP TABLE), the
    table columns it involves (an index or constraint goes with DROP COLUMN of
    any of them), and the objects it depends on (gone with their DROP ... CASCADE)."""

    kind: str
    name: str
    table: str | None = None
    columns: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()

    @property
    def schema(self) -> str:
        owner = self.table or self.name
        return owner.rsplit(".", 1)[0] if "." in owner else "public"

    @property
    def label(self) -> str:
        return f"{self.kind} {shown(self.name)}"


def constraint_created(table: str, c: Any) -> Created:
    columns = (*names(getattr(c, "keys", None)), *names(getattr(c, "fk_attrs", None)))
    pktable = getattr(c, "pktable", None)
    return Created("constraint", c.conname, table=table, columns=tuple(dict.fromkeys(columns)),
                   uses=(relname(pktable),) if pktable is not None else ())


_RELATIONS = {"OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE"}


@dataclass
class Drops:
    """What a rollback drops, and so what goes with it (PostgreSQL's dependency rules)."""

    relations: set[str] = field(default_factory=set)  # tables and views, with their indexes...
    columns: set[tuple[str, str]] = field(default_factory=set)  # with their indexes, constraints
    cascaded: set[str] = field(default_factory=set)  # DROP ... CASCADE: every dependent object
    schemas: set[str] = field(default_factory=set)  # DROP SCHEMA ... CASCADE: everything in it

    @classmethod
    def of(cls, down: ParsedFile) -> Drops:
        d = cls()
        for stmt in down.statements:
            n = stmt.node
            kind = type(n).__name__
            if kind == "DropStmt":
                cascade = n.behavior.name == "DROP_CASCADE"
                for obj in n.objects or ():
                    name = _dropped_name(obj)
                    if n.removeType.name in _RELATIONS:
                        d.relations.add(name)
                    if cascade:
                        d.cascaded.add(name)
                        if n.removeType.name == "OBJECT_SCHEMA":
                            d.schemas.add(name)
            elif kind == "AlterTableStmt":
                table = relname(n.relation)
                for cmd in n.cmds or ():
                    if cmd.subtype.name == "AT_DropColumn":
                        d.columns.add((table, cmd.name))
        return d

    def covers(self, obj: Created) -> bool:
        if obj.table is not None and (obj.table in self.relations or obj.table in self.cascaded):
            return True
        if obj.table is not None and any((obj.table, c) in self.columns for c in obj.columns):
            return True
        if any(u in self.cascaded for u in obj.uses) or obj.name in self.cascaded:
            return True
        return obj.kind not in ("schema", "extension") and obj.schema in self.schemas


def _dropped_name(obj: Any) -> str:
    """The relname-style key of a DROP's object: a String (schema, extension), a
    tuple of Strings (table, view, type), or an ObjectWithArgs (function)."""
    if hasattr(obj, "sval"):
        return str(obj.sval)
    if hasattr(obj, "objname"):
        return qualified(names(obj.objname))
    if hasattr(obj, "names"):  # a TypeName (DROP TYPE, DROP DOMAIN)
        return qualified([p for p in names(obj.names) if p != "pg_catalog"])
    return qualified(names(obj))
