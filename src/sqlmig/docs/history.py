"""Which migrations created and last changed each table or view.

Each applied migration's statements, as :mod:`sqlmig.core.sqltext` reads them
with PostgreSQL's grammar, say which relations they define or change
(:meth:`Statement.touches`): ``CREATE TABLE x``, ``ALTER TABLE x``, ``COMMENT
ON COLUMN x.c``, ``CREATE INDEX ... ON x``, ``CREATE TRIGGER ... ON x``,
``CREATE TABLE p PARTITION OF x``, ``GRANT ... ON x``, and the statements of
``DO`` bodies.  Merely mentioning a table (a foreign key's REFERENCES, a
SELECT, an INSERT of data) does not change its definition; function bodies
do not change the schema when the function is created.

Only migrations the ledger records as applied count: the live schema does
not reflect pending ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..core.files import Migration
from ..core.sqltext import analyse


@dataclass(frozen=True)
class Touch:
    version: int
    name: str  # the migration's name, e.g. 0001_core_schema
    action: str  # "create" or "change"


@dataclass(frozen=True)
class History:
    """The applied migrations that touched one relation, oldest first."""

    touches: tuple[Touch, ...]

    @property
    def created(self) -> Touch | None:
        """The migration of the last CREATE (a dropped and re-created relation
        was created by the later one)."""
        creates = [t for t in self.touches if t.action == "create"]
        return creates[-1] if creates else None

    @property
    def last_changed(self) -> Touch | None:
        return self.touches[-1] if self.touches else None


def scan(migrations: Iterable[Migration], applied: set[int]) -> dict[str, History]:
    """Histories keyed by relation name: ``schema.name`` when the file qualified
    it, the bare name otherwise (look up with :func:`lookup`)."""
    found: dict[str, list[Touch]] = {}
    for m in migrations:
        if m.version not in applied:
            continue
        name = m.up.path.stem
        seen: set[tuple[str, str]] = set()
        for action, target in _file_targets(m):
            if action == "drop":
                found.pop(target, None)
                continue
            if (target, action) in seen:
                continue
            seen.add((target, action))
            found.setdefault(target, []).append(Touch(m.version, name, action))
    return {k: History(tuple(_dedupe(v))) for k, v in found.items()}


def lookup(histories: dict[str, History], schema: str, name: str) -> History:
    """The history of ``schema.name``: touches under the qualified and, for
    tables in ``public``, the bare name, merged in order."""
    touches = list(histories.get(f"{schema}.{name}", History(())).touches)
    if schema == "public":
        touches += histories.get(name, History(())).touches
    touches.sort(key=lambda t: (t.version, t.action != "create"))
    return History(tuple(_dedupe(touches)))


def _dedupe(touches: list[Touch]) -> Iterator[Touch]:
    seen: set[tuple[int, str]] = set()
    for t in touches:
        if (t.version, t.action) not in seen:
            seen.add((t.version, t.action))
            yield t


def _file_targets(m: Migration) -> Iterator[tuple[str, str]]:
    for stmt in m.up.analysis.statements:
        yield from stmt.touches()


def targets(text: str) -> Iterator[tuple[str, str]]:
    """(action, relation) for every statement of a SQL text that targets a relation."""
    for stmt in analyse(text).statements:
        yield from stmt.touches()
