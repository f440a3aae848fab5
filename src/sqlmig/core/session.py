"""A Session: one project, one environment, one connection, every operation.

The CLI and the module-level functions of :mod:`sqlmig` are thin layers over
this class, so a deploy script that holds a Session gets exactly the checks
the CLI makes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from . import clock as clock_mod
from . import git as git_mod
from . import ledger as ledger_mod
from . import lock
from . import checkpoint as checkpoint_mod
from . import planner as plan_mod
from . import repeatable as repeatable_mod
from .settings import DEFAULT_SCHEMA, Config, lock_wait_seconds
from .connection import connect
from ..errors import ConfigError, Interrupted, LedgerProblem, MigrationFailed
from .ledger import HistoryEntry, Ledger, LedgerRow
from .planner import Plan, Status
from .project import Project
from .results import (AppliedMigration, AppliedRepeatable, ApplyResult, ResolveResult,
                      RollbackResult)
from .runner import Progress, Runner

if TYPE_CHECKING:
    import psycopg

Confirm = Callable[[Plan], bool]


@dataclass(frozen=True)
class ChangeOptions:
    """What the caller of apply/rollback said: ``yes`` (confirmed in advance), a
    ``confirm`` callback shown the plan, and ``emergency`` with its ``reason``."""

    yes: bool = False
    confirm: Confirm | None = None
    emergency: bool = False
    reason: str | None = None


class ChangeGuard(Protocol):
    """A feature's part in one apply, rollback or resolve (e.g. the environment's
    policies and the audit row).  Entered with the migration lock held;
    ``check`` may refuse the plan before anything runs, ``done`` hears what
    completed, and leaving the block sees the outcome (the exception, if any)."""

    def __enter__(self) -> Any: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool | None: ...

    def check(self, plan: Plan) -> None: ...

    def done(self, applied: list[AppliedMigration]) -> None: ...

    def note(self, versions: list[int], detail: str) -> None: ...


@dataclass
class Hooks:
    """What features add to every Session (``sqlmig.features`` registers the
    shipped ones); the core runs them at fixed points and knows none of them."""

    # Called before an apply plans anything (e.g. refuse when the schema drifted).
    before_apply: list[Callable[[Session], None]] = field(default_factory=list)
    # One guard per feature around each apply, rollback and resolve, in order.
    guards: list[Callable[[Session, str, ChangeOptions], ChangeGuard]] = field(
        default_factory=list)
    # Findings for a plan's migrations (``plan(lint=True)``).
    findings: Callable[[Session, Plan], Sequence[Any]] | None = None
    # The session's URL once resolved, before its first connection (e.g. where TLS
    # is required: sslmode=verify-full added, and the URL's connections checked).
    url: list[Callable[[Session, str], str]] = field(default_factory=list)


HOOKS = Hooks()


class Session:
    """Operations on one environment of one project.

    >>> with sqlmig.Session(env="staging") as s:      # doctest: +SKIP
    ...     result = s.apply()
    """

    def __init__(
        self,
        project: Project | Path | str | None = None,
        env: str = "dev",
        database_url: str | None = None,
        *,
        progress: Progress | None = None,
        lock_wait: float | None = None,
        clock: clock_mod.Clock | None = None,
        config: Config | None = None,
        connector: Callable[[str], psycopg.Connection] | None = None,
    ) -> None:
        self.project = project if isinstance(project, Project) else Project.find(project)
        # Only for what is the client's business (--since, backup file names):
        # windows, approval expiry and audit times are the server's.
        self.clock: clock_mod.Clock = clock or clock_mod.now
        # A fleet passes each target's own config, and a connector that opens
        # every connection of the session within its connection budget.
        self.config: Config = config if config is not None else self.project.config(
            env, database_url)
        self._connect: Callable[[str], psycopg.Connection] = connector or connect
        self.progress = progress
        if self.config.verbose and hasattr(progress, "verbose"):
            setattr(progress, "verbose", True)  # `verbose: true` in config/<env>.yaml acts like -v
        self.lock_wait = (self.config.lock_wait.seconds if lock_wait is None
                          else lock_wait_seconds(lock_wait))
        self._ledger: Ledger | None = None
        self._legacy = False  # the ledger an earlier sqlmig left in public is used
        self._url: str | None = None
        self._conn: psycopg.Connection | None = None

    # -- connection -------------------------------------------------------------

    @property
    def url(self) -> str:
        """The database URL (starting the embedded server when the config says so)."""
        if self._url is None:
            if self.config.database_url is None:
                where = self.config.path or f"config/{self.config.env}.yaml"
                raise ConfigError(
                    f"{where}: environment {self.config.env!r} is a fleet without "
                    "`database_url`. apply, status and check run on every target (see "
                    "--target); for any other command pass --database-url of one target.",
                    path=self.config.path,
                )
            url = self.project.database_url(self.config)
            for prepare in HOOKS.url:
                url = prepare(self, url)
            self._url = url
        return self._url

    @property
    def conn(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = self._connect(self.url)
        if self._ledger is None:
            self._locate(self._conn)
        return self._conn

    @property
    def ledger(self) -> Ledger:
        """sqlmig's tables in this database (connecting, to find where they are)."""
        if self._ledger is None:
            self.conn  # noqa: B018 - the first connection locates the ledger
        assert self._ledger is not None
        return self._ledger

    @property
    def ledger_schema(self) -> str:
        """The schema of sqlmig's tables in this database: the config's ``schema:``,
        or where an earlier sqlmig left them (:func:`sqlmig.core.ledger.locate`)."""
        return self.ledger.schema

    def _locate(self, conn: psycopg.Connection) -> None:
        # Once per session, on its first connection and before any lock is taken:
        # the lock key is derived from the schema.  From then on the session's
        # config names the schema actually used, so that the runner, the lock and
        # every feature reading ``config.schema`` (docs, snapshots, drift) agree.
        schema = ledger_mod.locate(conn, self.config.schema, given=self.config.schema_given)
        self._legacy = schema != self.config.schema
        self.config = dataclasses.replace(self.config, schema=schema, schema_given=True)
        self._ledger = Ledger(schema)

    def _still_located(self) -> None:
        """With the lock held: a run that found the ledger in public may have
        waited for the lock while the ledger was moved (README, "Moving the
        ledger out of public"); going on would create a new, empty one."""
        if not self._legacy:
            return
        now = ledger_mod.locate(self.conn, DEFAULT_SCHEMA, given=False)
        if now != self.ledger_schema:
            raise LedgerProblem(
                f'the ledger moved from schema "{self.ledger_schema}" to "{now}" while this '
                "run waited for the migration lock. Nothing was changed; run it again.")

    def close(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.close()
        self._conn = None

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- read-only ----------------------------------------------------------------

    def status(self, *, allow_out_of_order: bool = False) -> Status:
        """Applied, pending and every problem; writes nothing."""
        report = self.project.manifest_report()
        exists = self.ledger.exists(self.conn)
        rows = self.ledger.rows(self.conn) if exists else []
        st = plan_mod.status(
            self.project.migrations, rows, report,
            ledger_exists=exists, allow_out_of_order=allow_out_of_order,
        )
        st = self._with_repeatables(st, exists)
        if exists:
            from . import tags

            st = dataclasses.replace(st, tags=tags.listed(self.conn, self.ledger))
        if self.config.lock == "advisory":
            st = self._running(st, rows)
        return st

    def _running(self, st: Status, rows: list[LedgerRow]) -> Status:
        """Say what another run is executing right now: a transactional file shows
        as pending and a no-transaction one as failed until it finishes."""
        holders = lock.holders_of(self.conn, lock.key(self.ledger_schema))
        if not holders:
            return st
        who = "; ".join(h.describe() for h in holders)
        names: dict[int | None, str] = {r.version: r.name for r in rows}
        running = {h.running for h in holders if h.running is not None}
        problems = [
            plan_mod.Problem("running", f"{names.get(p.version, str(p.version))} is being "
                             f"applied right now by another run ({who}); its row reads "
                             "failed until it finishes.", p.version)
            if p.kind == "failed" else p for p in st.problems
        ]
        for name in sorted(running - set(names.values())):
            query = next((" ".join((h.query or "").split())[:80] for h in holders
                          if h.running == name), "")
            problems.append(plan_mod.Problem(
                "running", f"{name} is being applied right now by another run ({who}; "
                f"running: {query}); it commits or rolls back as a whole."))
        return dataclasses.replace(st, problems=problems)

    def plan(self, *, to: int | None = None, allow_out_of_order: bool = False,
             lint: bool = False) -> Plan:
        """What ``apply`` would run; refuses like apply would, executes nothing.

        With ``lint``, the plan carries the lint findings for its migrations,
        linted as one run with this database's table sizes.
        """
        self.project.verify_manifest()
        st = self.status(allow_out_of_order=allow_out_of_order)
        plan_mod.refuse_on_problems(st, "apply")
        result = plan_mod.upgrade(st, to=to, known=set(self.project.by_version()))
        for step in result.steps:
            step.file.validate()
        result = dataclasses.replace(result, repeatables=repeatable_mod.steps_for(
            self.project.repeatables, st, result))
        if lint and result.steps and HOOKS.findings is not None:
            result = dataclasses.replace(result, findings=tuple(HOOKS.findings(self, result)))
        return result

    def history(self, limit: int | None = None) -> list[HistoryEntry]:
        """Every apply, rollback, failure and resolve, newest first."""
        return self.ledger.history(self.conn, limit)

    # -- changes --------------------------------------------------------------------

    def apply(
        self,
        *,
        to: int | None = None,
        single_transaction: bool = False,
        dry_run: bool = False,
        allow_out_of_order: bool = False,
        yes: bool = False,
        confirm: Confirm | None = None,
        emergency: bool = False,
        reason: str | None = None,
    ) -> ApplyResult:
        """Apply pending migrations (up to ``to``), each in its own transaction.

        The environment's policies (see :mod:`sqlmig.policy`) run first:
        ``yes`` or ``confirm(plan)`` answer ``auto_apply: false``;
        ``emergency`` with a ``reason`` overrides the maintenance window.
        """
        started = time.perf_counter()
        self.project.verify_manifest()
        if dry_run:
            for before in HOOKS.before_apply:
                before(self)
            the_plan = self.plan(to=to, allow_out_of_order=allow_out_of_order)
            return ApplyResult(
                applied=[], planned=[s.name for s in the_plan.steps],
                from_version=the_plan.current_version, to_version=the_plan.target_version,
                duration_ms=_ms(started), dry_run=True, single_transaction=single_transaction,
                planned_repeatables=[s.file.relpath for s in the_plan.repeatables],
            )
        options = ChangeOptions(yes, confirm, emergency, reason)
        with self.locked(), self.guarded("apply", options) as guard:
            # After the guards: the policy they hold (the database's binding's)
            # decides, e.g. whether a drifted schema refuses the apply.
            for before in HOOKS.before_apply:
                before(self)
            exists = self.ledger.exists(self.conn)
            if exists:
                self.ledger.ensure(self.conn)  # sqlmig's own, and at its current version
            rows = self.ledger.rows(self.conn) if exists else []
            st = plan_mod.status(
                self.project.migrations, rows, None, allow_out_of_order=allow_out_of_order
            )
            plan_mod.refuse_on_problems(st, "apply")
            the_plan = plan_mod.upgrade(st, to=to, known=set(self.project.by_version()))
            # A file apply refuses changes nothing: not even sqlmig's tables appear.
            for step in the_plan.steps:
                step.file.validate()
            st = self._with_repeatables(st, exists)
            the_plan = dataclasses.replace(the_plan, repeatables=repeatable_mod.steps_for(
                self.project.repeatables, st, the_plan))
            if not exists:
                self.ledger.ensure(self.conn)
            guard.check(the_plan)
            runner = self._runner(the_plan)
            try:
                early = self._checkpoint_first(the_plan, rows)  # a fresh database only
                try:
                    applied = early + runner.apply(checkpoint_mod.rest(the_plan, early),
                                                   single_transaction=single_transaction)
                except MigrationFailed as exc:
                    exc.applied[:0] = early
                    raise
                repeated = self._apply_repeatables(runner, the_plan, applied)
            finally:
                runner.close()
            guard.done(applied)
        return ApplyResult(
            repeatables=repeated,
            planned_repeatables=[s.file.relpath for s in the_plan.repeatables],
            applied=applied, planned=[s.name for s in the_plan.steps],
            from_version=the_plan.current_version,
            to_version=applied[-1].version if applied else the_plan.current_version,
            duration_ms=_ms(started), single_transaction=single_transaction,
        )

    def rollback(
        self, *, steps: int | None = None, to: int | None = None, dry_run: bool = False,
        yes: bool = False, confirm: Confirm | None = None, emergency: bool = False,
        reason: str | None = None,
    ) -> RollbackResult:
        """Roll back the newest ``steps`` migrations (default 1), or all above ``to``;
        the environment's policies apply as for :meth:`apply`."""
        started = time.perf_counter()
        self.project.verify_manifest()
        options = ChangeOptions(yes, confirm, emergency, reason)
        with self.locked(), self.guarded("rollback", options) as guard:
            if not self.ledger.exists(self.conn):
                return RollbackResult([], None, None, _ms(started), dry_run)
            rows = self.ledger.rows(self.conn)
            st = plan_mod.status(self.project.migrations, rows, None, allow_out_of_order=True)
            plan_mod.refuse_on_problems(st, "roll back")
            the_plan = plan_mod.downgrade(st, self.project.migrations, steps=steps, to=to)
            for step in the_plan.steps:
                step.file.validate()
            if dry_run:
                return RollbackResult(
                    [], the_plan.current_version, the_plan.target_version, _ms(started), True,
                    planned=[s.file.relpath for s in the_plan.steps],
                )
            guard.check(the_plan)
            runner = self._runner(the_plan)
            try:
                done = runner.apply(the_plan)
            finally:
                runner.close()
            guard.done(done)
        return RollbackResult(done, the_plan.current_version, the_plan.target_version, _ms(started))

    def resolve(self, version: int, outcome: str) -> ResolveResult:
        """Record how a failed no-transaction migration was resolved by hand.

        ``outcome`` "applied": the migration's effects are complete; the row
        becomes applied.  "rolled-back": its effects are gone; the row is
        removed, so the migration is pending again.
        """
        if outcome not in ("applied", "rolled-back"):
            raise ConfigError(f"--as must be applied or rolled-back, not {outcome!r}.")
        with self.locked(), self.guarded("resolve") as guard:
            guard.note([version], f"recorded as {outcome}")
            rows = {r.version: r for r in self.ledger.rows(self.conn)}
            row = rows.get(version)
            if row is None or row.status != "failed":
                state = "not in the ledger" if row is None else f"{row.status}, not failed"
                raise LedgerProblem(
                    f"cannot resolve {version}: it is {state}. `sqlmig resolve` only records "
                    "the outcome of a failed no-transaction migration; see `sqlmig status`."
                )
            with self.conn.transaction():
                if outcome == "applied":
                    self.ledger.update(
                        self.conn, version, status="applied", failed_statement=None, error=None
                    )
                else:
                    self.ledger.delete(self.conn, version)
                self.ledger.log(
                    self.conn, version, row.name, f"resolve-{outcome}", checksum=row.checksum,
                    detail=f"was failed at statement {row.failed_statement}: {row.error}",
                )
        return ResolveResult(version, row.name, outcome)

    # -- internals --------------------------------------------------------------------

    def _checkpoint_first(self, the_plan: Plan, rows: list[LedgerRow]) -> list[AppliedMigration]:
        """On an empty ledger, the newest checkpoint the plan reaches, run first
        in one transaction with its ledger rows (:mod:`sqlmig.core.checkpoint`)."""
        cp = checkpoint_mod.for_plan(self.project.checkpoints, self.project.migrations,
                                     the_plan, fresh=not rows)
        if cp is None:
            return []
        cp.file.validate()
        return checkpoint_mod.apply(self.conn, self.ledger, self.config, self.project.git, cp,
                                    the_plan)

    def _with_repeatables(self, st: Status, exists: bool) -> Status:
        """``st`` with the repeatables' states (sqlmig.core.repeatable)."""
        reps = self.project.repeatables
        if not reps and not exists:
            return st
        recorded = repeatable_mod.rows(self.conn, self.ledger) if exists else []
        return repeatable_mod.with_states(st, reps, recorded)

    def _apply_repeatables(self, runner: Runner, the_plan: Plan,
                           applied: list[AppliedMigration]) -> list[AppliedRepeatable]:
        """Run the plan's repeatables after its migrations; on a failure the
        migrations stay applied (``exc.applied``) and so do the repeatables before it."""
        try:
            done = runner.apply_repeatables(the_plan.repeatables)
        except (MigrationFailed, Interrupted) as exc:
            exc.message += (f"\nThe {len(applied)} versioned migration(s) of this run stay "
                            "applied, and so do the repeatables before this one.")
            exc.applied = list(applied)
            raise
        return [AppliedRepeatable(repeatable_mod.name_of(s), s.file.relpath, m.execution_ms)
                for s, m in zip(the_plan.repeatables, done)]

    def _runner(self, the_plan: Plan) -> Runner:
        state = (self.project.git if the_plan.steps or the_plan.repeatables
                 else git_mod.GitState(head=None))
        return Runner(
            self.conn, self.ledger, self.config, state,
            connect=lambda: self._connect(self.url), progress=self.progress,
        )

    def locked(self) -> _Locked:
        """Hold the migration lock (advisory, or the table lock) for a `with` block."""
        return _Locked(self)

    def guarded(self, action: str, options: ChangeOptions | None = None) -> _Guards:
        """The registered features' guards around one change (see :class:`Hooks`)."""
        return _Guards([make(self, action, options or ChangeOptions()) for make in HOOKS.guards])


class _Guards:
    """Every registered guard as one: entered in order, left in reverse order."""

    def __init__(self, guards: list[ChangeGuard]) -> None:
        self.guards = guards
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> _Guards:
        with contextlib.ExitStack() as stack:
            for guard in self.guards:
                stack.enter_context(guard)
            self._stack = stack.pop_all()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool | None:
        return self._stack.__exit__(exc_type, exc, tb)

    def check(self, plan: Plan) -> None:
        for guard in self.guards:
            guard.check(plan)

    def done(self, applied: list[AppliedMigration]) -> None:
        for guard in self.guards:
            guard.done(applied)

    def note(self, versions: list[int], detail: str) -> None:
        for guard in self.guards:
            guard.note(versions, detail)


class _Locked:
    """Hold the migration lock for the duration of a ``with`` block."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.key = lock.key(session.ledger_schema)
        self.table: lock.TableLock | None = None

    def __enter__(self) -> None:
        s = self.session
        if s.config.lock == "table":
            self.table = lock.TableLock(s.ledger_schema, lambda: s._connect(s.url))
            self.table.acquire(s.lock_wait)
        else:
            lock.acquire(s.conn, self.key, s.lock_wait)
        try:
            s._still_located()
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *exc: object) -> None:
        if self.table is not None:
            self.table.release()
            return
        # The connection that took the lock, not a new one: a session-level lock
        # dies with its connection, so a lost connection has nothing to release
        # (and reconnecting here could replace the run's own error).
        conn = self.session._conn
        if conn is None or conn.closed:
            return
        try:
            lock.release(conn, self.key)
        except Exception:  # noqa: BLE001 - a dead connection has released the lock already
            self.session.close()


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
