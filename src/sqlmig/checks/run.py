"""Running checks: read-only, under timeouts, in parallel on one snapshot.

A leader connection opens a REPEATABLE READ READ ONLY transaction and
exports its snapshot (``pg_export_snapshot()``).  The snapshot can be
imported only while that transaction is open, so the leader keeps it open
until every worker is done, and meanwhile runs checks itself, each inside a
savepoint: ROLLBACK TO SAVEPOINT undoes an error and the check's SET LOCALs,
and leaves the snapshot in place.  The other ``jobs - 1`` workers (one
thread and one connection each; a psycopg connection is not shared between
threads) run each check in its own READ ONLY REPEATABLE READ transaction
that imports the snapshot with ``SET TRANSACTION SNAPSHOT``, then roll it
back, so a failed check never poisons the worker's next one.

Every check runs under ``statement_timeout`` (its file's ``timeout`` or the
run's default) and ``lock_timeout``: a slow check is cancelled (57014) and a
check waiting behind an ALTER TABLE gives up (55P03) instead of queueing
writers behind it.  The server itself refuses writes in a READ ONLY
transaction (25006).

READ ONLY is not the whole story (``COPY ... TO PROGRAM``, ``dblink_exec``,
a function that traps the cancel), so on top of it: a check that is more
than a query is refused before it runs (``CheckFile.refusal``, reported
ERROR); every connection does ``SET ROLE`` to a read-only role first
(:mod:`sqlmig.checks.role`); and a watchdog (:mod:`sqlmig.checks.watchdog`)
cancels, then terminates, a check that outlives its timeout by a grace
period.  A worker whose connection the watchdog terminated reconnects and
goes on; the leader also exports a new snapshot, which the checks started
after that see.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .report import CheckFault, CheckOutcome, CheckReport, CheckResult
from .files import DEFAULT_JOBS, DEFAULT_TIMEOUT_MS, CheckFile, load, parse_duration
from .outcomes import (
    MAX_ROWS, error_outcome, jsonb, make_outcome, rows_to_outcome, server_error,
)
from .role import IDENTITY, CheckRole, assume, choose, identity_kept
from .watchdog import Watch, Watchdog
from ..core.connection import connect
from ..errors import ConfigError, ConnectionFailed, DatabaseError

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql

    from ..core.ledger import Ledger
    from ..core.project import Project
    from .records import RecordedRun
    from .report import OnFailResult

_SAVEPOINT = "sqlmig_check"


class _Snapshot:
    """The id of the snapshot every check imports; a new leader connection
    (after the watchdog terminated the old one) publishes a new one."""

    def __init__(self, ident: str) -> None:
        self.ident = ident
        self.gone = False  # the leader could not reconnect: no snapshot any more
        self.changed = threading.Condition()

    def publish(self, ident: str | None) -> None:
        with self.changed:
            if ident is None:
                self.gone = True
            else:
                self.ident = ident
            self.changed.notify_all()

    def wait_for_another(self, old: str, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.gone or self.ident != old, timeout) \
                and not self.gone


@dataclass(frozen=True)
class _Context:
    snapshot: _Snapshot
    default_timeout_ms: int
    lock_timeout: str
    ledger: Ledger
    ledger_exists: bool
    migration_files: list[dict[str, Any]]
    role: CheckRole
    watchdog: Watchdog


class _Lost(Exception):
    """The worker's connection is gone; the check goes back to the queue."""


class _Terminated(Exception):
    """The watchdog terminated the check's backend: the check is ERROR and the
    worker needs a new connection."""

    def __init__(self, outcome: CheckOutcome) -> None:
        super().__init__(outcome.results[0].detail)
        self.outcome = outcome


class _Worker:
    """One connection running checks one after the other."""

    def __init__(self, conn: psycopg.Connection, ctx: _Context, *, leader: bool) -> None:
        self.conn = conn
        self.ctx = ctx
        self.leader = leader

    def run(self, check: CheckFile) -> CheckOutcome:
        import psycopg

        if check.refusal is not None:
            return error_outcome(check, check.refusal, 0.0)
        if check.needs == "ledger" and not self.ctx.ledger_exists:
            return make_outcome(check, [CheckResult(
                check.name, check.relpath, check.name, "PASS",
                f'no ledger in schema "{self.ctx.ledger.schema}" yet: no migration was applied',
            )], 0.0)
        self._begin(check)
        timeout_ms = check.timeout_ms or self.ctx.default_timeout_ms
        watch = self.ctx.watchdog.start(self.conn.info.backend_pid, timeout_ms / 1000)
        started = time.perf_counter()
        try:
            if check.needs == "ledger":
                cur = self.conn.execute(check.query,
                                        {"migration_files": jsonb(self.ctx.migration_files)},
                                        prepare=True)
            else:
                # A prepared statement travels in the extended protocol, which
                # refuses more than one command: whatever the file's text, the
                # server runs exactly one statement inside our transaction.
                cur = self.conn.execute(check.query, prepare=True)
            columns = [d.name.lower() for d in cur.description] if cur.description else None
            rows = cur.fetchmany(MAX_ROWS + 1) if columns is not None else []
            error: CheckFault | None = None
            # Still the read-only role?  A function the check called may have
            # switched it (the text itself may not: see checks/files.py).
            changed = identity_kept(self.conn.execute(IDENTITY).fetchone(), self.ctx.role)
            if changed is not None:
                columns, rows, error = None, [], CheckFault(changed)
        except psycopg.Error as exc:
            columns, rows, error = None, [], server_error(check, exc)
            if (self.conn.broken or self.conn.closed) and watch.action is None:
                self.ctx.watchdog.finish(watch)
                raise _Lost() from exc
        finally:
            if not watch.done:
                self.ctx.watchdog.finish(watch)
        ms = (time.perf_counter() - started) * 1000
        if watch.action is not None:
            outcome = error_outcome(check, _overran(watch, self.leader), ms)
            if watch.action == "terminated" or self.conn.broken or self.conn.closed:
                raise _Terminated(outcome)
            self._end()
            return outcome
        self._end()
        if error is not None:
            return error_outcome(check, error, ms)
        return rows_to_outcome(check, columns, rows, ms)

    def _begin(self, check: CheckFile) -> None:
        import psycopg

        old = self.ctx.snapshot.ident
        try:
            self.conn.execute(self._bracket(check))
            return
        except psycopg.Error as exc:
            if self.leader or self.conn.broken or self.conn.closed:
                raise _Lost() from exc
            lost = exc
        # The snapshot is gone with the leader's old connection: wait for the new one.
        try:
            self.conn.execute("ROLLBACK")
        except psycopg.Error as exc:
            raise _Lost() from exc
        if not self.ctx.snapshot.wait_for_another(old, 30):
            raise _Lost() from lost
        try:
            self.conn.execute(self._bracket(check))
        except psycopg.Error as exc:
            raise _Lost() from exc

    def _end(self) -> None:
        import psycopg

        try:
            self.conn.execute(self._closing())
        except psycopg.Error as exc:
            raise _Lost() from exc

    def _bracket(self, check: CheckFile) -> sql.Composed:
        """The statements before a check, sent as one simple-protocol round trip."""
        from psycopg import sql

        timeout_ms = check.timeout_ms or self.ctx.default_timeout_ms
        settings: list[sql.Composable] = [
            sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(f"{timeout_ms}ms")),
            sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(self.ctx.lock_timeout)),
        ]
        if check.needs == "ledger":
            settings.append(sql.SQL("SET LOCAL search_path TO {}, pg_catalog").format(
                sql.Identifier(self.ctx.ledger.schema)))
        head: list[sql.Composable]
        if self.leader:
            head = [sql.SQL(f"SAVEPOINT {_SAVEPOINT}")]
        else:
            head = [
                sql.SQL("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
                sql.SQL("SET TRANSACTION SNAPSHOT {}").format(
                    sql.Literal(self.ctx.snapshot.ident)),
            ]
        return sql.SQL("; ").join(head + settings)

    def _closing(self) -> sql.SQL:
        from psycopg import sql

        if self.leader:
            return sql.SQL(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; RELEASE SAVEPOINT {_SAVEPOINT}")
        return sql.SQL("ROLLBACK")


def _overran(watch: Watch, leader: bool) -> CheckFault:
    done = "cancelled and then terminated" if watch.action == "terminated" else "cancelled"
    message = (f"ran longer than its timeout ({_seconds(watch.timeout_s)}) and was {done} by "
               "sqlmig's watchdog from another connection, after a grace of "
               f"{_seconds(watch.terminate_at - watch.cancel_at)} (something it calls ignores "
               "the statement timeout, e.g. a PL/pgSQL EXCEPTION WHEN query_canceled)")
    if watch.failure:
        message += f"; {watch.failure}"
    if leader and watch.action == "terminated":
        message += ("; its connection held the run's snapshot, so checks started after it "
                    "see a new snapshot")
    return CheckFault(message)


def _seconds(s: float) -> str:
    return f"{s:g} s" if s >= 1 else f"{s * 1000:g} ms"


def run(
    url: str,
    files: list[CheckFile],
    *,
    env: str,
    jobs: int,
    default_timeout_ms: int,
    lock_timeout: str,
    ledger: Ledger,
    migration_files: list[dict[str, Any]],
    check_role: str | None = None,
) -> CheckReport:
    """Run ``files`` on up to ``jobs`` connections sharing one snapshot, as the
    read-only role :func:`sqlmig.checks.role.choose` picks (``check_role``:
    the configured one)."""
    started_at = datetime.now(timezone.utc)
    started = time.perf_counter()
    leader = connect(url)
    try:
        role = choose(leader, check_role)
        snapshot = _lead(leader, role)
        ledger_exists = _ledger_exists(leader, ledger, files)
        with Watchdog(url) as watchdog:
            ctx = _Context(_Snapshot(snapshot), default_timeout_ms, lock_timeout, ledger,
                           ledger_exists, migration_files, role, watchdog)
            outcomes, used = _dispatch(url, files, ctx, leader, jobs)
    finally:
        leader.close()
    if role.warning is not None:
        outcomes.insert(0, CheckOutcome(
            check=ROLE_CHECK, file="", description="the role the checks run as", tags=(),
            status="WARN", duration_ms=0.0,
            results=[CheckResult(ROLE_CHECK, "", ROLE_CHECK, "WARN", role.warning)]))
    return CheckReport(
        checks=outcomes, started_at=started_at,
        duration_ms=(time.perf_counter() - started) * 1000, env=env, jobs=used, role=role.name,
    )


ROLE_CHECK = "sqlmig/check_role"  # the WARN result of checks run as the login itself


def _lead(conn: psycopg.Connection, role: CheckRole) -> str:
    """Become the read-only role, open the run's transaction, export its snapshot."""
    import psycopg

    assume(conn, role)
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot start the checks' snapshot: {exc}",
                            sqlstate=exc.sqlstate) from None
    assert row is not None
    return str(row[0])


def _ledger_exists(conn: psycopg.Connection, ledger: Ledger, files: list[CheckFile]) -> bool:
    import psycopg

    if not any(f.needs == "ledger" and f.refusal is None for f in files):
        return False
    try:
        return ledger.exists(conn)
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot start the checks' snapshot: {exc}",
                            sqlstate=exc.sqlstate) from None


def _dispatch(url: str, files: list[CheckFile], ctx: _Context, leader: psycopg.Connection,
              jobs: int) -> tuple[list[CheckOutcome], int]:
    todo: queue.Queue[int] = queue.Queue()
    for i in range(len(files)):
        todo.put(i)
    results: list[CheckOutcome | None] = [None] * len(files)
    lost: dict[int, str] = {}
    stop = threading.Event()
    conns: list[psycopg.Connection] = [leader]
    conns_lock = threading.Lock()
    used = [1]

    def open_worker(is_leader: bool) -> psycopg.Connection | None:
        try:
            conn = connect(url)
            assume(conn, ctx.role)
            if is_leader:
                ctx.snapshot.publish(_lead(conn, ctx.role))
        except (ConnectionFailed, DatabaseError):
            if is_leader:
                ctx.snapshot.publish(None)
            return None
        with conns_lock:
            if stop.is_set():
                conn.close()
                return None
            conns.append(conn)
        return conn

    def work(conn: psycopg.Connection | None, is_leader: bool) -> None:
        if conn is None:
            conn = open_worker(False)
            if conn is None:
                return  # fewer connections than asked for: the others share the work
            with conns_lock:
                used[0] += 1
        worker = _Worker(conn, ctx, leader=is_leader)
        while not stop.is_set():
            try:
                i = todo.get_nowait()
            except queue.Empty:
                break
            try:
                results[i] = worker.run(files[i])
            except _Terminated as exc:
                results[i] = exc.outcome
                conn.close()
                reopened = open_worker(is_leader)
                if reopened is None:
                    break
                conn = reopened
                worker = _Worker(conn, ctx, leader=is_leader)
            except _Lost as exc:
                lost[i] = str(exc.__cause__ or exc).strip()
                todo.put(i)  # another worker (on a live connection) takes it
                break
        if conn is not leader:
            conn.close()

    threads = [threading.Thread(target=work, args=(leader, True), name="sqlmig-check-0")]
    threads += [
        threading.Thread(target=work, args=(None, False), name=f"sqlmig-check-{n}")
        for n in range(1, min(jobs, len(files)))
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    except BaseException:
        # Ctrl-C: stop handing out checks and cancel the running queries.
        stop.set()
        with conns_lock:
            for c in conns:
                if not c.closed:
                    c.cancel()
        for t in threads:
            t.join()
        raise
    outcomes = []
    for i, check in enumerate(files):
        outcome = results[i]
        if outcome is None:
            outcome = error_outcome(check, CheckFault(
                f"the connection was lost while running this check: {lost[i]}" if i in lost
                else "not run: the connections to the database (or the snapshot they share) "
                     "were lost before this check's turn"), 0.0)
        outcomes.append(outcome)
    return outcomes, used[0]


# -- the public API ---------------------------------------------------------------------


def check(
    project: Project | Path | str | None = None,
    env: str = "dev",
    database_url: str | None = None,
    *,
    jobs: int = DEFAULT_JOBS,
    only: Iterable[str] = (),
    tags: Iterable[str] = (),
    exclude: Iterable[str] = (),
    builtin: bool = False,
    record: bool = False,
    timeout: str | None = None,
    on_fail: str | None = None,
    strict: bool = False,
) -> CheckReport:
    """Run the integrity checks of ``sql/checks`` (and, with ``builtin``, the
    generic ones) on one snapshot of ``env``'s database, on up to ``jobs``
    connections, each check in a READ ONLY transaction under a statement_timeout,
    as a read-only role (the environment's ``check_role:``, else sqlmig_checker,
    else pg_read_all_data; a superuser login with neither is refused with
    ConfigError).  A check that is more than a query is reported ERROR without
    running; one that outlives its timeout is cancelled, then terminated.

    ``timeout`` is the default statement timeout of files without a
    ``-- sqlmig: timeout`` directive (60 s).  With ``record`` the results are
    stored in sqlmig_check_runs / sqlmig_check_results and ``run_id`` is set.
    With ``on_fail``, that shell command runs with the JSON report on its
    stdin when a result is FAIL or ERROR (or, with ``strict``, WARN); what it
    did is in ``report.on_fail``.  Failing checks do not raise: inspect
    ``report.ok()``.
    """
    from . import records as check_records
    from . import settings as check_settings
    from ..core.ledger import Ledger, located
    from ..core.project import Project

    if jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, not {jobs}.")
    try:
        default_ms = DEFAULT_TIMEOUT_MS if timeout is None else parse_duration(timeout)
    except ValueError as exc:
        raise ConfigError(f"--timeout: {exc}.") from None
    proj = project if isinstance(project, Project) else Project.find(project)
    files = load(proj, builtin=builtin, only=only, tags=tags, exclude=exclude)
    cfg = proj.config(env, database_url)
    url = proj.database_url(cfg)
    cfg = located(cfg, url)  # before the lock `record` takes, which follows the schema
    ledger_files = (
        [{"version": m.version, "name": m.name, "checksum": m.up.checksum}
         for m in proj.migrations]
        if any(f.needs == "ledger" for f in files) else []
    )
    report = run(
        url, files, env=env, jobs=jobs, default_timeout_ms=default_ms,
        lock_timeout=cfg.lock_timeout.postgres() if cfg.lock_timeout else "5s",
        ledger=Ledger(cfg.schema),
        migration_files=ledger_files,
        check_role=check_settings.of(cfg).check_role,
    )
    if record:
        report = check_records.record(url, cfg, report)
    if on_fail and not report.ok(strict):
        report = report.with_(on_fail=run_on_fail(report, on_fail, strict=strict, url=url))
    return report


ON_FAIL_TIMEOUT = 60.0


def run_on_fail(report: CheckReport, command: str, *, strict: bool = False,
                url: str | None = None) -> OnFailResult:
    """Run ``command`` through the shell with the JSON report on its stdin.

    The command is the user's own (CLI option or script), hence the shell.  Its
    environment is ours minus anything holding the database password, so a
    paging hook cannot leak it.
    """
    import os
    import subprocess

    from .report import OnFailResult, to_json
    from ..core.connection import password_of

    secret = password_of(url) if url else None
    env = {
        k: v for k, v in os.environ.items()
        if k != "PGPASSWORD" and not (secret and secret in v)
    }
    env["SQLMIG_CHECK_STATUS"] = "ERROR" if report.summary.errored else (
        "FAIL" if report.summary.failed else "WARN")
    try:
        done = subprocess.run(
            command, shell=True, input=to_json(report, strict=strict), text=True,
            capture_output=True, env=env, timeout=ON_FAIL_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        return OnFailResult(command, None, f"still running after {ON_FAIL_TIMEOUT:g} s; killed")
    except OSError as exc:
        return OnFailResult(command, None, f"cannot start: {exc.strerror}")
    if done.returncode != 0:
        return OnFailResult(command, done.returncode, f"exit status {done.returncode}",
                            done.stderr[-2000:])
    return OnFailResult(command, 0, None, done.stderr[-2000:])


def check_history(
    project: Project | Path | str | None = None,
    env: str = "dev",
    database_url: str | None = None,
    *,
    limit: int = 10,
) -> list[RecordedRun]:
    """The last ``limit`` recorded runs (``check(record=True)``), newest first,
    each with what changed since the run before it."""
    from . import records as check_records
    from ..core.ledger import located
    from ..core.project import Project

    proj = project if isinstance(project, Project) else Project.find(project)
    cfg = proj.config(env, database_url)
    url = proj.database_url(cfg)
    return check_records.history(url, located(cfg, url).schema, limit=limit)
