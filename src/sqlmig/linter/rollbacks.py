"""The rules for rollback files, and transaction control (shared with
migrations): a rollback often runs after a failed or partial migration, so
its DROPs must tolerate missing objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .analysis import ParsedFile, Stmt

if TYPE_CHECKING:
    from .statements import Linter


class RollbackStatement:
    """The rules for one statement of a rollback file."""

    def __init__(self, lint: Linter, parsed: ParsedFile, stmt: Stmt) -> None:
        self.lint, self.parsed, self.stmt = lint, parsed, stmt

    def run(self) -> None:
        n = self.stmt.node
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
