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
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, time as dtime, timedelta, timezone
from decimal import Decimal
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from .report import CheckFault, CheckOutcome, CheckReport, CheckResult, worst
from .files import DEFAULT_JOBS, DEFAULT_TIMEOUT_MS, CheckFile, load, parse_duration, query_location
from ..core.connection import connect
from ..errors import ConfigError, ConnectionFailed, DatabaseError

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql

    from ..core.ledger import Ledger
    from ..core.project import Project
    from .records import RecordedRun
    from .report import OnFailResult

MAX_ROWS = 1000  # per check: a check is a report, not an export
REQUIRED = ("status", "name", "detail")
VERDICTS = ("PASS", "WARN", "FAIL")
_SAVEPOINT = "sqlmig_check"


@dataclass(frozen=True)
class _Context:
    snapshot: str
    default_timeout_ms: int
    lock_timeout: str
    ledger: Ledger
    ledger_exists: bool
    migration_files: list[dict[str, Any]]


class _Lost(Exception):
    """The worker's connection is gone; the check goes back to the queue."""


class _Worker:
    """One connection running checks one after the other."""

    def __init__(self, conn: psycopg.Connection, ctx: _Context, *, leader: bool) -> None:
        self.conn = conn
        self.ctx = ctx
        self.leader = leader

    def run(self, check: CheckFile) -> CheckOutcome:
        import psycopg

        if check.needs == "ledger" and not self.ctx.ledger_exists:
            return _outcome(check, [CheckResult(
                check.name, check.relpath, check.name, "PASS",
                f'no ledger in schema "{self.ctx.ledger.schema}" yet: no migration was applied',
            )], 0.0)
        begin, end = self._bracket(check)
        try:
            self.conn.execute(begin)
        except psycopg.Error as exc:
            raise _Lost() from exc
        started = time.perf_counter()
        try:
            if check.needs == "ledger":
                cur = self.conn.execute(check.query,
                                        {"migration_files": _jsonb(self.ctx.migration_files)},
                                        prepare=True)
            else:
                # A prepared statement travels in the extended protocol, which
                # refuses more than one command: whatever the file's text, the
                # server runs exactly one statement inside our transaction.
                cur = self.conn.execute(check.query, prepare=True)
            columns = [d.name.lower() for d in cur.description] if cur.description else None
            rows = cur.fetchmany(MAX_ROWS + 1) if columns is not None else []
            error: CheckFault | None = None
        except psycopg.Error as exc:
            if self.conn.broken or self.conn.closed:
                raise _Lost() from exc
            columns, rows, error = None, [], _server_error(check, exc)
        ms = (time.perf_counter() - started) * 1000
        try:
            self.conn.execute(end)
        except psycopg.Error as exc:
            raise _Lost() from exc
        if error is not None:
            return _error(check, error, ms)
        return _rows_to_outcome(check, columns, rows, ms)

    def _bracket(self, check: CheckFile) -> tuple[sql.Composed, sql.SQL]:
        """The statements around a check, each sent as one simple-protocol round trip."""
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
            end = sql.SQL(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; RELEASE SAVEPOINT {_SAVEPOINT}")
        else:
            head = [
                sql.SQL("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
                sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(self.ctx.snapshot)),
            ]
            end = sql.SQL("ROLLBACK")
        return sql.SQL("; ").join(head + settings), end


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
) -> CheckReport:
    """Run ``files`` on up to ``jobs`` connections sharing one snapshot."""
    import psycopg

    started_at = datetime.now(timezone.utc)
    started = time.perf_counter()
    leader = connect(url)
    try:
        try:
            leader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            row = leader.execute("SELECT pg_export_snapshot()").fetchone()
            ledger_exists = (
                ledger.exists(leader) if any(f.needs == "ledger" for f in files) else False
            )
        except psycopg.Error as exc:
            raise DatabaseError(f"cannot start the checks' snapshot: {exc}",
                                sqlstate=exc.sqlstate) from None
        assert row is not None
        ctx = _Context(str(row[0]), default_timeout_ms, lock_timeout, ledger, ledger_exists,
                       migration_files)
        outcomes, used = _dispatch(url, files, ctx, leader, jobs)
    finally:
        leader.close()
    return CheckReport(
        checks=outcomes, started_at=started_at,
        duration_ms=(time.perf_counter() - started) * 1000, env=env, jobs=used,
    )


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

    def work(conn: psycopg.Connection | None, is_leader: bool) -> None:
        if conn is None:
            try:
                conn = connect(url)
            except (ConnectionFailed, DatabaseError):
                return  # fewer connections than asked for: the others share the work
            with conns_lock:
                if stop.is_set():
                    conn.close()
                    return
                conns.append(conn)
                used[0] += 1
        worker = _Worker(conn, ctx, leader=is_leader)
        while not stop.is_set():
            try:
                i = todo.get_nowait()
            except queue.Empty:
                break
            try:
                results[i] = worker.run(files[i])
            except _Lost as exc:
                lost[i] = str(exc.__cause__ or exc).strip()
                todo.put(i)  # another worker (on a live connection) takes it
                break
        if not is_leader:
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
            outcome = _error(check, CheckFault(
                f"the connection was lost while running this check: {lost[i]}" if i in lost
                else "not run: the connections to the database (or the snapshot they share) "
                     "were lost before this check's turn"), 0.0)
        outcomes.append(outcome)
    return outcomes, used[0]


# -- turning rows into results ----------------------------------------------------------------


def _rows_to_outcome(check: CheckFile, columns: list[str] | None, rows: list[tuple[Any, ...]],
                     ms: float) -> CheckOutcome:
    if columns is None:
        return _error(check, CheckFault(
            "the statement returned no rows at all (not a query?). A check is one SELECT "
            "returning the columns status, name and detail."), ms)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        return _error(check, CheckFault(
            f"the query's result lacks the column(s) {', '.join(missing)} (it has "
            f"{', '.join(columns) or 'none'}). Return status, name and detail, e.g. "
            "SELECT 'FAIL' AS status, 'orders.total' AS name, 'negative totals' AS detail ..."),
            ms)
    index = {name: columns.index(name) for name in REQUIRED}
    extra_cols = [(i, c) for i, c in enumerate(columns) if c not in REQUIRED]
    results = []
    for n, row in enumerate(rows[:MAX_ROWS], start=1):
        raw = row[index["status"]]
        status = raw.strip().upper() if isinstance(raw, str) else None
        if status not in VERDICTS:
            return _error(check, CheckFault(
                f"row {n}: status {raw!r} is not PASS, WARN or FAIL (case does not matter)."),
                ms)
        name, detail = row[index["name"]], row[index["detail"]]
        results.append(CheckResult(
            check=check.name, file=check.relpath,
            name=check.name if name is None else str(name),
            status=status, detail="" if detail is None else str(detail),
            extra={c: _plain(row[i]) for i, c in extra_cols}, duration_ms=ms,
        ))
    if len(rows) > MAX_ROWS:
        results.append(CheckResult(
            check.name, check.relpath, f"{check.name}: more than {MAX_ROWS} rows", "WARN",
            f"the check returned more than {MAX_ROWS} rows; only the first {MAX_ROWS} are "
            "reported. Aggregate them (count(*), array_agg(...)[1:5]) into fewer rows.",
            duration_ms=ms,
        ))
    if not results:
        results.append(CheckResult(check.name, check.relpath, check.name, "PASS",
                                   check.description or "nothing found", duration_ms=ms))
    return _outcome(check, results, ms)


def _outcome(check: CheckFile, results: list[CheckResult], ms: float,
             error: CheckFault | None = None) -> CheckOutcome:
    return CheckOutcome(
        check=check.name, file=check.relpath, description=check.description, tags=check.tags,
        status=worst([r.status for r in results]), duration_ms=ms, results=results, error=error,
    )


def _error(check: CheckFile, error: CheckFault, ms: float) -> CheckOutcome:
    where = f"{check.relpath}:{error.line}:{error.column}: " if error.line else ""
    state = f" ({error.sqlstate})" if error.sqlstate else ""
    result = CheckResult(check.name, check.relpath, check.name, "ERROR",
                         f"{where}{error.message}{state}", duration_ms=ms)
    return _outcome(check, [result], ms, error)


def _server_error(check: CheckFile, exc: Exception) -> CheckFault:
    diag = getattr(exc, "diag", None)
    sqlstate = getattr(exc, "sqlstate", None)
    message = (diag.message_primary if diag is not None else None) or str(exc).strip()
    if sqlstate == "57014":
        timeout_ms = check.timeout_ms
        message += (f" (the check's timeout is {timeout_ms} ms)" if timeout_ms else
                    " (raise it with `-- sqlmig: timeout 2min` in the file, or --timeout)")
    elif sqlstate == "25006":
        message += " (checks run in READ ONLY transactions: a check must not write)"
    if diag is not None and diag.message_hint:
        message += f". Hint: {diag.message_hint}"
    position = None
    if diag is not None and diag.statement_position:
        try:
            position = int(diag.statement_position)
        except ValueError:
            position = None
    loc = query_location(check, position)
    return CheckFault(message, sqlstate, *(loc or (None, None)))


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a value from the server (for ``extra`` columns)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date, dtime)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, UUID):
        return str(value)
    return str(value)


def _jsonb(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(value)


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
    connections, each check in a READ ONLY transaction under a statement_timeout.

    ``timeout`` is the default statement timeout of files without a
    ``-- sqlmig: timeout`` directive (60 s).  With ``record`` the results are
    stored in sqlmig_check_runs / sqlmig_check_results and ``run_id`` is set.
    With ``on_fail``, that shell command runs with the JSON report on its
    stdin when a result is FAIL or ERROR (or, with ``strict``, WARN); what it
    did is in ``report.on_fail``.  Failing checks do not raise: inspect
    ``report.ok()``.
    """
    from . import records as check_records
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
