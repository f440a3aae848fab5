"""Executing a plan: each file in its own transaction together with its ledger row.

A transactional file is sent to the server as one query text (never split
on the client), wrapped as::

    BEGIN; <reset session state>; <timeouts>; SET application_name = 'sqlmig: <file>';
    <the file>; <ledger row>; COMMIT;

one round trip per migration.  If any statement fails the server skips the
rest of the text, the transaction is aborted, and we ROLLBACK: nothing of the
file and no ledger row remain.

When the run is stopped:

- SIGINT or SIGTERM (the CLI turns both into :class:`~sqlmig.errors.Interrupted`):
  psycopg cancels the running statement in the server, the file is rolled
  back, a history row ``interrupted`` names the signal, and the run stops
  (exit 130 or 143).  If the signal came as the COMMIT completed, the ledger
  says so and the file counts as applied.
- SIGKILL, or a crash: every connection asks the server to check that its
  client is still there while a query runs (``client_connection_check_interval``,
  set by :func:`~sqlmig.core.connection.connect`), so the server cancels the
  orphaned file and rolls it back within about a second.  PostgreSQL 13 has
  no such check: there a killed run's file runs on to its COMMIT (sqlmig warns).
- The connection is lost: the outcome is read back on a new connection (the
  ledger row, and whether the old server process is still running) and
  reported as committed, rolled back, or unknown.

A ``-- sqlmig: no-transaction`` file runs statement by statement in
autocommit.  Before its first statement a ledger row with status ``failed``
is committed and kept pointing at the running statement, so that a failure,
a signal or a crash half-way leaves a visible, blocking record rather than a
migration that looks pending.

While a file runs, ``application_name`` names it, so ``sqlmig status`` on
another connection reports it as running.
"""

from __future__ import annotations

import logging
import random
import re
import signal
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .settings import Config
from ..errors import Interrupted, MigrationFailed, MigrationFileError, MigrationLockTimeout
from .git import GitState
from .ledger import Ledger
from .files import SqlFile
from .lock import RUNNING_PREFIX, share_sql, xact_key
from .planner import Plan, Step
from .results import AppliedMigration, ProgressEvent

if TYPE_CHECKING:
    import psycopg

    from .sqltext import Statement

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
_LOCK_NOT_AVAILABLE = "55P03"
# Marks sqlmig's transaction around a file the parser could not read, and
# checks before the ledger row that the file did not end it (SQLSTATE SQLM0).
# The mark is a transaction-level advisory lock (a RESET ALL in the file cannot
# remove it); engines without advisory locks (`lock: table`) get a
# transaction-local setting instead.
_XACT_ENDED = "SQLM0"
_XACT_RAISE = ("THEN RAISE EXCEPTION 'sqlmig: the file ended its transaction' "
               "USING ERRCODE = 'SQLM0'; END IF; END $sqlmig$;\n")
_MAX_RETRY_DELAY_S = 30.0
# How long a lost connection's server process may take to notice and roll back
# (a few times client_connection_check_interval).
_LOST_BACKEND_WAIT_S = 5.0


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
        self._stop: Interrupted | None = None  # a signal that came as a file committed
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

    def apply_repeatables(self, steps: list[Step]) -> list[AppliedMigration]:
        """Run repeatable migrations (``Step.repeatable``, all transactional), in
        order, each in its own transaction with its sqlmig_repeatables row, exactly
        like a versioned file; stops at the first failure (``exc.applied``: the
        repeatables before it)."""
        if not steps:
            return []
        try:
            return self.apply(Plan("up", list(steps)))
        except MigrationFailed as exc:
            exc.version = None  # a repeatable has none
            raise

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
            try:
                self.progress(ProgressEvent("start", index, total, step.name, plan.direction))
                if step.file.transactional:
                    result = self._run_transactional(step, plan.direction)
                else:
                    result = self._run_statements(step, plan.direction, index, total)
            except (MigrationFailed, Interrupted) as exc:
                exc.applied = list(done)
                self.progress(ProgressEvent("failed", index, total, step.name, plan.direction))
                raise
            except KeyboardInterrupt:
                # Between statements of sqlmig's own, not in the server: nothing runs.
                stopped = Interrupted(signal.SIGINT, f"interrupted by SIGINT before {step.name} "
                                      f"ran: nothing from it was {_verb(plan.direction)}.")
                stopped.applied = list(done)
                raise stopped from None
            done.append(result)
            self.progress(
                ProgressEvent("done", index, total, step.name, plan.direction, result.execution_ms)
            )
            if self._stop is not None:
                # The signal came as the file committed: it counts, and the run stops.
                self._stop.applied = list(done)
                raise self._stop
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

    def _transaction_guard(self) -> tuple[str, str]:
        """The mark set after BEGIN and the check before the ledger row (see _XACT_ENDED)."""
        if self.config.lock == "table":
            return ("SELECT set_config('sqlmig.transaction', txid_current()::text, true);\n",
                    "\n;\nDO $sqlmig$ BEGIN IF current_setting('sqlmig.transaction', true) IS "
                    "DISTINCT FROM txid_current()::text " + _XACT_RAISE)
        unsigned = xact_key(self.config.schema) & 0xFFFFFFFFFFFFFFFF
        return (f"SELECT pg_advisory_xact_lock({xact_key(self.config.schema)});\n",
                "\n;\nDO $sqlmig$ BEGIN IF NOT EXISTS (SELECT FROM pg_locks WHERE locktype = "
                "'advisory' AND pid = pg_backend_pid() AND objsubid = 1 AND classid = "
                f"{unsigned >> 32} AND objid = {unsigned & 0xFFFFFFFF}) " + _XACT_RAISE)

    def _share(self) -> str:
        """Under ``lock: table``, each migration transaction's share of the lock row."""
        return share_sql(self.config.schema) if self.config.lock == "table" else ""

    def _naming(self, step: Step) -> str:
        """``SET application_name`` to the file's name: pg_stat_activity, and so
        ``sqlmig status`` on another connection, can tell which file runs."""
        from psycopg import sql

        return sql.SQL("SET application_name = {};\n").format(
            sql.Literal(RUNNING_PREFIX + step.name)).as_string(self.conn)

    def _bookkeeping(self, step: Step, direction: str) -> str:
        commit = self.git.commit_for(step.migration.up.path)
        if step.repeatable:
            from . import repeatable

            stmt = repeatable.record_sql(self.conn, self.ledger, step, commit)
        else:
            record = (self.ledger.record_applied if direction == "up"
                      else self.ledger.record_rolled_back)
            stmt = record(self.conn, step.version, step.name, step.migration.up.checksum, commit,
                          normalized=step.migration.up.normalized_checksum)
        # The file may have changed role, search_path or timeouts: write the row
        # as the session user, with schema-qualified names, under no timeout of
        # the file's making.
        return ("\n;\nRESET SESSION AUTHORIZATION;\nRESET ROLE;\nRESET statement_timeout;\n"
                "RESET application_name;\n"
                + stmt + ";\n")

    def _run_transactional(self, step: Step, direction: str) -> AppliedMigration:
        import psycopg

        prefix = "BEGIN;\n" + self._prefix() + self._naming(step) + self._share()
        # A file the parser could not read may hide a COMMIT or ROLLBACK from
        # validation: then the ledger row must not be written outside the
        # file's transaction.  The mark is transaction-local, so it is gone
        # once the transaction that set it has ended.
        opened, intact = ("", "") if step.file.analysis.parsed else self._transaction_guard()
        prefix += opened
        query = (prefix + step.file.text + intact + self._bookkeeping(step, direction)
                 + "COMMIT;")
        retries = self.config.lock_retries
        for attempt in range(retries + 1):
            started = time.perf_counter()
            backend = self.conn.info.backend_pid
            try:
                self.conn.execute(query)
            except KeyboardInterrupt as exc:
                # psycopg has already asked the server to cancel the running
                # statement and waited for it: the transaction is aborted.
                return self._interrupted(step, exc, direction, started)
            except psycopg.Error as exc:
                elapsed = time.perf_counter() - started
                if _connection_lost(exc, self.conn):
                    return self._after_lost_connection(step, exc, direction, backend, started)
                self._rollback_quietly()
                if exc.sqlstate == _XACT_ENDED:
                    raise self._ended_early(step, direction) from None
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
                prefix = self._prefix() + self._share()
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
        except KeyboardInterrupt as exc:
            self._rollback_quietly()
            signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
            raise Interrupted(signum, f"interrupted by {signal.Signals(signum).name}: the "
                              "running statement was cancelled and the whole batch "
                              "(--single-transaction) rolled back; nothing was "
                              f"{_verb(plan.direction)}.") from None
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
        self.conn.execute(self._prefix() + self._naming(step))
        started = time.perf_counter()
        for stmt in statements:
            if stmt.index > 1:
                self.ledger.update(book, step.version, failed_statement=stmt.index)
            t0 = time.perf_counter()
            try:
                self.conn.execute(stmt.text)
            except KeyboardInterrupt as exc:
                signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
                name = signal.Signals(signum).name
                why = (f"interrupted by {name} at statement {stmt.index} of {len(statements)} "
                       "(cancelled); statements before it were committed (no-transaction file)")
                self.ledger.update(book, step.version, failed_statement=stmt.index, error=why)
                self._log_quietly(book, step, "interrupted", why)
                raise Interrupted(signum, f"{step.file.relpath}: {why}. The migration is "
                                  "recorded as failed: fix the database, then run "
                                  f"`sqlmig resolve {step.version} --as applied|rolled-back`."
                                  ) from None
            except psycopg.Error as exc:
                self._rollback_quietly()
                failure = self._failure(
                    step, exc, 0, 0.0, direction, statement=(stmt.index, stmt.offset, len(statements))
                )
                failure.message += self._invalid_indexes_hint(stmt)
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

    def _invalid_indexes_hint(self, statement: Statement) -> str:
        """A failed CREATE/REINDEX ... CONCURRENTLY leaves an INVALID index behind
        (and IF NOT EXISTS would then skip it silently on a retry): name it."""
        import psycopg

        if statement.no_transaction_block() not in ("CREATE INDEX CONCURRENTLY",
                                                     "REINDEX CONCURRENTLY"):
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

    # -- interrupts and lost connections ---------------------------------------

    def _interrupted(self, step: Step, exc: KeyboardInterrupt, direction: str,
                     started: float) -> AppliedMigration:
        """SIGINT/SIGTERM while a transactional file ran: roll back, look at the
        ledger (the signal may have come as the COMMIT completed), record the
        interruption, and stop the run."""
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        name = signal.Signals(signum).name
        self._rollback_quietly()
        if self._completed(self.conn, step, direction):
            self._stop = Interrupted(signum, f"interrupted by {name} after {step.name} was "
                                     f"{_verb(direction)}; the run stopped there.")
            return AppliedMigration(step.version, step.name, _ms(started))
        why = f"interrupted by {name}: the running statement was cancelled and the file rolled back"
        self._log_quietly(self.conn, step, "interrupted", why)
        raise Interrupted(signum, f"{step.file.relpath}: {why}. Nothing from {step.name} was "
                          f"{_verb(direction)}.") from None

    def _after_lost_connection(self, step: Step, exc: psycopg.Error, direction: str,
                               backend: int, started: float) -> AppliedMigration:
        """The connection dropped while the file ran: the server may have
        committed it, rolled it back, or still be running it.  Ask on a new
        connection instead of guessing."""
        import psycopg

        reason = (exc.diag.message_primary or str(exc)).strip()
        try:
            probe = self.connect()
        except Exception as lost:  # noqa: BLE001 - any failure leaves the outcome unknown
            raise self._unknown(step, reason, f"reconnecting failed too ({lost})") from None
        try:
            # The old server process notices the dropped connection within
            # client_connection_check_interval and rolls back; give it that long.
            deadline = time.monotonic() + _LOST_BACKEND_WAIT_S
            while (running := probe.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s",
                                            (backend,)).fetchone()) and \
                    time.monotonic() < deadline:
                time.sleep(0.1)
            if running:
                raise self._unknown(step, reason, f"its server process (pid {backend}) is "
                                    "still running it and may yet commit")
            if self._completed(probe, step, direction):
                log.warning("%s: the connection was lost (%s) after the file was %s; its "
                            "ledger row is there", step.name, reason, _verb(direction))
                return AppliedMigration(step.version, step.name, _ms(started))
        except psycopg.Error as again:
            raise self._unknown(step, reason, f"the ledger could not be read ({again})") from None
        finally:
            probe.close()
        raise MigrationFailed(
            f"{step.file.relpath}: the connection to the server was lost while the file ran "
            f"({reason}). Its transaction was rolled back by the server (checked on a new "
            f"connection: no ledger row, no server process left): nothing from {step.name} "
            f"was {_verb(direction)}.",
            path=step.file.path, sqlstate=exc.sqlstate, version=step.version,
        )

    def _ended_early(self, step: Step, direction: str) -> MigrationFailed:
        """The file ended sqlmig's transaction itself (a COMMIT or ROLLBACK the
        analysis could not see): what ran after it ran outside any transaction.
        Record the migration as failed, so that nothing goes on until a human
        has looked."""
        why = ("the file ended sqlmig's transaction itself (a COMMIT or ROLLBACK that "
               "validation could not see, because the parser could not read the file): the "
               "statements after it ran outside the transaction and may have been committed")
        commit = self.git.commit_for(step.migration.up.path)
        if step.repeatable:
            # Nothing to block: it is not recorded as applied, so the next
            # apply runs it again (it is written to be re-run).
            self._log_quietly(self.conn, step, "failed", why)
            return MigrationFailed(
                f"{step.file.relpath}: {why}. The repeatable is not recorded as applied: "
                "check the database; the next `sqlmig apply` runs it again.",
                path=step.file.path, sqlstate=_XACT_ENDED)
        if direction == "up":
            self.ledger.insert_failed(self.conn, step.version, step.name,
                                      step.migration.up.checksum, commit, why)
        else:
            self.ledger.update(self.conn, step.version, status="failed", error=why)
        self._log_quietly(self.conn, step, "failed", why)
        return MigrationFailed(
            f"{step.file.relpath}: {why}. The migration is recorded as failed: check the "
            f"database, then run `sqlmig resolve {step.version} --as applied|rolled-back`.",
            path=step.file.path, sqlstate=_XACT_ENDED, version=step.version,
        )

    def _unknown(self, step: Step, reason: str, why: str) -> MigrationFailed:
        return MigrationFailed(
            f"{step.file.relpath}: the connection to the server was lost while the file ran "
            f"({reason}), and {why}. Whether {step.name} was committed is UNKNOWN: run "
            "`sqlmig status` once the server is reachable; it shows the file as applied "
            "(committed) or pending (rolled back).",
            path=step.file.path, version=step.version,
        )

    def _completed(self, conn: psycopg.Connection, step: Step, direction: str) -> bool:
        if step.repeatable:
            from . import repeatable

            return repeatable.applied_checksum(conn, self.ledger, step) == step.file.checksum
        status = self.ledger.status_of(conn, step.version)
        return status == "applied" if direction == "up" else status is None

    def _log_quietly(self, conn: psycopg.Connection, step: Step, action: str, detail: str) -> None:
        """A history row about a failure; never replaces the failure itself."""
        import psycopg

        try:
            if step.repeatable:
                from . import repeatable

                repeatable.log(conn, self.ledger, step, action, detail)
            else:
                self.ledger.log(conn, step.version, step.name, action,
                                checksum=step.migration.up.checksum, detail=detail)
        except psycopg.Error as exc:
            log.error("could not record %s of %s in the history: %s", action, step.name, exc)

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
        from .sqltext import excerpt, line_col

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

        if not f.analysis.parsed:
            # The boundaries come from the scanner, not the parser: replaying
            # statements that may be mis-split could do what the file does not.
            return None
        statements = f.statements()
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


def _verb(direction: str) -> str:
    return "applied" if direction == "up" else "rolled back"


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def _connection_lost(exc: Exception, conn: psycopg.Connection) -> bool:
    """Connection failure (08xxx), server shutting down or terminated (57P01-03),
    or a connection psycopg found broken."""
    state = getattr(exc, "sqlstate", None) or ""
    return state.startswith("08") or state in ("57P01", "57P02", "57P03") or conn.closed \
        or bool(getattr(conn, "broken", False))


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None
