"""The trap of repeatable migrations: a versioned migration that uses an object
a repeatable defines (rule ``versioned-uses-repeatable``).

``apply`` runs the repeatables after every pending versioned migration.  On
a database that has them all to run (a fresh one: CI, a new environment, the
scratch database of ``sqlmig verify``), a versioned migration that reads a
repeatable's view or calls its function runs before the view or function
exists, and fails, though it worked where the repeatable had been applied
earlier.  A versioned migration that drops such an object leaves it dropped:
the repeatable runs again only when its own file changes.

The objects a repeatable defines are the relations it creates
(:func:`sqlmig.core.sqlnodes.touches`: tables, views, materialized views)
and the functions and procedures it creates.  A versioned migration uses one
when a statement reads, changes or drops the relation (every relation named
in it, and sqlnodes' ``change``/``drop`` actions) or calls the function, and
no versioned migration up to and including it creates an object of that
name.  Names are compared as the parser reads them, without a ``public.``
prefix; objects reached only through dynamic SQL (EXECUTE of a string) are
not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .analysis import ParsedFile, names, parse_file, qualified, relname, shown

if TYPE_CHECKING:
    from ..core.files import Migration, SqlFile
    from ..core.repeatable import Repeatable
    from .statements import Linter

RULE = "versioned-uses-repeatable"


def _norm(name: str) -> str:
    return name[len("public."):] if name.startswith("public.") else name


# The only statement kinds _created yields a name for (sqlnodes.touches' "create"
# actions, also in a DO body, and CREATE FUNCTION / PROCEDURE).
_CREATING = frozenset({"CreateStmt", "CreateTableAsStmt", "ViewStmt", "DoStmt",
                       "CreateFunctionStmt"})


def _created(node: Any, touched: list[tuple[str, str]] | None = None) -> Iterator[str]:
    """``touched``: ``sqlnodes.touches(node)``, when the caller has it."""
    from ..core import sqlnodes

    for action, relation in sqlnodes.touches(node) if touched is None else touched:
        if action == "create":
            yield _norm(relation)
    kind = type(node).__name__
    if kind == "CreateFunctionStmt":
        yield _norm(qualified(names(node.funcname)))


def _used(node: Any) -> Iterator[tuple[str, str]]:
    """(how, name): "drop" or "use" of every relation and function the statement names."""
    from ..core import sqlnodes

    touched = sqlnodes.touches(node)
    created = set(_created(node, touched))
    for action, relation in touched:
        if action == "drop":
            yield "drop", _norm(relation)
        elif action == "change":
            yield "use", _norm(relation)
    # One walk for both: the relations read (relations_in's) and the functions called.
    relations: list[str] = []
    calls: list[str] = []
    for found in sqlnodes.walk(node, _USES):
        if type(found).__name__ == "RangeVar":
            relations.append(relname(found))
        else:
            calls.append(_norm(qualified(names(found.funcname))))
    for relation in dict.fromkeys(relations):
        if _norm(relation) not in created:
            yield "use", _norm(relation)
    if type(node).__name__ == "DropStmt" and node.removeType.name in (
            "OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE"):
        for obj in node.objects or ():
            yield "drop", _norm(qualified(names(getattr(obj, "objname", None))))
    yield from (("use", c) for c in calls if c not in created)


_USES = frozenset({"RangeVar", "FuncCall"})


def defined_by(repeatables: list[Repeatable],
               parse: Callable[[SqlFile], ParsedFile] = parse_file) -> dict[str, str]:
    """Object name -> the relpath of the (first) repeatable that creates it."""
    found: dict[str, str] = {}
    for rep in repeatables:
        for stmt in parse(rep.file).statements:
            if stmt.kind not in _CREATING:
                continue
            for name in _created(stmt.node):
                found.setdefault(name, rep.file.relpath)
    return found


def check(lint: Linter, everything: list[Migration], targets: list[Migration],
          repeatables: list[Repeatable]) -> None:
    """Emit ``versioned-uses-repeatable`` for each statement of a linted versioned
    migration that uses an object only a repeatable defines."""
    if not repeatables or not lint.settings.enabled(RULE):
        return
    defined = defined_by(repeatables, lint.parse)
    if not defined:
        return
    wanted = {id(m) for m in targets}
    versioned: set[str] = set()  # created by the migrations so far, in version order
    ordered = sorted({id(m): m for m in [*everything, *targets]}.values(),
                     key=lambda m: m.version)
    for mig in ordered:
        parsed = lint.parse(mig.up)
        for stmt in parsed.statements:
            if stmt.kind in _CREATING:
                versioned.update(_created(stmt.node))
        if id(mig) in wanted:
            _report(lint, parsed, defined, versioned)


def _report(lint: Linter, parsed: ParsedFile, defined: dict[str, str],
            versioned: set[str]) -> None:
    for stmt in parsed.statements:
        seen: set[str] = set()
        for how, name in _used(stmt.node):
            where = defined.get(name)
            if where is None or name in versioned or name in seen:
                continue
            seen.add(name)
            if how == "drop":
                message = (f"drops {shown(name)}, which {where} defines: a repeatable runs "
                           "again only when its file changes, so it stays dropped after this "
                           f"migration. Change {where} in the same commit (apply then "
                           "re-creates it), or re-create it here")
            else:
                message = (f"uses {shown(name)}, which only {where} defines: repeatables run "
                           "after every versioned migration, so on a fresh database (CI, a new "
                           "environment, `sqlmig verify`) this migration runs before it exists "
                           "and fails. Create it in a versioned migration, or move this "
                           "statement into the repeatable")
            lint.emit(parsed, RULE, stmt, stmt.offset, message)
