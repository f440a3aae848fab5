"""Repeatable migrations: ``sql/repeatable/NAME.sql``, re-applied whenever they change.

A repeatable holds what is defined as a whole rather than changed step by
step (views, functions, grants, reference data).  ``apply`` runs it after
the versioned migrations, in file-name order, when its checksum differs
from the one the ledger (``sqlmig_repeatables``, ledger_0009.sql) recorded
for it, or when it was never applied.  Each runs through the ordinary
:class:`~sqlmig.core.runner.Runner` in its own transaction, together with
its ledger row.  It must therefore be written to run again and again with
the same result (``CREATE OR REPLACE``, ``DROP ... IF EXISTS`` first,
``INSERT ... ON CONFLICT``); ``sqlmig verify`` proves that.

A repeatable has no rollback and no version: ``rollback`` never touches it.
``-- sqlmig: no-transaction`` and ``irreversible`` are refused in it
(docs/repeatable.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, MigrationFileError
from .files import REPEATABLE_DIR, Migration, SqlFile, discover_repeatables

if TYPE_CHECKING:
    import psycopg

    from .ledger import Ledger
    from .planner import Plan, Status, Step

TABLE = "sqlmig_repeatables"
HISTORY = "sqlmig_repeatable_history"
_REFUSED_DIRECTIVES = {
    "no-transaction": "a repeatable runs in one transaction with its ledger row, so that a "
                      "failure leaves nothing of it; put statements that cannot run in a "
                      "transaction block in a versioned migration",
    "irreversible": "a repeatable has no rollback to refuse: rollback never runs it",
}


@dataclass(frozen=True)
class Repeatable:
    """One file of sql/repeatable, read and hashed once."""

    name: str  # the file name without .sql
    file: SqlFile

    @property
    def label(self) -> str:
        """How runs and plans name it: ``repeatable/NAME``."""
        return f"{REPEATABLE_DIR}/{self.name}"

    def validate(self) -> None:
        """The checks of a versioned file (SqlFile.validate), and no
        ``no-transaction`` or ``irreversible`` header."""
        for directive, why in _REFUSED_DIRECTIVES.items():
            if directive in self.file.directives:
                line = _directive_line(self.file.text, directive)
                raise MigrationFileError(
                    f"{self.file.relpath}:{line}: `-- sqlmig: {directive}` is not allowed in a "
                    f"repeatable migration: {why}. Remove the line.",
                    path=self.file.path, line=line,
                )
        self.file.validate()

    def step(self) -> Step:
        """The runner's step for it (see :attr:`planner.Step.repeatable`)."""
        from .planner import Step

        return Step(Migration(version=0, name=self.label, up=self.file, down=None), self.file,
                    repeatable=True)


@dataclass(frozen=True)
class RepeatableRow:
    """A repeatable's row in sqlmig_repeatables: what was last applied."""

    name: str
    checksum: str
    applied_at: datetime
    applied_by: str
    os_user: str | None
    execution_ms: int
    git_commit: str | None


@dataclass(frozen=True)
class RepeatableState:
    """A repeatable as ``status`` shows it."""

    name: str
    file: str | None  # relative to sql/; None when the file is gone
    checksum: str | None  # the file's
    # "new" (never applied), "changed" (applied with another checksum): both
    # pending; "current"; "removed" (recorded, but the file is gone: nothing runs)
    state: str
    applied: RepeatableRow | None = None

    @property
    def pending(self) -> bool:
        return self.state in ("new", "changed")


def discover(sql_dir: Path) -> list[Repeatable]:
    """Every file of ``sql_dir/repeatable``, by name (see
    :func:`sqlmig.core.files.discover_repeatables`)."""
    return [Repeatable(f.path.stem, f) for f in discover_repeatables(sql_dir)]


def exists(conn: psycopg.Connection, ledger: Ledger) -> bool:
    return ledger.has(conn, TABLE)


def rows(conn: psycopg.Connection, ledger: Ledger) -> list[RepeatableRow]:
    """Every row of sqlmig_repeatables; empty before ledger_0009.sql reached the database."""
    from psycopg import sql
    from psycopg.rows import class_row

    with ledger.privileged(conn, "read the ledger"):
        if not exists(conn, ledger):
            return []
        with conn.cursor(row_factory=class_row(RepeatableRow)) as cur:
            cur.execute(sql.SQL(
                "SELECT name, checksum, applied_at, applied_by, os_user, execution_ms, "
                "git_commit FROM {} ORDER BY name").format(ledger.ident(TABLE)))
            return cur.fetchall()


def states(repeatables: list[Repeatable], recorded: list[RepeatableRow]) -> list[RepeatableState]:
    """Each repeatable's state, by name; rows whose file is gone last-in-name-order too."""
    by_name = {r.name: r for r in recorded}
    out = []
    for rep in repeatables:
        row = by_name.get(rep.name)
        state = "new" if row is None else "current" if row.checksum == rep.file.checksum \
            else "changed"
        out.append(RepeatableState(rep.name, rep.file.relpath, rep.file.checksum, state, row))
    names = {r.name for r in repeatables}
    out += [RepeatableState(r.name, None, None, "removed", r)
            for r in recorded if r.name not in names]
    return sorted(out, key=lambda s: s.name)


def pending(repeatables: list[Repeatable], recorded: list[RepeatableRow]) -> list[Repeatable]:
    """The repeatables apply would run, in file-name order."""
    wanted = {s.name for s in states(repeatables, recorded) if s.pending}
    return [r for r in repeatables if r.name in wanted]


# -- statements the runner sends inside the file's own transaction ------------------------


def record_sql(conn: psycopg.Connection, ledger: Ledger, step: Step, git_commit: str | None
               ) -> str:
    """``SELECT sqlmig_record_repeatable(...)``: the row and its history event."""
    from psycopg import sql

    from .ledger import os_user

    return sql.SQL("SELECT {}({}, {}, {}, {})").format(
        ledger.function("sqlmig_record_repeatable"), sql.Literal(name_of(step)),
        sql.Literal(step.file.checksum), sql.Literal(git_commit), sql.Literal(os_user()),
    ).as_string(conn)


def log(conn: psycopg.Connection, ledger: Ledger, step: Step, action: str, detail: str,
        git_commit: str | None = None) -> None:
    """A failure or interruption in sqlmig_repeatable_history."""
    from .ledger import os_user

    ledger.call(conn, "sqlmig_log_repeatable", name_of(step), action, step.file.checksum,
                git_commit, os_user(), detail)


def applied_checksum(conn: psycopg.Connection, ledger: Ledger, step: Step) -> str | None:
    """The checksum recorded for the step's repeatable (after a lost connection:
    did its transaction commit?)."""
    from psycopg import sql

    if not exists(conn, ledger):
        return None
    row = conn.execute(sql.SQL("SELECT checksum FROM {} WHERE name = %s").format(
        ledger.ident(TABLE)), (name_of(step),)).fetchone()
    return str(row[0]) if row else None


def name_of(step: Step) -> str:
    """The repeatable's name (its key in the ledger) from its runner step."""
    return step.file.path.stem


def _directive_line(text: str, directive: str) -> int:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*--\s*sqlmig:\s*{re.escape(directive)}\b", line, re.IGNORECASE):
            return lineno
    return 1


# -- status and plans ----------------------------------------------------------------------


def with_states(st: Status, repeatables: list[Repeatable], recorded: list[RepeatableRow]
                ) -> Status:
    """``st`` with each repeatable's state, and a problem ``invalid`` for each
    pending one apply would refuse (with the refusal's own message)."""
    import dataclasses

    from .planner import Problem

    problems = []
    for rep in pending(repeatables, recorded):
        try:
            rep.validate()
        except MigrationFileError as exc:
            problems.append(Problem("invalid", exc.message))
    return dataclasses.replace(st, repeatables=states(repeatables, recorded),
                               problems=[*st.problems, *problems])


def steps_for(repeatables: list[Repeatable], st: Status, plan: Plan) -> list[Step]:
    """The repeatables an apply of ``plan`` runs after its steps: the pending
    ones, validated, when no versioned migration stays pending after it (with
    ``--to`` below the newest, none: they are written against the newest schema)."""
    if len(plan.steps) < len(st.pending):
        return []
    wanted = {s.name for s in st.repeatables if s.pending}
    chosen = [r for r in repeatables if r.name in wanted]
    for rep in chosen:
        rep.validate()
    return [r.step() for r in chosen]


# -- sqlmig new --repeatable -----------------------------------------------------------------

_TEMPLATE = """\
-- repeatable/{name}: {description}
--
-- Applied after the versioned migrations whenever this file changes, in one
-- transaction with its ledger row. It runs again and again, so write it to
-- give the same result every time: CREATE OR REPLACE VIEW/FUNCTION, DROP ...
-- IF EXISTS before a CREATE, INSERT ... ON CONFLICT for reference data.
-- `sqlmig verify` applies it twice and compares. It has no rollback.

"""


def create(sql_dir: Path, description: str) -> Path:
    """Write ``sql_dir/repeatable/NAME.sql`` (NAME: the description's slug) from
    the template; refuses an existing file.  The caller updates the manifest."""
    from .files import slugify

    name = slugify(description)
    path = sql_dir / REPEATABLE_DIR / f"{name}.sql"
    if path.exists():
        raise ConfigError(f"{path} already exists. Edit it: a repeatable is re-applied "
                          "whenever it changes.", path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_TEMPLATE.format(name=name, description=description), encoding="utf-8")
    except OSError as exc:
        import contextlib

        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot write: {exc.strerror}. Nothing was created.",
                          path=path) from None
    return path
