"""Statement rules: what each parsed statement of a migration or rollback risks.

A :class:`Linter` walks migrations in version order and keeps a small model
of the schema they build (tables, columns, indexes), so that design rules
(a foreign key without index, a table without primary key) see indexes
created in earlier files.  Locking rules only apply to *existing* tables:
tables not created earlier in the same migration, or in the same run of
pending migrations when linting a run.
"""

from __future__ import annotations

import dataclasses

import re
from dataclasses import dataclass, field
from typing import Any

from ..core import sqlnodes
from ..core.files import Migration, SqlFile
from . import analysis
from .analysis import ParsedFile, Stmt, names, qualified, relations_in, relname, shown, type_name
from .catalog import Catalog, binary_coercible, human_bytes
from .rollbacks import (ROLLBACK_KINDS, Created, RollbackStatement, constraint_created,
                        transaction_control)
from .report import Finding
from .rules import ERROR, NOTE, RULES
from .settings import LintSettings

# Locking rules whose severity follows the table's real size with --env.
SIZE_AWARE = {
    "create-index-not-concurrently", "constraint-without-not-valid", "alter-column-type",
    "set-not-null", "volatile-default", "add-not-null-column-without-default",
}
REWRITES = {"alter-column-type", "volatile-default"}
VOLATILE = {
    "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
    "uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval", "txid_current",
    "statement_timestamp", "random_normal",
}
SERIALS = {"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"}
SMALL_INTS = {"int4", "int2", "serial", "serial4", "smallserial", "serial2"}
BACKUP_SCHEMA = "sqlmig_backup"
_BACKUP = re.compile(
    r"create\s+table\s+(?:if\s+not\s+exists\s+)?\"?sqlmig_backup\"?\.\"?\w+\"?\s+as\s+"
    r"select\s+(?P<cols>.*?)\s+from\s+(?P<table>(?:\"?\w+\"?\.)?\"?\w+\"?)",
    re.IGNORECASE | re.DOTALL,
)


@dataclass
class TableModel:
    columns: set[str] = field(default_factory=set)
    indexes: list[tuple[str, ...]] = field(default_factory=list)  # leading columns
    has_pk: bool = False


@dataclass
class MigrationState:
    """What one migration (up file) has done so far."""

    parsed: ParsedFile
    new_tables: set[str]  # this migration, plus earlier ones of the run
    created: list[Created] = field(default_factory=list)  # what the rollback must undo
    emptied: set[str] = field(default_factory=set)  # tables emptied by DELETE/TRUNCATE so far
    new_columns: set[tuple[str, str]] = field(default_factory=set)
    doc_needed: list[tuple[str, str | None, Stmt, int]] = field(default_factory=list)
    commented: set[tuple[str, str | None]] = field(default_factory=set)
    foreign_keys: list[tuple[str, tuple[str, ...], Stmt, int]] = field(default_factory=list)
    pk_needed: list[tuple[str, Stmt, int]] = field(default_factory=list)
    notnull_checks: dict[tuple[str, str], tuple[str, bool]] = field(default_factory=dict)
    backups: dict[str, set[str]] = field(default_factory=dict)  # table -> columns ("*" = all)
    lock_timeout: bool = False
    lock_timeout_reported: bool = False


class Linter:
    """Lints files in version order; collects findings."""

    def __init__(self, settings: LintSettings, catalog: Catalog | None = None,
                 env_lock_timeout: bool = False, env: str | None = None) -> None:
        self.settings = settings
        self.catalog = catalog
        self.env = env
        self.env_lock_timeout = env_lock_timeout
        self.tables: dict[str, TableModel] = {}
        self.index_table: dict[str, str] = {}
        self.findings: list[Finding] = []
        self.suppressed: list[Finding] = []
        # keep: the run has passes after the statement rules (repeatables, personal
        # data): each file's parse is kept, without its trees, for them (see parse).
        self.keep = False
        self._kept: dict[int, tuple[SqlFile, ParsedFile]] = {}
        if catalog is not None:
            for name, cols in catalog.columns.items():
                self.tables[name] = TableModel(columns=set(cols), indexes=list(
                    catalog.indexes.get(name, [])), has_pk=True)

    # -- entry points --------------------------------------------------------------------

    def migration(self, mig: Migration, run_new: set[str], *, report: bool = True) -> MigrationState:
        """Lint (or, with ``report=False``, only learn from) one migration.  Tables it
        creates are added to ``run_new``."""
        parsed = self.parse(mig.up)
        state = MigrationState(parsed=parsed, new_tables=run_new)
        state.lock_timeout = self.env_lock_timeout
        if "sqlmig_backup" in mig.up.text:
            state.backups = _backups(mig.up.text)
        saved = self.findings, self.suppressed
        if not report:
            self.findings, self.suppressed = [], []
        try:
            self._file_level(parsed)
            for stmt in parsed.statements:
                if stmt.kind in _UP_KINDS or stmt.kind in sqlnodes.SERVER_WIDE_NODE_KINDS:
                    # Any other statement (INSERT, SELECT...) has no rule: no tree needed.
                    _Up(self, parsed, state, stmt).run()
            self._end_of_migration(parsed, state)
        finally:
            if not report:
                self.findings, self.suppressed = saved
        return state

    def parse(self, file: SqlFile) -> ParsedFile:
        """The file's statements, each parsed once per run: a file seen before in
        this run (with :attr:`keep`) gets its trees again from the kept JSON."""
        kept = self._kept.get(id(file))
        if kept is not None and kept[0] is file:
            return analysis.reparse(kept[1])
        parsed = analysis.parse_file(file)
        if self.keep:
            self._kept[id(file)] = (file, analysis.light(parsed))
        return parsed

    def rollback_file(self, file: SqlFile) -> ParsedFile:
        parsed = self.parse(file)
        self._file_level(parsed)
        for stmt in parsed.statements:
            if stmt.kind not in ROLLBACK_KINDS and stmt.kind not in sqlnodes.SERVER_WIDE_NODE_KINDS:
                continue  # no rule for it: no tree needed
            node = stmt.node
            RollbackStatement(self, parsed, stmt, node).run()
            server_wide(self, parsed, stmt, node)
        return parsed

    # -- findings ------------------------------------------------------------------------

    def emit(self, parsed: ParsedFile, rule: str, stmt: Stmt | None, offset: int, message: str,
             table: str | None = None, severity: str | None = None) -> None:
        if not self.settings.enabled(rule):
            return
        if severity is None:
            severity = self.settings.severity(rule)
        if table is not None and rule in SIZE_AWARE and self.catalog is not None:
            stats = self.catalog.stats.get(table)
            if stats is not None:
                if stats.empty:
                    severity = NOTE
                    message += f" (the table is empty in {self.env})"
                else:
                    size = f"~{max(stats.rows, 0):,} rows, {human_bytes(stats.total_bytes)}"
                    if stats.rows >= self.settings.large_table_rows:
                        severity = ERROR
                    if rule in REWRITES:
                        seconds = stats.total_bytes / (self.settings.rewrite_mb_per_second * 1e6)
                        size += f", estimated rewrite {seconds:.0f} s"
                    message += f" ({size} in {self.env})"
        line, column = parsed.location(offset)
        finding = Finding(rule, severity, message, parsed.file.relpath, line, column,
                          RULES[rule].explanation, table=table)
        allow = analysis.suppression_for(parsed, rule, stmt.line if stmt else line)
        if allow is not None:
            self.suppressed.append(_with_reason(finding, allow.reason))
        else:
            self.findings.append(finding)

    def _file_level(self, parsed: ParsedFile) -> None:
        if not parsed.statements and not parsed.syntax and not parsed.meta_commands:
            self.emit(parsed, "empty-file", None, 0,
                      "no statement in this file (empty or comments only): it runs as a no-op")
        for offset, word in parsed.meta_commands:
            self.emit(parsed, "psql-meta-command", None, offset,
                      f"psql meta-command {word} cannot run through a driver")
        for problem in parsed.syntax:
            self.emit(parsed, "syntax-error", None, problem.offset,
                      f"PostgreSQL's parser rejects this statement: {problem.message}")
        for allow in parsed.allows:
            if allow.rule not in RULES:
                self.emit(parsed, "invalid-suppression", None, _line_offset(parsed, allow.line),
                          f"`sqlmig: allow {allow.rule}`: unknown rule id `{allow.rule}`")
            elif not allow.reason:
                self.emit(parsed, "invalid-suppression", None, _line_offset(parsed, allow.line),
                          f"`sqlmig: allow {allow.rule}` needs a reason, e.g. "
                          f"`-- sqlmig: allow {allow.rule} the table is empty in every environment`")

    def _end_of_migration(self, parsed: ParsedFile, state: MigrationState) -> None:
        for table, column, stmt, offset in state.doc_needed:
            if (table, column) not in state.commented:
                what = f"column {shown(table, column)}" if column else f"table {shown(table)}"
                self.emit(parsed, "missing-comment", stmt, offset,
                          f"new {what} has no COMMENT ON in this migration")
        for table, stmt, offset in state.pk_needed:
            model = self.tables.get(table)
            if model is not None and not model.has_pk:
                self.emit(parsed, "missing-primary-key", stmt, offset,
                          f"table {shown(table)} has no primary key")
        for table, cols, stmt, offset in state.foreign_keys:
            model = self.tables.get(table)
            if model is None:
                continue
            if not any(idx[: len(cols)] == cols for idx in model.indexes):
                self.emit(parsed, "foreign-key-without-index", stmt, offset,
                          f"foreign key {shown(table)} ({', '.join(cols)}) has no index with these "
                          "leading columns")

    def table(self, name: str) -> TableModel:
        return self.tables.setdefault(name, TableModel())


def _with_reason(f: Finding, reason: str) -> Finding:
    return dataclasses.replace(f, suppressed=reason)


def _line_offset(parsed: ParsedFile, line: int) -> int:
    text = parsed.file.text
    pos = 0
    for _ in range(line - 1):
        pos = text.find("\n", pos) + 1
    return pos


def _backups(text: str) -> dict[str, set[str]]:
    """Tables and columns copied into sqlmig_backup (the data-preserving
    rollback convention), also inside DO blocks."""
    found: dict[str, set[str]] = {}
    for m in _BACKUP.finditer(text):
        table = m.group("table").replace('"', "").lower()
        if table.startswith("public."):
            table = table[7:]
        cols = {c.strip().replace('"', "").split(".")[-1].lower() for c in m.group("cols").split(",")}
        found.setdefault(table, set()).update(cols)
    return found


class _Up:
    """The rules for one statement of a migration (up) file."""

    def __init__(self, lint: Linter, parsed: ParsedFile, state: MigrationState, stmt: Stmt) -> None:
        self.lint, self.parsed, self.state, self.stmt = lint, parsed, state, stmt
        self.node = stmt.node

    def emit(self, rule: str, message: str, node: Any = None, table: str | None = None) -> None:
        offset = self.stmt.at(node) if node is not None else self.stmt.offset
        self.lint.emit(self.parsed, rule, self.stmt, offset, message,
                       table if table is not None else self.target())

    def target(self) -> str | None:
        """The table the statement works on, when it names one: what a finding
        is about (and whose size a reviewer sees)."""
        n = self.node
        relation = getattr(n, "relation", None)
        if relation is not None and type(relation).__name__ == "RangeVar":
            return relname(relation)
        kind = type(n).__name__
        if kind == "TruncateStmt" and n.relations:
            return relname(n.relations[0])
        if kind == "VacuumStmt" and n.rels:
            rel = getattr(n.rels[0], "relation", None)
            return relname(rel) if rel is not None else None
        if kind == "DropStmt" and n.removeType.name == "OBJECT_TABLE" and n.objects:
            return qualified(names(n.objects[0]))
        return None

    def existing(self, table: str) -> bool:
        return table not in self.state.new_tables and not table.startswith(BACKUP_SCHEMA + ".")

    def run(self) -> None:
        handler = getattr(self, "on_" + type(self.node).__name__, None)
        if handler is not None:
            handler(self.node)
        server_wide(self.lint, self.parsed, self.stmt, self.node)

    # -- creating --------------------------------------------------------------------------

    def on_CreateStmt(self, n: Any) -> None:
        table = relname(n.relation)
        temp = n.relation.relpersistence == "t"
        if not n.if_not_exists:
            self.emit("create-without-if-not-exists", f"CREATE TABLE {shown(table)} without "
                                                      "IF NOT EXISTS")
        parents = [relname(r) for r in n.inhRelations or ()]
        self.state.new_tables.add(table)
        if n.partbound is None or not all(p in self.state.new_tables for p in parents):
            # A partition of a table created here goes with its parent's DROP.
            self.state.created.append(Created(
                "table", table, table=parents[0] if n.partbound is not None and parents else None,
                uses=tuple(parents)))
        model = self.lint.tables[table] = TableModel()
        if temp:
            return
        if n.partbound is None and n.ofTypename is None and not table.startswith(BACKUP_SCHEMA):
            self.state.pk_needed.append((table, self.stmt, self.stmt.offset))
            self.state.doc_needed.append((table, None, self.stmt, self.stmt.offset))
        for elt in n.tableElts or ():
            kind = type(elt).__name__
            if kind == "ColumnDef":
                self.column(table, elt, model, new_table=True)
            elif kind == "Constraint":
                self.constraint(table, elt, model, new_table=True)

    def column(self, table: str, col: Any, model: TableModel, new_table: bool) -> None:
        name = col.colname
        model.columns.add(name)
        self.state.new_columns.add((table, name))
        if not table.startswith(BACKUP_SCHEMA):
            self.state.doc_needed.append((table, name, self.stmt, self.stmt.at(col)))
        tname, has_mod = type_name(col.typeName)
        if tname == "timestamp":
            self.emit("timestamp-without-time-zone",
                      f"column {shown(table, name)} is timestamp without time zone; use "
                      "timestamptz", col)
        elif tname == "bpchar":
            self.emit("char-type", f"column {shown(table, name)} is char(n); use text", col)
        elif tname == "varchar" and has_mod:
            self.emit("varchar-length",
                      f"column {shown(table, name)} is varchar(n); use text with a CHECK on "
                      "its length",
                      col)
        cons = list(col.constraints or ())
        kinds = {c.contype.name for c in cons}
        if "CONSTR_PRIMARY" in kinds:
            model.has_pk = True
            model.indexes.append((name,))
            if tname in SMALL_INTS or tname in SERIALS:
                self.emit("int-primary-key",
                          f"primary key {shown(table, name)} is {tname}; use bigint GENERATED "
                          "ALWAYS AS "
                          "IDENTITY", col)
        if "CONSTR_UNIQUE" in kinds:
            model.indexes.append((name,))
        for c in cons:
            if c.contype.name == "CONSTR_FOREIGN":
                self.state.foreign_keys.append((table, (name,), self.stmt, self.stmt.at(c)))
        if new_table:
            return
        default = next((c for c in cons if c.contype.name == "CONSTR_DEFAULT"), None)
        volatile = tname in SERIALS or kinds & {"CONSTR_IDENTITY"} or any(
            c.contype.name == "CONSTR_GENERATED" for c in cons
        ) or (default is not None and _volatile(default.raw_expr))
        if volatile:
            self.emit("volatile-default",
                      f"column {shown(table, name)} is added with a volatile default or as a "
                      "generated/identity column: the table is rewritten", col, table)
        not_null = col.is_not_null or "CONSTR_NOTNULL" in kinds or "CONSTR_PRIMARY" in kinds
        # A table emptied earlier in this migration has no row to fail on.
        if not_null and default is None and not volatile and table not in self.state.emptied:
            self.emit("add-not-null-column-without-default",
                      f"column {shown(table, name)} is added NOT NULL without a default: "
                      "fails on a "
                      "table with rows", col, table)

    def constraint(self, table: str, c: Any, model: TableModel, new_table: bool) -> None:
        kind = c.contype.name
        keys = tuple(names(getattr(c, "keys", None)))
        if kind == "CONSTR_PRIMARY":
            model.has_pk = True
            if keys:
                model.indexes.append(keys)
        elif kind in ("CONSTR_UNIQUE", "CONSTR_EXCLUSION") and keys:
            model.indexes.append(keys)
        elif kind == "CONSTR_FOREIGN":
            cols = tuple(names(c.fk_attrs))
            self.state.foreign_keys.append((table, cols, self.stmt, self.stmt.at(c)))
        if new_table:
            return
        if kind in ("CONSTR_FOREIGN", "CONSTR_CHECK") and not c.skip_validation:
            what = "FOREIGN KEY" if kind == "CONSTR_FOREIGN" else "CHECK"
            named = shown(c.conname) if c.conname else ""
            self.emit("constraint-without-not-valid",
                      f"{what} {named} added to {shown(table)} without NOT VALID: scans the "
                      "table under a write-blocking lock".replace("  ", " "), c, table)
        if kind == "CONSTR_CHECK" and type(c.raw_expr).__name__ == "NullTest":
            expr = c.raw_expr
            if expr.nulltesttype.name == "IS_NOT_NULL" and type(expr.arg).__name__ == "ColumnRef":
                col = names(expr.arg.fields)[-1:]
                if col and c.conname:
                    self.state.notnull_checks[(table, c.conname)] = (col[0], not c.skip_validation)

    def on_IndexStmt(self, n: Any) -> None:
        table = relname(n.relation)
        name = shown(n.idxname) if n.idxname else "(unnamed)"
        if n.concurrent and self.parsed.file.transactional:
            self.emit("concurrently-in-transaction",
                      f"CREATE INDEX CONCURRENTLY {name} cannot run inside a transaction: add "
                      "`-- sqlmig: no-transaction` to the file header")
        if not n.concurrent and self.existing(table):
            self.emit("create-index-not-concurrently",
                      f"CREATE INDEX {name} on existing table {shown(table)} without "
                      "CONCURRENTLY blocks "
                      "writes while it builds", table=table)
        if not n.if_not_exists:
            self.emit("create-without-if-not-exists", f"CREATE INDEX {name} without IF NOT EXISTS")
        cols = []
        for param in n.indexParams or ():
            if param.name is None:
                break
            cols.append(param.name)
        self.lint.table(table).indexes.append(tuple(cols))
        if n.idxname:
            self.lint.index_table[n.idxname] = table
            if self.existing(table):
                self.state.created.append(Created("index", n.idxname, table=table,
                                                  columns=tuple(cols)))

    def on_CreateTableAsStmt(self, n: Any) -> None:
        table = relname(n.into.rel)
        is_table = n.objtype.name == "OBJECT_TABLE"
        if is_table and not n.if_not_exists and not table.startswith(BACKUP_SCHEMA):
            self.emit("create-without-if-not-exists", f"CREATE TABLE {shown(table)} AS "
                                                      "without IF NOT EXISTS")
        self.state.new_tables.add(table)
        self.lint.tables[table] = TableModel(columns=set(names(n.into.colNames)))
        if not table.startswith(BACKUP_SCHEMA):
            self.state.created.append(Created("table" if is_table else "materialized view",
                                              table, uses=relations_in(n.query)))

    def on_CreateSchemaStmt(self, n: Any) -> None:
        if not n.if_not_exists:
            self.emit("create-without-if-not-exists",
                      f"CREATE SCHEMA {shown(n.schemaname)} without IF NOT EXISTS")
        if n.schemaname and n.schemaname != BACKUP_SCHEMA:
            self.state.created.append(Created("schema", n.schemaname))

    def on_CreateExtensionStmt(self, n: Any) -> None:
        if not n.if_not_exists:
            self.emit("create-without-if-not-exists",
                      f"CREATE EXTENSION {shown(n.extname)} without IF NOT EXISTS")
        self.state.created.append(Created("extension", n.extname))

    def on_ViewStmt(self, n: Any) -> None:
        self.state.created.append(Created("view", relname(n.view), uses=relations_in(n.query)))

    def on_CreateFunctionStmt(self, n: Any) -> None:
        kind = "procedure" if n.is_procedure else "function"
        self.state.created.append(Created(kind, qualified(names(n.funcname))))

    def on_CreateEnumStmt(self, n: Any) -> None:
        self.state.created.append(Created("type", qualified(names(n.typeName))))

    def on_CompositeTypeStmt(self, n: Any) -> None:
        self.state.created.append(Created("type", relname(n.typevar)))

    def on_CreateDomainStmt(self, n: Any) -> None:
        self.state.created.append(Created("domain", qualified(names(n.domainname))))

    def on_CreateSeqStmt(self, n: Any) -> None:
        self.state.created.append(Created("sequence", relname(n.sequence)))

    def on_CreateTrigStmt(self, n: Any) -> None:
        table = relname(n.relation)
        if self.existing(table):
            self.state.created.append(Created("trigger", n.trigname, table=table,
                                              uses=(qualified(names(n.funcname)),)))

    def on_CommentStmt(self, n: Any) -> None:
        parts = names(n.object) if isinstance(n.object, tuple) else []
        kind = n.objtype.name
        if kind in ("OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE") and parts:
            self.state.commented.add((qualified(parts), None))
        elif kind == "OBJECT_COLUMN" and len(parts) >= 2:
            self.state.commented.add((qualified(parts[:-1]), parts[-1]))

    # -- changing --------------------------------------------------------------------------

    def on_VariableSetStmt(self, n: Any) -> None:
        if n.name == "lock_timeout" and n.kind.name == "VAR_SET_VALUE":
            value = getattr(getattr(n.args[0], "val", None), "sval", None) if n.args else None
            ival = getattr(getattr(n.args[0], "val", None), "ival", None) if n.args else None
            self.state.lock_timeout = not (value in ("0", "0s", "0ms") or ival == 0)

    def on_AlterTableStmt(self, n: Any) -> None:
        if n.objtype.name != "OBJECT_TABLE":
            return
        table = relname(n.relation)
        existing = self.existing(table)
        model = self.lint.table(table)
        if existing and not self.state.lock_timeout and not self.state.lock_timeout_reported:
            self.state.lock_timeout_reported = True
            self.emit("missing-lock-timeout",
                      f"ALTER TABLE {shown(table)} without a lock_timeout: set `SET LOCAL "
                      "lock_timeout = "
                      "'5s';` before it, or `lock_timeout:` in the environment config")
        for cmd in n.cmds or ():
            sub = cmd.subtype.name
            if sub == "AT_AddColumn":
                self.column(table, cmd.def_, model, new_table=not existing)
                if existing:
                    col = cmd.def_
                    self.state.created.append(Created(
                        "column", col.colname, table=table, columns=(col.colname,),
                        uses=(qualified([p for p in names(col.typeName.names)
                                         if p != "pg_catalog"]),)))
            elif sub == "AT_AddConstraint":
                self.constraint(table, cmd.def_, model, new_table=not existing)
                if existing and cmd.def_.conname:
                    self.state.created.append(constraint_created(table, cmd.def_))
            elif sub == "AT_ValidateConstraint":
                key = (table, cmd.name)
                if key in self.state.notnull_checks:
                    self.state.notnull_checks[key] = (self.state.notnull_checks[key][0], True)
            elif not existing:
                continue
            elif sub == "AT_SetNotNull":
                self.set_not_null(table, cmd)
            elif sub == "AT_AlterColumnType":
                self.alter_type(table, cmd)
            elif sub == "AT_DropColumn":
                backed = self.state.backups.get(table, set())
                if cmd.name.lower() in backed or "*" in backed:
                    self.note_preserved("drop-column", f"DROP COLUMN {shown(table, cmd.name)}")
                else:
                    self.emit("drop-column", f"DROP COLUMN {shown(table, cmd.name)} destroys "
                                             "its data "
                              "and breaks code that still reads it")
            elif sub == "AT_DetachPartition" and getattr(cmd.def_, "concurrent", False):
                if self.parsed.file.transactional:
                    self.emit("concurrently-in-transaction",
                              "DETACH PARTITION CONCURRENTLY cannot run inside a transaction: add "
                              "`-- sqlmig: no-transaction`")

    def set_not_null(self, table: str, cmd: Any) -> None:
        if (table, cmd.name) in self.state.new_columns:
            return
        if any(t == table and col == cmd.name and ok
               for (t, _), (col, ok) in self.state.notnull_checks.items()):
            return
        self.emit("set-not-null",
                  f"SET NOT NULL on {shown(table, cmd.name)} scans the table under an ACCESS "
                  "EXCLUSIVE "
                  "lock; add and validate CHECK (... IS NOT NULL) NOT VALID first", table=table)

    def alter_type(self, table: str, cmd: Any) -> None:
        if (table, cmd.name) in self.state.new_columns:
            return
        new_type, has_mod = type_name(cmd.def_.typeName)
        old = self.lint.catalog.column_types.get((table, cmd.name)) if self.lint.catalog else None
        if old is not None and binary_coercible(old, new_type, _typmods(cmd.def_.typeName)):
            self.lint.emit(self.parsed, "alter-column-type", self.stmt, self.stmt.offset,
                           f"ALTER COLUMN {shown(table, cmd.name)} TYPE {new_type}: "
                           "binary-coercible "
                           f"from {old}, no rewrite", severity=NOTE)
            return
        self.emit("alter-column-type",
                  f"ALTER COLUMN {shown(table, cmd.name)} TYPE {new_type} rewrites the table "
                  "and its "
                  "indexes under an ACCESS EXCLUSIVE lock", table=table)

    def note_preserved(self, rule: str, what: str) -> None:
        self.lint.emit(self.parsed, rule, self.stmt, self.stmt.offset,
                       f"{what}: the data is preserved in {BACKUP_SCHEMA} (data-preserving "
                       "rollback convention)", severity=NOTE)

    def on_DropStmt(self, n: Any) -> None:
        kind = n.removeType.name
        if kind == "OBJECT_INDEX":
            if n.concurrent and self.parsed.file.transactional:
                self.emit("concurrently-in-transaction",
                          "DROP INDEX CONCURRENTLY cannot run inside a transaction: add "
                          "`-- sqlmig: no-transaction`")
            if not n.concurrent:
                for obj in n.objects:
                    index = qualified(names(obj))
                    if self.existing(self.lint.index_table.get(index, index)):
                        self.emit("drop-index-not-concurrently",
                                  f"DROP INDEX {shown(index)} without CONCURRENTLY takes an ACCESS "
                                  "EXCLUSIVE lock on its table")
        elif kind == "OBJECT_TABLE":
            for obj in n.objects:
                table = qualified(names(obj))
                if not self.existing(table):
                    continue
                backed = self.state.backups.get(table, set())
                model = self.lint.tables.get(table)
                if "*" in backed or (model and model.columns and model.columns <= backed):
                    self.note_preserved("drop-table", f"DROP TABLE {shown(table)}")
                else:
                    self.emit("drop-table", f"DROP TABLE {shown(table)} destroys its data")
        elif kind == "OBJECT_SCHEMA" and n.behavior.name == "DROP_CASCADE":
            schemas = ", ".join(shown(s) for s in names(n.objects))
            self.emit("drop-schema-cascade", f"DROP SCHEMA {schemas} CASCADE drops everything in it")

    def on_RenameStmt(self, n: Any) -> None:
        if n.relation is None:
            return
        table = relname(n.relation)
        if not self.existing(table):
            return
        if n.renameType.name == "OBJECT_TABLE":
            self.emit("rename-table", f"renaming table {shown(table)} to {shown(n.newname)} "
                                      "breaks the running "
                      "application")
        elif n.renameType.name == "OBJECT_COLUMN":
            self.emit("rename-column", f"renaming column {shown(table, n.subname)} to "
                                       f"{shown(n.newname)} breaks "
                      "the running application")

    def on_TruncateStmt(self, n: Any) -> None:
        for rel in n.relations:
            table = relname(rel)
            self.state.emptied.add(table)
            if not self.existing(table):
                continue
            if "*" in self.state.backups.get(table, set()):
                self.note_preserved("truncate", f"TRUNCATE {shown(table)}")
            else:
                self.emit("truncate", f"TRUNCATE {shown(table)} deletes every row")

    def on_DeleteStmt(self, n: Any) -> None:
        table = relname(n.relation)
        if n.whereClause is None and n.usingClause is None:
            self.state.emptied.add(table)
        if n.whereClause is None and self.existing(table):
            self.emit("delete-without-where", f"DELETE FROM {shown(table)} without WHERE "
                                              "deletes every row")

    def on_UpdateStmt(self, n: Any) -> None:
        table = relname(n.relation)
        if n.whereClause is None and self.existing(table):
            self.emit("update-without-where", f"UPDATE {shown(table)} without WHERE rewrites "
                                              "every row")

    def on_VacuumStmt(self, n: Any) -> None:
        if n.is_vacuumcmd and any(o.defname == "full" for o in n.options or ()):
            self.emit("vacuum-full", "VACUUM FULL rewrites tables under an ACCESS EXCLUSIVE lock")

    def on_ClusterStmt(self, n: Any) -> None:
        self.emit("cluster", "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock")

    def on_ReindexStmt(self, n: Any) -> None:
        if any(p.defname == "concurrently" for p in n.params or ()) and self.parsed.file.transactional:
            self.emit("concurrently-in-transaction",
                      "REINDEX CONCURRENTLY cannot run inside a transaction: add "
                      "`-- sqlmig: no-transaction`")

    def on_TransactionStmt(self, n: Any) -> None:
        transaction_control(self.lint, self.parsed, self.stmt, n)


# The statement kinds _Up has a rule for (on_<Kind>).
_UP_KINDS = frozenset(name[3:] for name in vars(_Up) if name.startswith("on_"))


def _typmods(type_node: Any) -> list[int]:
    out = []
    for mod in getattr(type_node, "typmods", None) or ():
        val = getattr(getattr(mod, "val", None), "ival", None)
        if isinstance(val, int):
            out.append(val)
    return out


_FUNC_CALL = frozenset({"FuncCall"})


def _volatile(expr: Any) -> bool:
    """Does a default expression call a volatile function (anywhere in it)?"""
    for node in sqlnodes.walk(expr, _FUNC_CALL):
        called = names(node.funcname)
        if called and called[-1].lower() in VOLATILE:
            return True
    return False


def server_wide(lint: Linter, parsed: ParsedFile, stmt: Stmt, node: Any = None) -> None:
    """server-wide-statement: the decision is sqlnodes.server_wide's, shared
    with the same-server refusal of verify and drift (``node``: ``stmt.node``
    when the caller has it already)."""
    kind = sqlnodes.server_wide(stmt.node if node is None else node)
    if kind is not None:
        lint.emit(parsed, "server-wide-statement", stmt, stmt.offset,
                  f"{kind} changes the whole server, not only this database: verify and drift "
                  "refuse to replay it on the target's own server (`scratch: same-server`)")
