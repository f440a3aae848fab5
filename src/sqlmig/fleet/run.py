"""Fleets: one command migrates, checks and reports on many targets.

A fleet environment names its targets (:mod:`sqlmig.fleet_targets`); each
target runs through its own :class:`~sqlmig.session.Session` with its own
config, so it gets its own lock, ledger, policies, backups and audit rows
exactly as a single-database environment would.

Connection budget.  At most ``jobs`` connections to targets are open at any
moment, plus the one registry connection that reads ``targets_query`` (or the
``targets_schemas`` query), which is closed before any target is touched.
Every connection a target's Session opens goes through a :class:`Lease` on the
shared :class:`Budget`.  A target first reads its ledger on one connection; if
it has pending work it needs, at once:

    1  its session connection (lock, ledger, transactional migrations)
  + 1  with ``lock: table``: the connection holding the lock row
  + 1  if the plan has a no-transaction migration: the runner writes its
       ledger rows on a second connection
  + 1  with ``backup: required``: pg_dump's connection

and takes them all from the budget before it locks anything (releasing its
first slot and waiting for all of them together, so two targets can never
each hold part of what they need and wait for each other).  A target whose
need exceeds ``jobs`` fails with a message saying how many it needs; nothing
is changed on it.  Checks (``check`` and the canary's) use one connection per
target.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import connection
from . import checks as fleet_checks, targets as fleet_targets
from . import report as rep
from ..core.settings import Config
from ..governance.settings import PolicySettings
from ..errors import (
    ConfigError,
    DatabaseError,
    MigrationFailed,
    PolicyRefusal,
    SafetyRefusal,
    SqlmigError,
)
from .report import (
    FleetApplyResult,
    FleetCheckResult,
    FleetStatus,
    TargetCheck,
    TargetCheckResult,
    TargetResult,
    TargetStatus,
)
from .targets import Target
from ..core.project import Project

if TYPE_CHECKING:
    import psycopg

ProjectRef = Project | Path | str | None
Progress = Callable[[TargetResult, int, int], None]  # (result, done, total)
Checker = Callable[[Target, Config], TargetCheck]
DEFAULT_JOBS = 4


# -- the connection budget ------------------------------------------------------------------


class Budget:
    """``capacity`` connection slots shared by every worker of a fleet run."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._free = capacity
        self._cond = threading.Condition()
        self.peak = 0  # the most slots held at once

    def acquire(self, n: int, timeout: float | None = None) -> bool:
        """Take ``n`` slots together, waiting up to ``timeout`` (None: forever)."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._free >= n, timeout):
                return False
            self._take(n)
            return True

    def try_acquire(self, n: int) -> bool:
        with self._cond:
            if self._free < n:
                return False
            self._take(n)
            return True

    def _take(self, n: int) -> None:
        self._free -= n
        self.peak = max(self.peak, self.capacity - self._free)

    def release(self, n: int) -> None:
        with self._cond:
            self._free += n
            self._cond.notify_all()


class Lease:
    """The slots one target holds; opens the target's connections within them.

    Used by one worker thread at a time.  A connection beyond the slots held
    (only when another run changed the ledger between our read and our lock)
    waits for a free slot, up to ``wait`` seconds.
    """

    def __init__(self, budget: Budget, wait: float) -> None:
        self.budget = budget
        self.wait = wait
        self.slots = 0
        self.conns: list[psycopg.Connection] = []

    def grow(self, n: int) -> bool:
        """Hold ``n`` slots if the budget has the extra ones free right now."""
        if n > self.slots and not self.budget.try_acquire(n - self.slots):
            return False
        self.slots = max(self.slots, n)
        return True

    def take(self, n: int) -> None:
        """Hold ``n`` slots, waiting for them.  Call with no connection open: the
        slots held so far are given back first and all ``n`` are taken together,
        so that two targets never each hold part of what they need."""
        if self.grow(n):
            return
        self.budget.release(self.slots)
        self.slots = 0
        self.budget.acquire(n)
        self.slots = n

    def connect(self, url: str) -> psycopg.Connection:
        live = sum(1 for c in self.conns if not c.closed)
        if live >= self.slots:
            if not self.budget.acquire(1, timeout=self.wait):
                raise DatabaseError(
                    f"the connection budget (--jobs {self.budget.capacity}) had no free "
                    f"connection for {self.wait:g} s. Rerun, or raise --jobs."
                )
            self.slots += 1
        conn = connection.connect(url)
        self.conns = [c for c in self.conns if not c.closed] + [conn]
        return conn

    def close(self) -> None:
        for c in self.conns:
            if not c.closed:
                c.close()
        self.conns = []
        self.budget.release(self.slots)
        self.slots = 0


# -- resolving the fleet ----------------------------------------------------------------------


class _Fleet:
    """A project, its fleet environment and the selected targets."""

    def __init__(self, project: ProjectRef, env: str, jobs: int, names: Sequence[str],
                 like: Sequence[str], lock_wait: float | None, *,
                 manifest: bool = True) -> None:
        if jobs < 1:
            raise ConfigError(f"--jobs must be at least 1, not {jobs}.")
        self.project = project if isinstance(project, Project) else Project.find(project)
        self.env = env
        self.cfg = self.project.config(env)
        if not fleet_targets.FleetSettings.of(self.cfg).is_fleet:
            where = self.cfg.path or self.project.config_dir / f"{env}.yaml"
            raise ConfigError(
                f"{where}: environment {env!r} has no targets (targets, targets_query or "
                "targets_schemas); run without the fleet options (--target, --targets-like, "
                "--canary, --wave-size, --fail-fast), or add targets (docs/fleets.md).",
                path=self.cfg.path,
            )
        self.jobs = jobs
        self.lock_wait = self.cfg.lock_wait.seconds if lock_wait is None else lock_wait
        self.budget = Budget(jobs)
        # The one registry connection, opened and closed before any target.
        everything = fleet_targets.resolve(self.project, self.cfg, connection.connect)
        self.targets = fleet_targets.select(everything, names, like)
        self._shared = threading.Lock()
        self._git_read = False
        self._read_project(manifest)

    def _read_project(self, manifest: bool) -> None:
        """What every target reads of the project, read once before the threads
        start: the files (read and hashed) and, for apply and status, the
        manifest compared with them (the Project keeps the report).  A target's
        Session asks the same Project and gets these answers; each target still
        refuses on its own (a changed file, a bad manifest).  A manifest that
        cannot be read at all is left to the targets, which each report the
        error as before."""
        _ = self.project.migrations  # errors here are the fleet's: no target can run
        if not manifest:
            return
        try:
            self.project.manifest_report()  # with the repeatables and checkpoints
        except SqlmigError:
            pass

    def shared_git(self) -> None:
        """Ask git about the project once for the fleet, before a target's first
        migration records its commit: on Python 3.12+, ``cached_property``
        no longer serializes the threads that reach it first, which would each
        run git's subprocesses.  Only targets with work call this, so a fleet
        with nothing pending never runs git."""
        if self._git_read:
            return
        with self._shared:
            _ = self.project.git
            self._git_read = True

    def config_for(self, target: Target) -> Config:
        return fleet_targets.target_config(self.cfg, target, self.project)

    def lease(self) -> Lease:
        return Lease(self.budget, self.lock_wait)

    def run(self, targets: list[Target], work: Callable[[Target], Any],
            stop: threading.Event | None = None,
            skipped: Callable[[Target], Any] | None = None) -> list[Any]:
        """``work`` on every target, ``jobs`` at a time, results in target order.

        Targets not yet started when ``stop`` is set get ``skipped(target)``.
        """
        if not targets:
            return []

        def one(target: Target) -> Any:
            if stop is not None and stop.is_set() and skipped is not None:
                return skipped(target)
            return work(target)

        pool = ThreadPoolExecutor(max_workers=min(self.jobs, len(targets)),
                                  thread_name_prefix="sqlmig-fleet")
        try:
            futures = [pool.submit(one, t) for t in targets]
            return [f.result() for f in futures]
        except BaseException:
            # Ctrl-C: start no more targets; the running ones finish their file.
            if stop is not None:
                stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True)


# -- apply --------------------------------------------------------------------------------------


def apply(
    project: ProjectRef = None,
    env: str = "dev",
    *,
    jobs: int = DEFAULT_JOBS,
    target: Sequence[str] = (),
    targets_like: Sequence[str] = (),
    fail_fast: bool = False,
    canary: int | None = None,
    wave_size: int | None = None,
    to: int | None = None,
    dry_run: bool = False,
    single_transaction: bool = False,
    allow_out_of_order: bool = False,
    lock_wait: float | None = None,
    yes: bool = False,
    emergency: bool = False,
    reason: str | None = None,
    progress: Progress | None = None,
    checker: Checker | None = None,
) -> FleetApplyResult:
    """Apply pending migrations on every selected target, ``jobs`` at a time.

    Each target is applied as by :meth:`Session.apply`; a failing target does
    not stop the others unless ``fail_fast``.  ``canary`` K: apply to the first
    K targets, run the checks (``checker``, by default the project's
    ``sql/checks``) on them, and go on only if both succeeded.  ``wave_size``
    M: the remaining targets in waves of M, stopping after the first wave with
    a failure.  Targets never started are reported ``untouched``.  Targets
    without pending work are only read (no lock, no ledger upgrade, no audit).
    """
    started = time.perf_counter()
    for name, value in (("--canary", canary), ("--wave-size", wave_size)):
        if value is not None and value < 1:
            raise ConfigError(f"{name} must be at least 1, not {value}.")
    fleet = _Fleet(project, env, jobs, target, targets_like, lock_wait)
    if not PolicySettings.of(fleet.cfg).auto_apply and not yes and not dry_run:
        raise PolicyRefusal(
            f"environment {env!r} requires confirmation (auto_apply: false): a fleet apply "
            "does not prompt once per target; pass --yes (yes=True from Python). Nothing was "
            "changed.", policy="confirmation",
        )
    if canary and not dry_run and checker is None:
        checker = fleet_checks.project_checker(
            fleet.project, fleet_checks.canary_checks(fleet.project))
    waves = _waves(fleet.targets, canary, wave_size)
    total = len(fleet.targets)
    done: list[TargetResult] = []
    counter = _Counter(progress, total)
    stop = threading.Event()
    stopped: str | None = None
    options: dict[str, Any] = dict(
        to=to, dry_run=dry_run, single_transaction=single_transaction,
        allow_out_of_order=allow_out_of_order, yes=yes, emergency=emergency, reason=reason,
    )
    for number, wave in waves:
        def work(t: Target, number: int = number) -> TargetResult:
            result = _apply_one(fleet, t, number, **options)
            if fail_fast and not result.ok:
                stop.set()
            return counter(result)

        def skip(t: Target, number: int = number) -> TargetResult:
            return counter(TargetResult(t.name, rep.UNTOUCHED, number))

        results = fleet.run(wave, work, stop, skip)
        if number == 0 and checker is not None and all(r.ok for r in results):
            results = fleet.run(wave, _canary_check(fleet, checker, results))
        done += results
        bad = [r.target for r in results if not r.ok and r.outcome != rep.UNTOUCHED]
        if bad and (fail_fast or canary or wave_size) and not dry_run:
            what = "the canary" if number == 0 else f"wave {number}"
            stopped = (f"--fail-fast: {bad[0]} failed" if fail_fast and not (canary or wave_size)
                       else f"{what} failed on {', '.join(bad)}")
            break
    seen = {r.target for r in done}
    done += [TargetResult(t.name, rep.UNTOUCHED, number) for number, wave in waves
             for t in wave if t.name not in seen]
    if stopped is None and any(r.outcome == rep.UNTOUCHED for r in done):
        stopped = "--fail-fast: a target failed"
    return FleetApplyResult(
        env=env, jobs=jobs, targets=done, duration_ms=_ms(started), canary=canary,
        wave_size=wave_size, stopped=stopped, max_connections=fleet.budget.peak,
    )


def _waves(targets: list[Target], canary: int | None,
           wave_size: int | None) -> list[tuple[int, list[Target]]]:
    out: list[tuple[int, list[Target]]] = []
    rest = targets
    if canary:
        out.append((0, rest[:canary]))
        rest = rest[canary:]
    size = wave_size or max(len(rest), 1)
    out += [(n, rest[i:i + size]) for n, i in enumerate(range(0, len(rest), size), start=1)]
    return out


class _Counter:
    """Counts finished targets for the progress callback (from worker threads)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0
        self._lock = threading.Lock()

    def __call__(self, result: TargetResult) -> TargetResult:
        with self._lock:
            self.done += 1
            if self.progress is not None:
                self.progress(result, self.done, self.total)
        return result


def _apply_one(fleet: _Fleet, target: Target, wave: int, *, to: int | None, dry_run: bool,
               single_transaction: bool, allow_out_of_order: bool, yes: bool, emergency: bool,
               reason: str | None) -> TargetResult:
    from ..core import planner
    from ..core.session import Session

    started = time.perf_counter()
    cfg = fleet.config_for(target)
    lease = fleet.lease()
    session: Session | None = None
    current: int | None = None
    try:
        lease.take(1)
        session = Session(fleet.project, fleet.env, config=cfg, connector=lease.connect,
                          lock_wait=fleet.lock_wait)
        # Read without the lock: a target with nothing to do is not touched.
        st = session.status(allow_out_of_order=allow_out_of_order)
        current = st.current_version
        planner.refuse_on_problems(st, "apply")
        plan = planner.upgrade(st, to=to, known=set(fleet.project.by_version()))
        if not plan.steps:
            return TargetResult(target.name, rep.UP_TO_DATE, wave, current, current,
                                duration_ms=_ms(started))
        names = [s.name for s in plan.steps]
        if dry_run:
            return TargetResult(target.name, rep.WOULD_APPLY, wave, current,
                                plan.target_version, planned=names, duration_ms=_ms(started))
        need, why = _need(cfg, [s.file.transactional for s in plan.steps])
        if need > fleet.budget.capacity:
            raise ConfigError(
                f"this target needs {need} connections at once ({why}) but --jobs is "
                f"{fleet.budget.capacity}: rerun with --jobs {need} or more. Nothing was "
                "changed on it."
            )
        if not lease.grow(need):
            session.close()  # unlocked so far: safe to let go while waiting
            lease.take(need)
        fleet.shared_git()
        result = session.apply(to=to, allow_out_of_order=allow_out_of_order, yes=yes,
                               emergency=emergency, reason=reason,
                               single_transaction=single_transaction)
        outcome = rep.APPLIED if result.applied else rep.UP_TO_DATE
        return TargetResult(target.name, outcome, wave, result.from_version, result.to_version,
                            applied=result.applied, planned=result.planned,
                            duration_ms=_ms(started))
    except (SqlmigError, _psycopg_error()) as exc:
        applied = list(getattr(exc, "applied", None) or [])
        outcome = (rep.REFUSED if isinstance(exc, SafetyRefusal)
                   and not isinstance(exc, MigrationFailed) else rep.FAILED)
        return TargetResult(
            target.name, outcome, wave, current,
            max([current or 0, *(m.version for m in applied)]) or None,
            applied=applied, duration_ms=_ms(started),
            error=_redacted(exc, target), exit_code=getattr(exc, "exit_code", 1),
        )
    finally:
        if session is not None:
            session.close()
        lease.close()


def _need(cfg: Config, transactional: list[bool]) -> tuple[int, str]:
    parts = ["1 session"]
    if cfg.lock == "table":
        parts.append("1 holding the lock row (lock: table)")
    if not all(transactional):
        parts.append("1 for the ledger rows of a no-transaction migration")
    if PolicySettings.of(cfg).backup == "required":
        parts.append("1 for pg_dump (backup: required)")
    return len(parts), " + ".join(parts)


def _psycopg_error() -> type[Exception]:
    import psycopg

    return psycopg.Error


def _redacted(exc: BaseException, target: Target) -> str:
    return connection.redact(str(exc).strip(), connection.password_of(target.database_url))


# -- checks ---------------------------------------------------------------------------------------


def _checked(fleet: _Fleet, checker: Checker, target: Target) -> TargetCheck:
    """One target's checks, holding one slot of the budget while they run."""
    fleet.budget.acquire(1)
    try:
        return checker(target, fleet.config_for(target))
    finally:
        fleet.budget.release(1)


def _canary_check(fleet: _Fleet, checker: Checker,
                  results: list[TargetResult]) -> Callable[[Target], TargetResult]:
    by_name = {r.target: r for r in results}

    def work(target: Target) -> TargetResult:
        import dataclasses

        r = by_name[target.name]
        try:
            verdict = _checked(fleet, checker, target)
        except (SqlmigError, _psycopg_error()) as exc:
            return dataclasses.replace(r, outcome=rep.CHECK_FAILED,
                                       error=f"checks could not run: {_redacted(exc, target)}")
        if verdict.ok:
            return dataclasses.replace(r, check=verdict)
        return dataclasses.replace(r, outcome=rep.CHECK_FAILED, check=verdict,
                                   error="checks failed:\n" + "\n".join(verdict.failing))

    return work


def check(
    project: ProjectRef = None,
    env: str = "dev",
    *,
    jobs: int = DEFAULT_JOBS,
    target: Sequence[str] = (),
    targets_like: Sequence[str] = (),
    only: Sequence[str] = (),
    tags: Sequence[str] = (),
    exclude: Sequence[str] = (),
    builtin: bool = False,
    timeout: str | None = None,
    strict: bool = False,
    record: bool = False,
) -> FleetCheckResult:
    """Run the integrity checks on every selected target (one connection each,
    ``jobs`` targets at a time) and aggregate; see :func:`sqlmig.check`."""
    from ..checks import files as checks

    started = time.perf_counter()
    try:
        timeout_ms = None if timeout is None else checks.parse_duration(timeout)
    except ValueError as exc:
        raise ConfigError(f"--timeout: {exc}.") from None
    fleet = _Fleet(project, env, jobs, target, targets_like, None, manifest=False)
    files = checks.load(fleet.project, builtin=builtin, only=only, tags=tags, exclude=exclude)
    checker = fleet_checks.project_checker(fleet.project, files, timeout_ms=timeout_ms,
                                           strict=strict, record=record)

    def work(t: Target) -> TargetCheckResult:
        try:
            return TargetCheckResult(t.name, _checked(fleet, checker, t))
        except (SqlmigError, _psycopg_error()) as exc:
            return TargetCheckResult(t.name, None, _redacted(exc, t))

    return FleetCheckResult(env, fleet.run(fleet.targets, work), _ms(started))


# -- status ---------------------------------------------------------------------------------------


def status(
    project: ProjectRef = None,
    env: str = "dev",
    *,
    jobs: int = DEFAULT_JOBS,
    target: Sequence[str] = (),
    targets_like: Sequence[str] = (),
) -> FleetStatus:
    """Every selected target's version, pending migrations and problems; changes nothing."""
    from ..core.session import Session

    fleet = _Fleet(project, env, jobs, target, targets_like, None)

    def work(t: Target) -> TargetStatus:
        lease = fleet.lease()
        try:
            lease.take(1)
            with Session(fleet.project, env, config=fleet.config_for(t),
                         connector=lease.connect) as session:
                st = session.status()
        except (SqlmigError, _psycopg_error()) as exc:
            return TargetStatus(t.name, None, 0, [], [], "error", _redacted(exc, t))
        finally:
            lease.close()
        kinds = {p.kind for p in st.problems}
        state = ("failed" if "failed" in kinds else "drifted" if "checksum-drift" in kinds
                 else "problem" if kinds else "behind" if st.pending else "current")
        return TargetStatus(
            t.name, st.current_version, sum(r.done for r in st.applied),
            [m.name for m in st.pending], [f"{p.kind}: {p.message}" for p in st.problems], state,
        )

    latest = max((m.version for m in fleet.project.migrations), default=None)
    return FleetStatus(env, fleet.run(fleet.targets, work), latest)


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


# The names :mod:`sqlmig` exports (``sqlmig.fleet_apply(...)``).
fleet_apply = apply
fleet_status = status
fleet_check = check
