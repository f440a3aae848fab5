"""``sqlmig verify``: prove on a scratch database that every rollback reverses
its migration exactly and that the migration can then be applied again.

For each migration, in order, on one scratch database created (and dropped)
on a scratch server (:mod:`sqlmig.schema.scratch`: the ``scratch:`` key; the
environment's own server only with ``scratch: same-server``)::

    S0 = snapshot; apply up; S1 = snapshot; apply rollback; S2 = snapshot
    require S2 == S0                (the rollback restores the schema)
    apply up again; S3 = snapshot
    require S3 == S1                (the migration is re-appliable, identically)

S3 is the next migration's S0, so a run takes three snapshots per migration.
They are *fingerprints* (:func:`sqlmig.schema.snapshot.fingerprint`: the
catalog queries of a detailed snapshot, hashed in the server in one
statement, on a connection of verify's own): equal fingerprints mean equal
snapshots, so a migration whose fingerprints match passes without a detailed
snapshot being built.  When one differs, the scratch database is rebuilt up
to the migration before and the round trip runs again with detailed
snapshots, whose differences are the verdict (and its words); after
``DETAIL_AFTER`` such rebuilds the remaining migrations are proven with
detailed snapshots directly.  Files run through the same
:class:`~sqlmig.runner.Runner` as ``apply``, in their own transactions.
Migrations marked ``-- sqlmig: irreversible <reason>`` are applied but not
rolled back, and listed; so are migrations without a rollback file (status
``no rollback``: nothing to prove, not a failure; ``sqlmig lint`` reports the
missing file), and no snapshot is taken around either.  When no migration has
a rollback file, nothing is applied at all: the result says so at once
(:attr:`VerifyResult.nothing_to_prove`).  After any failed verdict (a
rollback or re-apply that fails or leaves the schema wrong), the scratch
database is rebuilt up to that migration, so the following ones are verified
on what the ups alone make.

Repeatable migrations (sql/repeatable) are then proven re-applicable at the
newest version, when the range reaches it: each, in file-name order, is
applied once (R1 = snapshot and row counts), then again (R2), and R2 must
equal R1: a second application that fails (``CREATE TABLE`` without ``IF NOT
EXISTS``), changes the schema or changes a table's row count (an ``INSERT``
without ``ON CONFLICT``) fails the repeatable.  The per-migration round trips
above run without them.

``with_data`` then loads seed data at the newest verified version and walks
back down: for each migration, row counts per table before the rollback,
after it, and after re-applying; a table that has fewer rows flags the
rollback (data it does not restore).
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.settings import Config
from ..core.connection import connect, redact
from ..errors import ConfigError, DatabaseError, MigrationFailed
from ..core.files import Migration
from ..core.repeatable import Repeatable
from ..core.project import Project
from . import scratch as scratch_mod
from .scratch import Scratch, with_dbname
from .snapshot import Fingerprint, Fingerprinter, Snapshot, SnapshotDiff, diff, take
from .settings import SchemaSettings

if TYPE_CHECKING:
    import psycopg

    from ..core.runner import Runner

DEFAULT_SEED = "demo/seed.py"
# A connection lost, or its server process ended by an administrator or a
# shutdown: the scratch database's failure, never a verdict on a file.
_LOST = re.compile(r"^(?:08...|57P0[123])$")
NO_ROLLBACK = "no rollback"
DEFAULT_SCALE = 0.01
__all__ = ["MigrationCheck", "RepeatableCheck", "Scratch", "VerifyResult", "build", "verify",
           "verify_migrations", "with_dbname"]


# -- replaying files ----------------------------------------------------------------------


class Migrator:
    """Runs single migration files on one database through the ordinary runner."""

    def __init__(self, url: str, config: Config) -> None:
        from ..core.git import GitState
        from ..core.ledger import Ledger
        from ..core.runner import Runner

        self.url = url
        self.config = config
        self.conn = connect(url)
        self.ledger = Ledger(config.schema)
        try:
            self.ledger.ensure(self.conn)
        except BaseException:
            self.conn.close()
            raise
        self.snapshots = 0  # schema states captured: fingerprints and detailed snapshots
        self.runner: Runner = Runner(self.conn, self.ledger, config, GitState(head=None),
                                     connect=lambda: connect(url))
        # verify's own fingerprints and snapshots, on a connection that runs no
        # migration (opened at the first one): no file's session settings reach
        # what it reads, and its prepared statement outlives the files' DROPs.
        self._inspector: Fingerprinter | None = None

    def up(self, m: Migration) -> None:
        self._run("up", m)

    def down(self, m: Migration) -> None:
        self._run("down", m)

    def _run(self, direction: str, m: Migration) -> None:
        from ..core.planner import Plan, Step

        f = m.up if direction == "up" else m.down
        assert f is not None
        try:
            self.runner.apply(Plan(direction, [Step(m, f)]))
        except MigrationFailed as exc:
            if exc.sqlstate is not None and _LOST.match(exc.sqlstate):
                # The scratch database's connection, not the file: no verdict.
                raise DatabaseError(f"verify stopped: the connection to the scratch database "
                                    f"was lost while {f.relpath} ran: {_short(exc)}",
                                    sqlstate=exc.sqlstate) from None
            raise

    def repeatable(self, rep: Repeatable) -> None:
        """Run a repeatable migration, whether or not it ran before."""
        self.runner.apply_repeatables([rep.step()])

    def snapshot(self, privileges: bool = False) -> Snapshot:
        self.snapshots += 1
        return take(self.conn, ledger_schema=self.config.schema, privileges=privileges)

    def fingerprint(self) -> Fingerprint:
        """The server-side digest of what :meth:`detail` would return: equal
        fingerprints, equal snapshots."""
        self.snapshots += 1
        return self._inspect().fingerprint()

    def detail(self) -> Snapshot:
        """The snapshot verify compares (no privileges), read where
        :meth:`fingerprint` reads."""
        self.snapshots += 1
        return self._inspect().take()

    def _inspect(self) -> Fingerprinter:
        if self._inspector is None:
            self._inspector = Fingerprinter(self.url, ledger_schema=self.config.schema)
        return self._inspector

    def close(self) -> None:
        self.runner.close()
        self.conn.close()
        if self._inspector is not None:
            self._inspector.close()
            self._inspector = None


def build(url: str, config: Config, migrations: list[Migration],
          stopped: Callable[[], bool] | None = None) -> Migrator:
    """Apply ``migrations`` (up files, in order) to the database at ``url``;
    ``stopped`` is asked before each (:class:`_Stopped`)."""
    mig = Migrator(url, config)
    try:
        for m in migrations:
            if stopped is not None and stopped():
                raise _Stopped
            mig.up(m)
    except BaseException:
        mig.close()
        raise
    return mig


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MigrationCheck:
    """The verdict on one migration."""

    version: int
    name: str
    status: str  # "pass" | "fail" | "skipped" (irreversible) | "no rollback" | "not verified"
    rollback: list[str] = field(default_factory=list)  # S2 vs S0: what the rollback left wrong
    reapply: list[str] = field(default_factory=list)  # S3 vs S1: what re-applying changed
    errors: list[str] = field(default_factory=list)  # a file that failed, a missing rollback
    data: list[str] = field(default_factory=list)  # rows lost across the round trip
    reason: str | None = None  # why it was skipped
    duration_ms: int = 0

    @property
    def problems(self) -> list[str]:
        return [*self.errors, *(f"rollback: {p}" for p in self.rollback),
                *(f"re-apply: {p}" for p in self.reapply), *(f"data: {p}" for p in self.data)]


@dataclass(frozen=True)
class RepeatableCheck:
    """The verdict on one repeatable migration: applied twice, same result?"""

    name: str
    file: str  # relative to sql/
    status: str  # "pass" | "fail"
    differences: list[str] = field(default_factory=list)  # second application vs first
    errors: list[str] = field(default_factory=list)  # an application that failed
    duration_ms: int = 0


@dataclass(frozen=True)
class VerifyResult:
    checks: list[MigrationCheck]
    scratch_database: str
    with_data: bool
    snapshots: int  # schema states captured: fingerprints and detailed snapshots
    duration_ms: int
    seed: str | None = None  # the seed script used with --with-data
    scratch_server: str = ""  # where the replay ran (no password)
    repeatables: list[RepeatableCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status in ("pass", "skipped", NO_ROLLBACK) for c in self.checks) and all(
            r.status == "pass" for r in self.repeatables)

    @property
    def nothing_to_prove(self) -> bool:
        """No migration had a rollback to prove (none was applied) and no
        repeatable was proven."""
        return all(c.status in ("skipped", NO_ROLLBACK) for c in self.checks) and \
            not self.repeatables

    def named(self, status: str) -> list[str]:
        return [c.name for c in self.checks if c.status == status]


# -- the round trip ----------------------------------------------------------------------


def verify(
    project: Project,
    config: Config,
    url: str,
    *,
    from_version: int | None = None,
    to_version: int | None = None,
    with_data: bool = False,
    seed_script: str | None = None,
    scale: float = DEFAULT_SCALE,
    jobs: int = 1,
) -> VerifyResult:
    """Verify the migrations between ``from_version`` and ``to_version`` (inclusive)
    on a scratch database of the scratch server chosen for the target at ``url``;
    with ``jobs`` above 1, in that many ranges at once (:func:`_in_ranges`)."""
    if jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, not {jobs}.")
    started = time.perf_counter()
    every = project.migrations
    lo = from_version if from_version is not None else -1
    hi = to_version if to_version is not None else float("inf")
    if lo > hi:
        raise ConfigError(f"--from {from_version} is above --to {to_version}.")
    before = [m for m in every if m.version < lo]
    targets = [m for m in every if lo <= m.version <= hi]
    # Repeatables are written against the newest schema: proven only there.
    repeatables = project.repeatables if not every or every[-1].version <= hi else []
    if not any(_provable(m) for m in targets) and not repeatables:
        # Applying and snapshotting everything would prove nothing: say so at once.
        return VerifyResult([_unprovable(m) for m in targets], "", with_data, 0, _ms(started))
    seed = _seed_function(project, config, seed_script, scale) if with_data else None
    target = scratch_mod.target_facts(url)
    server = scratch_mod.choose(project, config, url, target)
    files = [m.up for m in [*before, *targets]] + [m.down for m in targets
                                                   if _provable(m) and m.down is not None]
    files += [r.file for r in repeatables]
    # Roles, databases or tablespaces made by the files are the whole server's:
    # ranges replayed at once would make and drop them under each other.
    parallel = jobs > 1 and not scratch_mod.server_wide_statements(files)
    import psycopg

    proven: list[RepeatableCheck] = []
    try:
        with scratch_mod.replay(server, files, target, "sqlmig_verify") as scratch:
            if parallel:
                checks, mig, snaps = _in_ranges(scratch, config, before, targets, jobs)
            else:
                checks, mig, snaps = _round_trips(scratch, config, before, targets)
            try:
                if mig is not None:
                    proven = [_twice(mig, r) for r in repeatables]
                if seed is not None and mig is not None:
                    checks = _data_pass(mig, checks, targets, seed[1])
                snaps += mig.snapshots if mig is not None else 0
            finally:
                if mig is not None:
                    mig.close()
    except psycopg.Error as exc:
        # A connection to a scratch database lost or refused mid-run (a
        # migration's own failure is a verdict, not this): sqlmig's error.
        raise DatabaseError(
            f"verify stopped: the scratch server {server.where} failed: "
            f"{redact(str(exc).strip())} ({exc.sqlstate}). The target database was not "
            "touched and the scratch databases are dropped: run verify again.",
            sqlstate=exc.sqlstate) from None
    return VerifyResult(checks, scratch.name, with_data, snaps, _ms(started),
                        seed[0] if seed else None, scratch_server=server.where,
                        repeatables=proven)


def _twice(mig: Migrator, rep: Repeatable) -> RepeatableCheck:
    """Apply ``rep`` twice: the second application must succeed and leave the
    schema and every table's row count as the first left them."""
    started = time.perf_counter()
    label = rep.file.relpath

    def failed(error: str) -> RepeatableCheck:
        return RepeatableCheck(rep.name, label, "fail", errors=[error],
                               duration_ms=_ms(started))

    try:
        mig.repeatable(rep)
    except MigrationFailed as exc:
        return failed(f"first application fails: {_short(exc)}")
    s1, c1 = mig.snapshot(), row_counts(mig.conn, mig.config.schema)
    try:
        mig.repeatable(rep)
    except MigrationFailed as exc:
        return failed(f"second application fails: {_short(exc)}")
    s2, c2 = mig.snapshot(), row_counts(mig.conn, mig.config.schema)
    found = _words(diff(s1, s2), "appears")
    found += [f"{_table(t)} has {c2.get(t, 0)} rows after the second application, "
              f"{n} after the first" for t, n in sorted(c1.items()) if c2.get(t, 0) != n]
    return RepeatableCheck(rep.name, label, "fail" if found else "pass", differences=found,
                           duration_ms=_ms(started))


# After this many fingerprint mismatches (each costs a rebuild of the scratch
# database), the remaining migrations compare detailed snapshots directly.
DETAIL_AFTER = 2


class _Stopped(Exception):
    """A range ends early: the run was interrupted in another thread."""


def _round_trips(
    scratch: Scratch, config: Config, before: list[Migration], targets: list[Migration],
    stopped: Callable[[], bool] | None = None,
) -> tuple[list[MigrationCheck], Migrator | None, int]:
    """(verdicts, the migrator at the newest migration or None if one failed to apply,
    snapshots taken by migrators already closed).

    Each provable migration is first proven with fingerprints (:func:`_quick`).
    When one differs, the scratch database is rebuilt up to the migration before
    and the round trip runs again with detailed snapshots (:func:`_round_trip`),
    whose differences are the verdict; after :data:`DETAIL_AFTER` such rebuilds
    every later migration is proven with detailed snapshots, without rebuilds.
    ``stopped`` is asked before each migration; when it says so the run ends
    with :class:`_Stopped` (another range's interruption)."""
    mig = build(scratch.url, config, before, stopped)
    taken = 0
    done: list[Migration] = list(before)
    checks: list[MigrationCheck] = []
    # Of the schema before the next migration, taken only before one that has a
    # rollback to prove: a fingerprint, or (detailed) a snapshot.
    f0: Fingerprint | None = None
    s0: Snapshot | None = None
    mismatches = 0
    try:
        for index, m in enumerate(targets):
            if stopped is not None and stopped():
                raise _Stopped
            started = time.perf_counter()
            if not _provable(m):
                check, _, next_step = _round_trip(mig, m, None)
                f0 = s0 = None
            elif mismatches >= DETAIL_AFTER:
                if s0 is None:
                    s0 = mig.detail()
                check, s0, next_step = _round_trip(mig, m, s0)
            else:
                if f0 is None:
                    f0 = mig.fingerprint()
                check, f0, next_step = _quick(mig, m, f0)
                if next_step == "detail":
                    mismatches += 1
                    taken += mig.snapshots
                    mig.close()
                    if stopped is not None and stopped():
                        raise _Stopped
                    scratch.recreate()
                    mig = build(scratch.url, config, done, stopped)
                    check, s0, next_step = _round_trip(mig, m, mig.detail())
                    if mismatches < DETAIL_AFTER:
                        s0 = None  # fingerprints again from the next migration on
            checks.append(replace(check, duration_ms=_ms(started)))
            done.append(m)
            if next_step == "continue" and check.status == "fail":
                # Up, down and up again left the schema wrong: the next migration
                # starts from what the ups alone make, as after any failure.
                next_step = "rebuild"
            if next_step == "continue":
                continue
            taken += mig.snapshots
            mig.close()
            if next_step == "stop":
                # Later migrations build on this one: none of them can be verified.
                checks += [MigrationCheck(n.version, n.name, "not verified",
                                          reason=f"{m.name} failed to apply")
                           for n in targets[index + 1:]]
                return checks, None, taken
            if stopped is not None and stopped():
                raise _Stopped
            scratch.recreate()
            mig = build(scratch.url, config, done, stopped)
            f0 = s0 = None
    except BaseException:
        mig.close()
        raise
    return checks, mig, taken


# What a range's proof returns: _round_trips' verdicts, migrator and snapshots,
# and why the range's database could not be brought to the state below it.
Outcome = tuple[list[MigrationCheck], "Migrator | None", int, "str | None"]


def _in_ranges(
    scratch: Scratch, config: Config, before: list[Migration], targets: list[Migration],
    jobs: int,
) -> tuple[list[MigrationCheck], Migrator | None, int]:
    """:func:`_round_trips` of ``targets`` split into up to ``jobs`` consecutive
    ranges with as many provable migrations each (:func:`_split`), proven at
    once, each on a scratch database of its own; the last range on ``scratch``,
    whose migrator is returned for what runs at the newest version.  A range's
    database is first brought to the state below it by applying the migrations
    there, which is the state :func:`_round_trips` rebuilds after any failure.
    A migration that fails to apply leaves every later one "not verified", in
    its own range and in the ranges above.  A signal in this thread (Ctrl-C,
    SIGTERM) or an error in one range stops every range at once."""
    import threading
    from concurrent.futures import Future, ThreadPoolExecutor, wait

    ranges = _split(targets, jobs)
    if len(ranges) == 1:
        return _round_trips(scratch, config, before, targets)
    others = [Scratch(scratch.url, "sqlmig_verify") for _ in ranges[:-1]]
    names = [scratch.name, *(o.name for o in others)]
    stop = threading.Event()

    def stop_all() -> None:
        if not stop.is_set():
            stop.set()
            _cancel(scratch, names)

    def prove(index: int) -> Outcome:
        below = [*before, *(m for r in ranges[:index] for m in r)]
        where = scratch if index == len(ranges) - 1 else others[index].create()
        try:
            return (*_round_trips(where, config, below, ranges[index], stop.is_set), None)
        except MigrationFailed as exc:
            if index == 0 or stop.is_set():
                raise  # below --from (as without ranges), or cancelled by the stop
            # A migration below this range fails to apply on a database the ups
            # alone made: the range that holds it says so, or (when it passed
            # there) this range says why it cannot be verified.
            return [], None, 0, _short(exc)

    first_error: list[BaseException] = []  # the one that stopped the others
    lock = threading.Lock()

    def on_done(future: Future[Outcome]) -> None:
        error = future.exception()
        if error is None or isinstance(error, _Stopped):
            return
        with lock:
            if first_error or stop.is_set():
                return  # an error of the stop itself (a cancelled statement)
            first_error.append(error)
        stop_all()  # one range failed: the others stop too

    interrupted: BaseException | None = None
    futures: list[Future[Outcome]] = []
    try:
        with ThreadPoolExecutor(max_workers=len(ranges),
                                thread_name_prefix="sqlmig-verify") as pool:
            futures = [pool.submit(prove, i) for i in range(len(ranges))]
            for future in futures:
                future.add_done_callback(on_done)
            # Wait for every range, whatever arrives meanwhile: a signal stops
            # them (the first one is raised once all have ended), a second one
            # changes nothing.
            while True:
                try:
                    wait(futures)
                    break
                except KeyboardInterrupt as exc:
                    interrupted = interrupted or exc
                    try:
                        stop_all()
                    except KeyboardInterrupt:
                        pass
        if interrupted is not None:
            raise interrupted
        if first_error:
            raise first_error[0]
        outcomes = [f.result() for f in futures]
        checks: list[MigrationCheck] = []
        taken = 0
        stopped: str | None = None
        for index, (found, mig, snaps, unbuilt) in enumerate(outcomes):
            taken += snaps + (mig.snapshots if mig is not None else 0)
            if stopped is None and unbuilt is not None:
                stopped = f"the migrations below it fail to apply on a new database: {unbuilt}"
            if stopped is not None:
                checks += [MigrationCheck(m.version, m.name, "not verified", reason=stopped)
                           for m in ranges[index]]
                continue
            checks += found
            if mig is None:  # a migration of this range failed to apply: the last
                failed = [c for c in found if c.status != "not verified"][-1]  # verdict
                stopped = f"{failed.name} failed to apply"
        last = outcomes[-1][1]
        if last is not None and stopped is None:
            taken -= last.snapshots  # counted by the caller, with what it adds
            futures.pop()  # kept open for the caller
            return checks, last, taken
        return checks, None, taken
    finally:
        for future in futures:
            migrator = future.result()[1] if future.done() and not future.exception() else None
            if migrator is not None:
                migrator.close()
        dropped: BaseException | None = None
        for other in others:
            try:
                other.drop()
            except BaseException as exc:  # noqa: BLE001 - every one is tried; the first raised
                dropped = dropped or exc
        if dropped is not None and sys.exc_info()[1] is None:
            raise dropped


def _cancel(scratch: Scratch, names: list[str]) -> None:
    """Cancel what runs in the databases ``names`` (every range's) on the scratch
    server: each range's statement fails at once and the range stops before its
    next migration.  Best effort: the databases are dropped WITH (FORCE) anyway."""
    import psycopg

    try:
        with connect(scratch.admin_url) as conn:
            conn.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                         " WHERE datname = ANY(%s) AND pid <> pg_backend_pid()", (names,))
    except psycopg.Error:
        pass


def _split(targets: list[Migration], jobs: int) -> list[list[Migration]]:
    """``targets`` in up to ``jobs`` consecutive, non-empty ranges holding as
    many provable migrations each (a range without one would prove nothing)."""
    provable = [i for i, m in enumerate(targets) if _provable(m)]
    count = min(jobs, len(provable))
    if count <= 1:
        return [targets]
    # Range k starts at its first provable migration; the first starts at 0.
    starts = [0] + [provable[len(provable) * k // count] for k in range(1, count)]
    return [targets[a:b] for a, b in zip(starts, [*starts[1:], len(targets)])]


def _quick(mig: Migrator, m: Migration, f0: Fingerprint
           ) -> tuple[MigrationCheck, Fingerprint | None, str]:
    """The round trip of a provable migration with fingerprints: (verdict, the
    fingerprint after it, what next: "continue", "rebuild", "stop", or "detail"
    when a fingerprint differs and detailed snapshots must say how)."""
    try:
        mig.up(m)
    except MigrationFailed as exc:
        return _failed(m, f"up fails: {_short(exc)}"), None, "stop"
    f1 = mig.fingerprint()
    try:
        mig.down(m)
    except MigrationFailed as exc:
        return _failed(m, f"rollback fails: {_short(exc)}"), None, "rebuild"
    if mig.fingerprint() != f0:
        return _failed(m, "the rollback does not restore the schema"), None, "detail"
    try:
        mig.up(m)
    except MigrationFailed as exc:
        # The rollback restored the schema (equal fingerprints): nothing to list there.
        return _failed(m, f"re-apply fails: {_short(exc)}"), None, "rebuild"
    f3 = mig.fingerprint()
    if f3 != f1:
        return _failed(m, "re-applying changes the schema"), None, "detail"
    return MigrationCheck(m.version, m.name, "pass"), f3, "continue"


def _provable(m: Migration) -> bool:
    return m.down is not None and m.irreversible is None


def _unprovable(m: Migration) -> MigrationCheck:
    if m.irreversible is not None:
        return MigrationCheck(m.version, m.name, "skipped", reason=m.irreversible)
    return MigrationCheck(m.version, m.name, NO_ROLLBACK,
                          reason=f"no rollback file (sql/rollbacks/{m.name}.sql)")


def _round_trip(mig: Migrator, m: Migration, s0: Snapshot | None
                ) -> tuple[MigrationCheck, Snapshot | None, str]:
    """(verdict, the snapshot after it (None when none was needed), what next:
    "continue", "rebuild" the scratch database up to this migration, or "stop")."""
    try:
        mig.up(m)
    except MigrationFailed as exc:
        return _failed(m, f"up fails: {_short(exc)}"), s0, "stop"
    if not _provable(m):
        return _unprovable(m), None, "continue"
    assert s0 is not None  # taken by the caller before a provable migration
    s1 = mig.snapshot()
    try:
        mig.down(m)
    except MigrationFailed as exc:
        return _failed(m, f"rollback fails: {_short(exc)}"), s1, "rebuild"
    rollback = diff(s0, mig.snapshot())
    try:
        mig.up(m)
    except MigrationFailed as exc:
        check = _failed(m, f"re-apply fails: {_short(exc)}")
        return replace(check, rollback=_words(rollback, "is left over")), s1, "rebuild"
    s3 = mig.snapshot()
    reapply = diff(s1, s3)
    status = "pass" if rollback.empty and reapply.empty else "fail"
    return MigrationCheck(m.version, m.name, status, rollback=_words(rollback, "is left over"),
                          reapply=_words(reapply, "appears")), s3, "continue"


def _words(d: SnapshotDiff, added: str) -> list[str]:
    return d.lines(added=added, removed="is missing")


def _failed(m: Migration, error: str) -> MigrationCheck:
    return MigrationCheck(m.version, m.name, "fail", errors=[error])


def _short(exc: MigrationFailed) -> str:
    return redact(exc.message.strip().splitlines()[0])


# -- with data -------------------------------------------------------------------------------


Seed = Callable[[str], None]


def _seed_function(project: Project, config: Config, script: str | None,
                   scale: float) -> tuple[str, Seed]:
    """(path, loader) of the seed script: the option, then the config's
    ``seed_script``, then the project's demo/seed.py."""
    chosen = script or SchemaSettings.of(config).seed_script or DEFAULT_SEED
    path = Path(chosen)
    if not path.is_absolute():
        path = project.root / path
    if not path.is_file():
        raise ConfigError(
            f"--with-data needs seed data, but {path} does not exist. Pass --seed-script FILE "
            "(a .sql file, or a Python file defining seed(conninfo, ...)) or set `seed_script:` "
            f"in config/{config.env}.yaml.", path=path,
        )
    if path.suffix == ".sql":
        text = path.read_text(encoding="utf-8")

        def run_sql(url: str) -> None:
            with connect(url, autocommit=False) as conn:
                conn.execute(text)
                conn.commit()

        return str(path), run_sql
    if path.suffix != ".py":
        raise ConfigError(f"seed script {path}: expected a .sql or .py file.", path=path)

    def run_py(url: str) -> None:
        spec = importlib.util.spec_from_file_location(f"sqlmig_seed_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        fn = getattr(module, "seed", None)
        if not callable(fn):
            raise ConfigError(f"seed script {path} defines no seed(conninfo, ...) function.",
                              path=path)
        wanted = {"scale": scale, "seed": 42, "defects": False}
        accepted = inspect.signature(fn).parameters
        fn(url, **{k: v for k, v in wanted.items() if k in accepted})

    return str(path), run_py


def _data_pass(mig: Migrator, checks: list[MigrationCheck], targets: list[Migration],
               seed: Seed) -> list[MigrationCheck]:
    try:
        seed(mig.url)
    except (ConfigError, DatabaseError):
        raise
    except Exception as exc:  # noqa: BLE001 - a user's script may raise anything
        raise DatabaseError(f"the seed script failed at the newest version: "
                            f"{type(exc).__name__}: {redact(str(exc))}") from None
    by_version = {c.version: c for c in checks}
    for m in reversed(targets):
        check = by_version[m.version]
        if check.status != "pass":
            # Below an irreversible or broken migration the data cannot be walked down.
            break
        found = _data_round_trip(mig, m)
        by_version[m.version] = replace(check, data=found, status="fail" if found else "pass")
        if any(p.startswith(("rollback fails", "re-apply fails")) for p in found):
            break
    return [by_version[c.version] for c in checks]


def _data_round_trip(mig: Migrator, m: Migration) -> list[str]:
    counts = row_counts(mig.conn, mig.config.schema)
    try:
        mig.down(m)
    except MigrationFailed as exc:
        return [f"rollback fails with data: {_short(exc)}"]
    after = row_counts(mig.conn, mig.config.schema)
    found = [f"rollback loses {counts[t] - n} of {counts[t]} rows of {_table(t)}"
             for t, n in after.items() if t in counts and n < counts[t]]
    try:
        mig.up(m)
    except MigrationFailed as exc:
        return [*found, f"re-apply fails with data: {_short(exc)}"]
    # Only tables that outlive the rollback: those the migration creates are
    # dropped by it, and their rows with them, by design.
    again = row_counts(mig.conn, mig.config.schema)
    found += [f"after rollback and re-apply {_table(t)} has {counts[t] - n} fewer rows"
              for t, n in again.items()
              if t in counts and t in after and n < after[t] == counts[t]]
    try:
        mig.down(m)  # walk down to the previous migration's state
    except MigrationFailed as exc:
        found.append(f"second rollback fails with data: {_short(exc)}")
    return found


def row_counts(conn: psycopg.Connection, ledger_schema: str) -> dict[str, int]:
    """Exact row counts of every table with storage (partitions, not their parents),
    in one statement."""
    from psycopg import sql

    from .catalog import introspect

    tables = [t for t in introspect(conn, ledger_schema=ledger_schema).tables
              if t.kind == "table"]
    if not tables:
        return {}
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {}, count(*) FROM ONLY {}").format(
            sql.Literal(t.qualified), sql.Identifier(t.schema, t.name))
        for t in tables
    )
    return {str(name): int(n) for name, n in conn.execute(query).fetchall()}


def _table(qualified: str) -> str:
    return qualified[len("public."):] if qualified.startswith("public.") else qualified


def verify_migrations(project: Project | Path | str | None = None, env: str = "dev",
                      database_url: str | None = None, **options: Any) -> VerifyResult:
    """``sqlmig verify`` for a Python caller: a scratch database on the environment's
    scratch server."""
    p = project if isinstance(project, Project) else Project.find(project)
    cfg = p.config(env, database_url)
    return verify(p, cfg, p.database_url(cfg), **options)


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
