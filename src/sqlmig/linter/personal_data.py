"""Classification in the migration files (rule ``unclassified-personal-data``).

The tags are those of :mod:`sqlmig.schema.classification` (``@pii KIND``,
``@pii none``, ``@contains-personal-data``...), parsed by its parser; what
differs from ``sqlmig docs --require-classification`` is where the comments
come from: not a database's catalog, but the project's migrations replayed
in version order, statement by statement, as a small model of the tables they
leave behind:

- CREATE TABLE with a column list adds a table and its columns (a partition,
  whose columns are its parent's, and tables made by CREATE TABLE AS, LIKE or
  a DO block are not modelled);
- ALTER TABLE ... ADD COLUMN / DROP COLUMN, RENAME [COLUMN] and DROP TABLE
  change the model, as they change the catalog (a renamed column keeps its
  comment);
- COMMENT ON TABLE / COLUMN replaces the object's comment (``IS NULL``
  removes it).

At the end, each column of a table whose comment says
``@contains-personal-data`` and whose own comment has no ``@pii`` is a
finding at that table comment, and so is each tag problem of a table or
column comment, at the comment.  A finding is reported when a linted file
wrote the table comment, added the column or wrote the column comment, so
that ``lint FILE`` and ``lint --changed`` report what those files caused.
Names are compared as the parser reads them, without a ``public.`` prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core import sqlnodes
from ..schema.classification import Classification, parse
from .analysis import ParsedFile, Stmt, shown

if TYPE_CHECKING:
    from ..core.files import Migration
    from .statements import Linter

RULE = "unclassified-personal-data"


@dataclass(frozen=True)
class _Place:
    """A statement of a migration file: where a column was added or a comment written."""

    parsed: ParsedFile
    stmt: Stmt

    @property
    def relpath(self) -> str:
        return self.parsed.file.relpath


@dataclass(frozen=True)
class _Comment:
    text: str
    place: _Place


@dataclass
class _Column:
    added: _Place
    comment: _Comment | None = None


@dataclass
class _Table:
    columns: dict[str, _Column] = field(default_factory=dict)
    comment: _Comment | None = None


def check(lint: Linter, migrations: list[Migration], targets: list[Migration],
          *, prefix: str = "") -> None:
    """Emit ``unclassified-personal-data`` for the tables ``migrations`` leave
    behind, where a file of ``targets`` is involved (``prefix``: how the
    findings' paths are shown, for the messages)."""
    if not targets or not lint.settings.enabled(RULE):
        return
    linted = {m.up.relpath for m in targets}
    tables = _replay(lint, migrations)
    for name in sorted(tables):
        _report(lint, name, tables[name], linted, prefix)


def _replay(lint: Linter, migrations: list[Migration]) -> dict[str, _Table]:
    """The tables the migrations leave, in version order, with their comments."""
    tables: dict[str, _Table] = {}
    for mig in sorted(migrations, key=lambda m: m.version):
        parsed = lint.parse(mig.up)
        for stmt in parsed.statements:
            if stmt.kind in sqlnodes.TABLE_MODEL_KINDS:  # any other changes no table
                _apply(tables, _Place(parsed, stmt))
    return tables


def _apply(tables: dict[str, _Table], place: _Place) -> None:
    node = place.stmt.node
    created = sqlnodes.table_columns(node)
    if created is not None:
        table, columns = created
        # On an existing table CREATE TABLE fails or (IF NOT EXISTS) does nothing.
        tables.setdefault(_norm(table), _Table({c: _Column(place) for c in columns}))
        return
    for action, table, column in sqlnodes.column_changes(node):
        model = tables.get(_norm(table))
        if model is None:
            continue
        if action == "add":
            model.columns.setdefault(column, _Column(place))  # IF NOT EXISTS keeps the old one
        else:
            model.columns.pop(column, None)
    for table in sqlnodes.dropped_tables(node):
        tables.pop(_norm(table), None)
    rename = sqlnodes.renamed(node)
    if rename is not None:
        _rename(tables, *rename)
    comment = sqlnodes.comment_on(node)
    if comment is not None:
        _comment(tables, *comment, place)


def _rename(tables: dict[str, _Table], table: str, column: str | None, new: str) -> None:
    """ALTER TABLE ... RENAME [COLUMN]: the comments go with the object."""
    model = tables.get(_norm(table))
    if model is None:
        return
    if column is None:
        schema = _norm(table).rpartition(".")[0]  # RENAME TO keeps the schema
        tables[f"{schema}.{new}" if schema else new] = tables.pop(_norm(table))
    elif column in model.columns:
        model.columns[new] = model.columns.pop(column)


def _comment(tables: dict[str, _Table], table: str, column: str | None, text: str | None,
             place: _Place) -> None:
    """COMMENT ON replaces the object's comment; ``IS NULL`` removes it."""
    model = tables.get(_norm(table))
    if model is None:
        return
    value = _Comment(text, place) if text is not None else None
    if column is None:
        model.comment = value
    elif column in model.columns:
        model.columns[column].comment = value


def _report(lint: Linter, name: str, table: _Table, linted: set[str], prefix: str) -> None:
    tags = _tags(table.comment, "table")
    if table.comment is not None and table.comment.place.relpath in linted:
        for problem in tags.problems:
            _emit(lint, table.comment.place, f"table {shown(name)}: {problem}")
    for column, col in table.columns.items():
        own = _tags(col.comment, "column")
        if col.comment is not None and col.comment.place.relpath in linted:
            for problem in own.problems:
                _emit(lint, col.comment.place, f"column {shown(name, column)}: {problem}")
        if not tags.personal_data or own.classified or table.comment is None:
            continue
        involved = {table.comment.place.relpath, col.added.relpath}
        if col.comment is not None:
            involved.add(col.comment.place.relpath)
        if not involved & linted:
            continue
        added = col.added
        line = added.parsed.location(added.stmt.offset)[0]
        _emit(lint, table.comment.place,
              f"column {shown(name, column)} (added at {prefix}{added.relpath}:{line}) is not "
              f"classified, and {shown(name)} is marked @contains-personal-data here: add "
              "`@pii KIND` or `@pii none` to its COMMENT ON COLUMN")


def _tags(comment: _Comment | None, on: str) -> Classification:
    return parse(comment.text if comment is not None else None, on=on)


def _emit(lint: Linter, place: _Place, message: str) -> None:
    lint.emit(place.parsed, RULE, place.stmt, place.stmt.offset, message)


def _norm(name: str) -> str:
    return name[len("public."):] if name.startswith("public.") else name
