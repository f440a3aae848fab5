"""Executing a plan: each file in its own transaction together with its ledger row.

A transactional file is sent to the server as one query text (never split
on the client), wrapped as::

    BEGIN; <reset session state>; <timeouts>; <the file>; <ledger row>; COMMIT;

one round trip per migration.  If any statement fails the server skips the
rest of the text, the transaction is aborted, and we ROLLBACK: nothing of the
file and no ledger row remain.  A killed runner's connection drops and the
server rolls the open transaction back, with the same result.

A ``-- sqlmig: no-transaction`` file runs statement by statement in
autocommit.  Before its first statement a ledger row with status ``failed``
is committed and kept pointing at the running statement, so that a failure
or a crash half-way leaves a visible, blocking record rather than a
migration that looks pending.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .settings import Config
from ..errors import MigrationFailed, MigrationFileError, MigrationLockTimeout
from .git import GitState
from .ledger import Ledger
from .files import SqlFile
from .sqltext import excerpt, line_col
from .planner import Plan, Step
from .results import AppliedMigration, ProgressEvent

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("sqlmig.runner")

Progress = Callable[[ProgressEvent], None]

# Each file starts from a clean session, so that a `SET search_path` or a
# `SET ROLE` in one file cannot change what the next one does.  DISCARD ALL
# would also drop our advisory lock, and cannot run in a transaction block.
_RESET = "RESET ALL;\nRESET SESSION AUTHORIZATION;\nRESET ROLE;\nDISCARD TEMP;\n"
# Locating a failure that the server reported without a position means
# replaying the file statement by statement; only worth it when that is quick.
_REPLAY_LIMIT_S = 10.0
# Failures a replay cannot locate usefully or should not repeat: lock and
# statement timeouts, deadlocks and serialization failures, lost connections,
# resource exhaustion, an administrator's cancel.
_NOT_REPLAYED = re.compile(r"^(?:55P03|57014|40P01|40001|08...|53...|57P0.)$")
_CONCURRENT_INDEX = re.compile(
    r"^(?:CREATE\s+(?:UNIQUE\s+)?INDEX|REINDEX\s+\w+)\s+CONCURRENTLY\b", re.IGNORECASE
)
_LOCK_NOT_AVAILABLE = "55P03"
_MAX_RETRY_DELAY_S = 30.0


class Runner:
    """Runs plans on one connection that already holds the migration lock."""

    def __init__(
        self,
        conn: psycopg.Connection,
        ledger: Ledger,
        config: Config,
        git: GitState,
        connect: Callable[[], psycopg.Connection],
        progress: Progress | None = None,
    ) -> None:
        self.conn = conn
        self.connect = connect
        self._book: psycopg.Connection | None = None
        self._prefix_text: str | None = None
        self.ledger = ledger
        self.config = config
        self.git = git
        self.progress = progress or (lambda event: None)

    # -- public ---------------------------------------------------------------

    def apply(self, plan: Plan, *, single_transaction: bool = False) -> list[AppliedMigration]:
        for step in plan.steps:
            step.file.validate()
        if plan.steps:
            verb = "apply" if plan.direction == "up" else "roll back"
            log.info("plan: %s %d migration(s), version %s -> %s: %s", verb, len(plan.steps),
                     plan.current_version, plan.target_version,
                     ", ".join(s.name for s in plan.steps))
        try:
            done = self._apply(plan, single_transaction)
        except MigrationFailed as exc:
            log.error("%s", exc.message)
            raise
        for m in done:
            log.info("%s %s in %d ms", "applied" if plan.direction == "up" else "rolled back",
                     m.name, m.execution_ms)
        return done

    def _apply(self, plan: Plan, single_transaction: bool) -> list[AppliedMigration]:
        if single_transaction:
            blocked = [s.file.relpath for s in plan.steps if not s.file.transactional]
            if blocked:
                raise MigrationFileError(
                    f"--single-transaction cannot include no-transaction migrations: "
                    f"{', '.join(blocked)}. Apply up to the version before them first.",
                    path=plan.steps[0].file.path,
                )
            return self._run_single_transaction(plan)
        done: list[AppliedMigration] = []
        total = len(plan.steps)
        for index, step in enumerate(plan.steps, start=1):
            self.progress(ProgressEvent("start", index, total, step.name, plan.direction))
            try:
                if step.file.transactional:
                    result = self._run_transactional(step, plan.direction)
                else:
                    result = self._run_statements(step, plan.direction, index, total)
            except MigrationFailed as exc:
                exc.applied = list(done)
                self.progress(ProgressEvent("failed", index, total, step.name, plan.direction))
                raise
            done.append(result)
            self.progress(
                ProgressEvent("done", index, total, step.name, plan.direction, result.execution_ms)
            )
        return done

    # -- transactional files ----------------------------------------------------

    def _prefix(self) -> str:
        """Session reset and the environment's settings, sent before every file
        (rendered once per run)."""
        if self._prefix_text is None:
            self._prefix_text = self._render_prefix()
        return self._prefix_text

    def _render_prefix(self) -> str:
        from psycopg import sql

        parts = [_RESET]
        for name in ("lock_timeout", "statement_timeout"):
            value = getattr(self.config, name)
            if value is not None:
                parts.append(
                    sql.SQL("SET {} = {};\n")
                    .format(sql.Identifier(name), sql.Literal(value.postgres()))
                    .as_string(self.conn)
                )
        if self.config.search_path:
            # A schema-per-tenant target: unqualified names in the file resolve
            # in the tenant's schema.  Set after RESET ALL, so every file starts
            # from it whatever the previous file did to search_path.
            parts.append(
                sql.SQL("SET search_path TO {};\n")
                .format(sql.SQL(", ").join(sql.Identifier(s) for s in self.config.search_path))
                .as_string(self.conn)
            )
        return "".join(parts)

    def _bookkeeping(self, step: Step, direction: str) -> str:
        commit = self.git.commit_for(step.migration.up.path)
        record = self.ledger.record_applied if direction == "up" else self.ledger.record_rolled_back
        stmt = record(self.conn, step.version, step.name, step.migration.up.checksum, commit)
        # The file may have changed role, search_path or timeouts: write the row
        # as the session user, with schema-qualified names, under no timeout of
        # the file's making.
        return "\n;\nRESET ROLE;\nRESET statement_timeout;\n" + stmt + ";\n"

    def _run_transactional(self, step: Step, direction: str) -> AppliedMigration:
        import psycopg

        prefix = "BEGIN;\n" + self._prefix()
        query = prefix + step.file.text + self._bookkeeping(step, direction) + "COMMIT;"
        retries = self.config.lock_retries
        for attempt in range(retries + 1):
            started = time.perf_counter()
            try:
                self.conn.execute(query)
            except psycopg.Error as exc:
                elapsed = time.perf_counter() - started
                self._rollback_quietly()
                if exc.sqlstate != _LOCK_NOT_AVAILABLE:
                    raise self._failure(step, exc, len(prefix), elapsed, direction) from None
                # lock_timeout fired: the whole file was rolled back, and the
                # queries queued behind our lock request ran on.  Wait and try
                # again rather than wait longer holding up everyone's queue.
                if attempt < retries:
                    self._sleep_before_retry(attempt, step)
                    continue
                failure = self._failure(step, exc, len(prefix), elapsed, direction)
                raise MigrationLockTimeout(
                    failure.message + f"\nThe lock was not obtained within lock_timeout "
                    f"({self.config.lock_timeout}) in {attempt + 1} attempt(s) (lock_retries: "
                    f"{retries}). Find the blocking session in pg_locks/pg_stat_activity, or "
                    "retry when traffic is lower.",
                    path=failure.path, line=failure.line, column=failure.column,
                    sqlstate=failure.sqlstate, detail=failure.detail, hint=failure.hint,
                    excerpt=failure.excerpt, version=step.version,
                ) from None
            break
        ms = round((time.perf_counter() - started) * 1000)
        return AppliedMigration(step.version, step.name, ms)

    def _sleep_before_retry(self, attempt: int, step: Step) -> None:
        # Exponential backoff with full jitter, so that several runners (or a
        # runner and a batch job) do not retry in lock-step.
        delay = min(self.config.lock_retry_delay.seconds * 2 ** attempt, _MAX_RETRY_DELAY_S)
        delay = random.uniform(delay / 2, delay)
        self.progress(ProgressEvent(
            "retry", attempt + 1, self.config.lock_retries, step.name,
            extra={"delay_s": round(delay, 3), "reason": "lock_timeout"},
        ))
        time.sleep(delay)

    def _run_single_transaction(self, plan: Plan) -> list[AppliedMigration]:
        import psycopg

        total = len(plan.steps)
        done: list[AppliedMigration] = []
        self.conn.execute("BEGIN")
        try:
            for index, step in enumerate(plan.steps, start=1):
                self.progress(ProgressEvent("start", index, total, step.name, plan.direction))
                prefix = self._prefix()
                started = time.perf_counter()
                try:
                    self.conn.execute(
                        prefix + step.file.text + self._bookkeeping(step, plan.direction)
                    )
                except psycopg.Error as exc:
                    self._rollback_quietly()
                    self.progress(ProgressEvent("failed", index, total, step.name, plan.direction))
                    failure = self._failure(step, exc, len(prefix), 0.0, plan.direction, batch=True)
                    raise failure from None
                ms = round((time.perf_counter() - started) * 1000)
                done.append(AppliedMigration(step.version, step.name, ms))
                self.progress(ProgressEvent("done", index, total, step.name, plan.direction, ms))
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback_quietly()
            raise
        return done

    # -- no-transaction files ---------------------------------------------------

    def _run_statements(self, step: Step, direction: str, index: int, total: int) -> AppliedMigration:
        import psycopg

        statements = step.file.statements()
        commit = self.git.commit_for(step.migration.up.path)
        checksum = step.migration.up.checksum
        # Session state set by one statement (SET search_path, SET ROLE) must
        # carry to the next, so the ledger is written through a second
        # connection rather than by resetting this one between statements.
        book = self._bookkeeping_connection()
        running = (
            "interrupted: a sqlmig run was executing this file statement by statement and did "
            "not finish (killed or disconnected)"
        )
        if direction == "up":
            self.ledger.insert_failed(book, step.version, step.name, checksum, commit, running)
        else:
            self.ledger.update(book, step.version, status="failed", failed_statement=1, error=running)
        self.conn.execute(self._prefix())
        started = time.perf_counter()
        for stmt in statements:
            if stmt.index > 1:
                self.ledger.update(book, step.version, failed_statement=stmt.index)
            t0 = time.perf_counter()
            try:
                self.conn.execute(stmt.text)
            except psycopg.Error as exc:
                self._rollback_quietly()
                failure = self._failure(
                    step, exc, 0, 0.0, direction, statement=(stmt.index, stmt.offset, len(statements))
                )
                failure.message += self._invalid_indexes_hint(stmt.text)
                self.ledger.update(
                    book, step.version, failed_statement=stmt.index, error=failure.message
                )
                self.ledger.log(
                    book, step.version, step.name, "failed", checksum=checksum,
                    git_commit=commit, detail=failure.message,
                )
                raise failure from None
            log.debug("%s statement %d/%d in %.0f ms: %s", step.name, stmt.index,
                      len(statements), (time.perf_counter() - t0) * 1000,
                      " ".join(stmt.text.split())[:200])
            self.progress(
                ProgressEvent(
                    "statement", index, total, step.name, direction,
                    execution_ms=round((time.perf_counter() - t0) * 1000),
                    statement=stmt.index, statements=len(statements), text=stmt.text,
                )
            )
        ms = round((time.perf_counter() - started) * 1000)
        self.conn.execute(_RESET)
        with book.transaction():
            if direction == "up":
                self.ledger.update(
                    book, step.version, status="applied", failed_statement=None, error=None,
                    execution_ms=ms,
                )
                self.ledger.log(book, step.version, step.name, "apply", checksum=checksum,
                                git_commit=commit, execution_ms=ms)
            else:
                self.ledger.delete(book, step.version)
                self.ledger.log(book, step.version, step.name, "rollback", checksum=checksum,
                                git_commit=commit, execution_ms=ms)
        return AppliedMigration(step.version, step.name, ms, statements=len(statements))

    def _bookkeeping_connection(self) -> psycopg.Connection:
        if self._book is None or self._book.closed:
            self._book = self.connect()
        return self._book

    def close(self) -> None:
        if self._book is not None and not self._book.closed:
            self._book.close()
        self._book = None

    def _invalid_indexes_hint(self, statement: str) -> str:
        """A failed CREATE/REINDEX ... CONCURRENTLY leaves an INVALID index behind
        (and IF NOT EXISTS would then skip it silently on a retry): name it."""
        import psycopg

        if not _CONCURRENT_INDEX.match(statement):
            return ""
        from importlib import resources

        query = (resources.files(__package__) / "sql" / "invalid_indexes.sql").read_text("utf-8")
        try:
            invalid = [row[0] for row in self.conn.execute(query)]
        except psycopg.Error:
            return ""
        if not invalid:
            return ""
        names = ", ".join(invalid)
        return (f"\nINVALID index(es) left behind: {names}. Drop them with DROP INDEX "
                "CONCURRENTLY before retrying.")

    # -- failures ---------------------------------------------------------------

    def _rollback_quietly(self) -> None:
        import psycopg

        try:
            if not self.conn.closed:
                self.conn.execute("ROLLBACK")
        except psycopg.Error:
            pass

    def _failure(
        self,
        step: Step,
        exc: psycopg.Error,
        prefix_len: int,
        elapsed: float,
        direction: str,
        *,
        statement: tuple[int, int, int] | None = None,
        batch: bool = False,
    ) -> MigrationFailed:
        """A MigrationFailed pointing at file:line:column of the failing statement."""
        f = step.file
        diag = exc.diag
        sqlstate = exc.sqlstate
        primary = diag.message_primary or str(exc).strip()
        offset: int | None = None
        if statement is not None:
            index, stmt_offset, count = statement
            pos = _int(diag.statement_position)
            offset = stmt_offset + (pos - 1 if pos else 0)
        else:
            pos = _int(diag.statement_position)
            if pos:
                candidate = pos - 1 - prefix_len
                if 0 <= candidate < len(f.text):
                    offset = candidate
            if (offset is None and elapsed <= _REPLAY_LIMIT_S and not batch
                    and not _NOT_REPLAYED.match(sqlstate or "")):
                offset = self._locate_by_replay(f, sqlstate, elapsed)
        line = column = None
        if offset is not None:
            line, column = line_col(f.text, offset)
        where = f"{f.relpath}:{line}:{column}" if line else f.relpath
        text = f"{where}: {primary}" + (f" (SQLSTATE {sqlstate})" if sqlstate else "")
        if diag.message_detail:
            text += f"\nDETAIL: {diag.message_detail}"
        if diag.message_hint:
            text += f"\nHINT: {diag.message_hint}"
        if sqlstate == "25001" and f.transactional:
            text += ("\nHINT: this statement cannot run inside a transaction block: add "
                     "`-- sqlmig: no-transaction` to the file's header.")
        if diag.context and statement is None:
            text += f"\nCONTEXT: {diag.context.strip()}"
        snippet = excerpt(f.text, line) if line else None
        if snippet:
            text += "\n" + snippet
        verb = "applied" if direction == "up" else "rolled back"
        if batch:
            text += "\nThe whole batch (--single-transaction) was rolled back; nothing was applied."
        elif statement is not None:
            index, _, count = statement
            text += (
                f"\nStatement {index} of {count} failed; statements before it were committed "
                f"(no-transaction file). The migration is recorded as failed: fix the database, "
                f"then run `sqlmig resolve {step.version} --as applied|rolled-back`."
            )
        else:
            text += f"\nNothing from this file was {verb}."
        from .connection import redact

        # The message is printed, logged and stored in the ledger: a role's
        # password in the file's SQL must not travel with it.
        text, snippet = redact(text), redact(snippet) if snippet else None
        return MigrationFailed(
            text,
            path=f.path,
            line=line,
            column=column,
            sqlstate=sqlstate,
            detail=diag.message_detail,
            hint=diag.message_hint,
            excerpt=snippet,
            version=step.version,
            statement_index=statement[0] if statement else None,
        )

    def _locate_by_replay(self, f: SqlFile, sqlstate: str | None, elapsed: float) -> int | None:
        """Find the failing statement of a file whose error carried no position.

        Errors such as "relation already exists" or a failing trigger have no
        position.  psql would know the line because it sends statements one by
        one; we replay the file that way inside a transaction that is always
        rolled back, and stop at the first statement failing with the same
        SQLSTATE.
        """
        import psycopg

        try:
            statements = f.statements()
        except Exception:  # noqa: BLE001 - locating is best effort; the error itself stands
            return None
        found = None
        try:
            self.conn.execute("BEGIN")
            self.conn.execute(self._prefix())
            # Bounded, whatever the environment says: the replay must never
            # queue behind another session's locks or run far longer than the
            # failed attempt did.
            limit = int(min(max(elapsed * 2, 1.0), _REPLAY_LIMIT_S) * 1000) + 1000
            self.conn.execute(f"SET LOCAL lock_timeout = '2s'; SET LOCAL statement_timeout = {limit}")
            for stmt in statements:
                try:
                    self.conn.execute(stmt.text)
                except psycopg.Error as exc:
                    if exc.sqlstate == sqlstate:
                        pos = _int(exc.diag.statement_position)
                        found = stmt.offset + (pos - 1 if pos else 0)
                    break
        except psycopg.Error:
            found = None
        finally:
            self._rollback_quietly()
        return found


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None
