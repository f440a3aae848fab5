"""The module-level API: ``sqlmig.apply(env="staging")`` and friends.

Each function opens a :class:`~sqlmig.session.Session`, does one thing and
closes it.  Callers who want to hold one connection across several
operations use the Session directly.
"""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import features  # noqa: F401  (registers the features with the core)
from .core import manifest as manifest_mod
from .errors import ConfigError, OptionError
from .core.ledger import HistoryEntry
from .core.manifest import ManifestReport
from .core.files import slugify
from .core.planner import Plan, Status
from .core.project import Project
from .core.results import (ApplyResult, NewMigration, NewRepeatable, ResolveResult,
                           RollbackResult)
from .core.runner import Progress
from .core.session import Confirm, Session

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from .adapters.embedded import ServerInfo, Started
    from .adoption.database import DatabaseResult
    from .adoption.importing import ImportResult
    from .adoption.scaffold import InitResult
    from .backup.dump import BackupResult, RestoreResult
    from .checks.records import RecordedRun
    from .checks.report import CheckReport
    from .compliance.report import ComplianceReport
    from .core.settings import Config
    from .fleet.report import FleetApplyResult, FleetCheckResult, FleetStatus
    from .fleet.run import Progress as FleetProgress
    from .backup.checkpoint import CheckpointResult
    from .governance.access import AccessChange, AccessReport
    from .schema.baseline import BaselineResult
    from .governance.approval import Request
    from .governance.binding import Binding
    from .core.audit import AuditEntry
    from .core.repair import RepairResult
    from .schema.snapshot import Snapshot, SnapshotFile

ProjectRef = Project | Path | str | None


def apply(
    project: ProjectRef = None,
    env: str = "dev",
    database_url: str | None = None,
    *,
    to: int | None = None,
    single_transaction: bool = False,
    dry_run: bool = False,
    allow_out_of_order: bool = False,
    lock_wait: float | None = None,
    progress: Progress | None = None,
    yes: bool = False,
    confirm: Confirm | None = None,
    emergency: bool = False,
    reason: str | None = None,
) -> ApplyResult:
    """Apply the pending migrations of ``env``; see :meth:`Session.apply`."""
    with Session(project, env, database_url, progress=progress, lock_wait=lock_wait) as s:
        if not dry_run:
            refresh_manifest(s)
        return s.apply(
            to=to, single_transaction=single_transaction, dry_run=dry_run,
            allow_out_of_order=allow_out_of_order, yes=yes, confirm=confirm,
            emergency=emergency, reason=reason,
        )


def rollback(
    project: ProjectRef = None,
    env: str = "dev",
    database_url: str | None = None,
    *,
    steps: int | None = None,
    to: int | None = None,
    dry_run: bool = False,
    lock_wait: float | None = None,
    progress: Progress | None = None,
    yes: bool = False,
    confirm: Confirm | None = None,
    emergency: bool = False,
    reason: str | None = None,
) -> RollbackResult:
    """Roll back ``steps`` migrations (default 1) or every one above ``to``."""
    with Session(project, env, database_url, progress=progress, lock_wait=lock_wait) as s:
        return s.rollback(steps=steps, to=to, dry_run=dry_run, yes=yes, confirm=confirm,
                          emergency=emergency, reason=reason)


def status(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None,
    *, allow_out_of_order: bool = False,
) -> Status:
    """Applied and pending migrations and every problem; changes nothing."""
    with Session(project, env, database_url) as s:
        return s.status(allow_out_of_order=allow_out_of_order)


def plan(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None,
    *, to: int | None = None, allow_out_of_order: bool = False, lint: bool = False,
) -> Plan:
    """The migrations ``apply`` would run (with ``lint``: and the lint findings
    for them, with this database's table sizes, and the preflight's blockers);
    executes nothing."""
    with Session(project, env, database_url) as s:
        result = s.plan(to=to, allow_out_of_order=allow_out_of_order, lint=lint)
        if lint and result.steps:
            from .governance import preflight

            result = dataclasses.replace(result, preflight=preflight.inspect(s, result))
        return result


def history(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None,
    *, limit: int | None = None,
) -> list[HistoryEntry]:
    """The ledger's event history, newest first."""
    with Session(project, env, database_url) as s:
        return s.history(limit)


def resolve(
    version: int, outcome: str, project: ProjectRef = None, env: str = "dev",
    database_url: str | None = None, *, lock_wait: float | None = None,
) -> ResolveResult:
    """Record the hand-made resolution of a failed no-transaction migration."""
    with Session(project, env, database_url, lock_wait=lock_wait) as s:
        return s.resolve(version, outcome)


def tag_version(name: str, project: ProjectRef = None, env: str = "dev",
                database_url: str | None = None) -> int:
    """The version release tag ``name`` names (``--to-tag``; ConfigError if none)."""
    from .core import tags

    with Session(project, env, database_url) as s:
        return tags.version_of(s, name)


def config(project: ProjectRef = None, env: str = "dev",
           database_url: str | None = None) -> Config:
    """``env``'s settings (config/<env>.yaml, with ``database_url`` overriding its own)."""
    return _project(project).config(env, database_url)


def database_url(project: ProjectRef = None, env: str = "dev") -> str:
    """The URL of ``env``'s database, starting the embedded server if the config says so."""
    p = _project(project)
    return p.database_url(p.config(env))


def check_manifest(project: ProjectRef = None) -> ManifestReport:
    """Compare sql/manifest.sha256 with the files (never raises for a mismatch)."""
    return _project(project).manifest_report()


def write_manifest(project: ProjectRef = None) -> Path:
    """Rewrite sql/manifest.sha256 from the files on disk."""
    p = _project(project)
    return manifest_mod.write(p.sql_dir, p.migrations)


def new(description: str, project: ProjectRef = None) -> NewMigration:
    """Create the next-numbered migration and rollback files and add them to the manifest.

    Refuses when the manifest already disagrees with the files: adding lines
    to it must not bless an unreviewed change to another file.
    """
    p = _project(project)
    if p.migrations or (p.sql_dir / manifest_mod.MANIFEST_NAME).exists():
        p.verify_manifest()
    slug = slugify(description)
    existing = p.migrations
    version = (existing[-1].version + 1) if existing else 1
    width = max([4] + [len(m.up.path.name.split("_", 1)[0]) for m in existing])
    name = f"{version:0{width}d}_{slug}"
    up = p.migrations_dir / f"{name}.sql"
    down = p.rollbacks_dir / f"{name}.sql"
    for path in (up, down):
        if path.exists():
            raise ConfigError(f"{path} already exists.", path=path)
    try:
        p.migrations_dir.mkdir(parents=True, exist_ok=True)
        p.rollbacks_dir.mkdir(parents=True, exist_ok=True)
        up.write_text(_UP_TEMPLATE.format(name=name, description=description), encoding="utf-8")
        down.write_text(_DOWN_TEMPLATE.format(name=name, description=description),
                        encoding="utf-8")
    except OSError as exc:
        for path in (up, down):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        raise ConfigError(f"{exc.filename or up}: cannot write: {exc.strerror}. Nothing was "
                          "created; free space or fix the permissions and run `sqlmig new` "
                          "again.", path=up) from None
    manifest_path = manifest_mod.write(p.sql_dir, p.reload().migrations)
    return NewMigration(version=version, migration=up, rollback=down, manifest=manifest_path)


def new_repeatable(description: str, project: ProjectRef = None) -> NewRepeatable:
    """Create ``sql/repeatable/NAME.sql`` (NAME: the description's slug) and add it
    to the manifest; refuses, like :func:`new`, when the manifest already
    disagrees with the files."""
    from .core import repeatable

    p = _project(project)
    if p.migrations or p.repeatables or (p.sql_dir / manifest_mod.MANIFEST_NAME).exists():
        p.verify_manifest()
    path = repeatable.create(p.sql_dir, description)
    manifest_path = manifest_mod.write(p.sql_dir, p.migrations)
    return NewRepeatable(name=path.stem, repeatable=path, manifest=manifest_path)


def refresh_manifest(s: Session) -> list[str]:
    """In an environment that applies without review (``auto_apply: true``, no
    ``approval``, no ``require_clean_git``: a development database), update the
    manifest lines of files edited since ``sqlmig new`` whose migration this
    database has not applied, with a notice; see :meth:`Project.refresh_unapplied`.
    Files of applied migrations are never rewritten: that drift still refuses."""
    import logging

    from .governance.settings import PolicySettings

    rules = PolicySettings.of(s.config)
    if not rules.auto_apply or rules.approval != "off" or rules.require_clean_git:
        return []
    if not s.project.manifest_report().changed:
        return []  # the common case: no ledger read
    updated = s.project.refresh_unapplied({r.version for r in s.ledger.rows(s.conn)})
    if updated:
        logging.getLogger("sqlmig.notice").warning(
            "notice: %s updated for %s (edited since sqlmig new); commit it",
            manifest_mod.MANIFEST_NAME, ", ".join(updated))
    return updated


def snapshot(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None, *,
    out: Path | str | None = None, check: bool = False, fmt: str | None = None,
    privileges: bool = False,
) -> Snapshot | SnapshotFile:
    """``sqlmig snapshot``: the database's snapshot; with ``out`` (relative to the
    project root) written there, or with ``check`` compared with it (writes nothing)."""
    from .schema import snapshot as snap_mod

    if check and not out:
        raise ConfigError("--check needs --out FILE: the committed snapshot to compare with.")
    snap = snap_mod.schema_snapshot(project, env, database_url, privileges=privileges)
    if out is None:
        return snap
    path = _project(project).root / Path(out)
    return (snap_mod.check_file if check else snap_mod.save)(snap, path, fmt)


def server_info(project: ProjectRef = None) -> ServerInfo:
    """Is the project's embedded server running, and where."""
    from .adapters import embedded

    return embedded.info(_project(project).root)


def start_server(project: ProjectRef = None) -> Started:
    """Start the project's embedded server (or reuse the running one): the
    project database's URL, and whether this call started the server."""
    from .adapters import embedded

    return embedded.ensure(_project(project).root)


def stop_server(project: ProjectRef = None) -> bool:
    """Stop the project's embedded server; whether it was running."""
    from .adapters import embedded

    root = _project(project).root
    was = embedded.info(root).running
    embedded.stop(root)
    return was


def _project(project: ProjectRef) -> Project:
    return project if isinstance(project, Project) else Project.find(project)


_UP_TEMPLATE = """\
-- {name}: {description}
--
-- Runs in one transaction together with its ledger row: all or nothing.
-- For CREATE INDEX CONCURRENTLY and other statements that cannot run in a
-- transaction, put this directive on its own header line:
--   -- sqlmig: no-transaction
-- Keep ALTERs on busy tables short: SET LOCAL lock_timeout = '5s';

"""

_DOWN_TEMPLATE = """\
-- Rollback of {name}: {description}
--
-- Must return the schema exactly to its state before the migration
-- (drop what it created, restore what it changed).

"""


# -- approvals, audit, backups (see docs/environments.md and docs/backups.md) ----------


def request(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None, *,
    reason: str | None = None, to: int | None = None, rollback: bool = False,
    steps: int | None = None, lock_wait: float | None = None,
) -> Request:
    """Ask for approval of the plan ``apply`` (or ``rollback``) would run now."""
    from .governance import review

    with Session(project, env, database_url, lock_wait=lock_wait) as s:
        return review.request(s, reason=reason, to=to, rollback=rollback, steps=steps)


def approve(
    request_id: int, project: ProjectRef = None, env: str = "dev",
    database_url: str | None = None, *, comment: str | None = None,
    lock_wait: float | None = None,
) -> Request:
    """Approve a request as the connecting database user (not the requester)."""
    from .governance import review

    with Session(project, env, database_url, lock_wait=lock_wait) as s:
        return review.approve(s, request_id, comment)


def reject(
    request_id: int, project: ProjectRef = None, env: str = "dev",
    database_url: str | None = None, *, comment: str | None = None,
    lock_wait: float | None = None,
) -> Request:
    """Reject a pending or approved request."""
    from .governance import review

    with Session(project, env, database_url, lock_wait=lock_wait) as s:
        return review.reject(s, request_id, comment)


# -- access control and the environment binding (governance/access.py, binding.py) ----


def access_setup(project: ProjectRef = None, env: str = "dev", database_url: str | None = None,
                 *, watch_ddl: bool = False, dry_run: bool = False) -> AccessChange:
    """``sqlmig access setup``: make the ledger governed (run as a superuser)."""
    from .governance import access

    with Session(project, env, database_url) as s:
        return access.setup(s, watch_ddl=watch_ddl, dry_run=dry_run)


def access_grant(role: str, capacity: str, project: ProjectRef = None, env: str = "dev",
                 database_url: str | None = None, *, dry_run: bool = False) -> AccessChange:
    """``sqlmig access grant ROLE --as CAPACITY``."""
    from .governance import access

    with Session(project, env, database_url) as s:
        return access.grant(s, role, capacity, dry_run=dry_run)


def access_show(project: ProjectRef = None, env: str = "dev",
                database_url: str | None = None) -> AccessReport:
    """``sqlmig access show``: who may do what in the database."""
    from .governance import access

    with Session(project, env, database_url) as s:
        return access.show(s)


def environment_binding(project: ProjectRef = None, env: str = "dev",
                        database_url: str | None = None) -> Binding | None:
    """The environment the database is bound to (None: not bound)."""
    from .governance import binding

    with Session(project, env, database_url) as s:
        return binding.read(s.conn, s.ledger)


def bind_environment(project: ProjectRef = None, env: str = "dev",
                     database_url: str | None = None, *, request_id: int | None = None,
                     reason: str | None = None, request: bool = False) -> Binding | Request:
    """``sqlmig environment bind``: bind the database to ``env`` and its policy,
    or change the binding (with ``request``: ask for the approval a change
    needs; then pass the approved ``request_id``)."""
    from .governance import review

    with Session(project, env, database_url) as s:
        if request:
            return review.request_binding(s, reason=reason)
        return review.bind(s, request_id=request_id, reason=reason)


def approvals(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None, *,
    state: str | None = None,
) -> list[Request]:
    """The environment's approval requests, newest first."""
    from .governance import approval

    with Session(project, env, database_url) as s:
        return approval.requests(s, state)


def audit_log(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None, *,
    since: datetime | None = None, action: str | None = None, outcome: str | None = None,
    user: str | None = None, limit: int | None = None,
) -> list[AuditEntry]:
    """Audit log entries matching every given filter, newest first."""
    from .core import audit as audit_mod

    with Session(project, env, database_url) as s:
        return audit_mod.entries(s.conn, s.ledger, since=since, action=action,
                                 outcome=outcome, user=user, limit=limit)


def create_backup(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None, *,
    verify: str = "list",
) -> BackupResult:
    """A verified pg_dump of ``env``'s database (``verify``: "list" or "restore")."""
    from .backup import dump as backup

    with Session(project, env, database_url) as s:
        return backup.make(s, verify=verify)


def restore_backup(
    file: Path | str, project: ProjectRef = None, env: str = "dev",
    database_url: str | None = None, *, into: str | None = None, yes: bool = False,
    confirm: Callable[[str], bool] | None = None, emergency: bool = False,
    reason: str | None = None, from_other_database: bool = False,
) -> RestoreResult:
    """Restore a backup into ``env``'s database, or ``into`` a new database.

    In place, a backup of another database (or of unknown provenance) is
    refused unless ``from_other_database`` (audited)."""
    from .backup import restore

    with Session(project, env, database_url) as s:
        return restore.restore(s, file, into=into, yes=yes, confirm=confirm,
                               emergency=emergency, reason=reason,
                               from_other_database=from_other_database)


# -- an environment: one database or a fleet (see docs/fleets.md) -----------------------
#
# `sqlmig apply`, `status` and `check` run on every target of an environment that
# names targets, unless a database URL picks one database.  These functions make
# that decision for the CLI (and any caller that wants the same behaviour); the
# typed result says which it was.  `apply`, `status` and `sqlmig.fleet_apply`...
# stay as they are for callers who know what they address.


def apply_env(
    project: ProjectRef = None,
    env: str = "dev",
    database_url: str | None = None,
    *,
    to: int | None = None,
    single_transaction: bool = False,
    dry_run: bool = False,
    allow_out_of_order: bool = False,
    lock_wait: float | None = None,
    progress: Progress | None = None,
    yes: bool = False,
    confirm: Confirm | None = None,
    emergency: bool = False,
    reason: str | None = None,
    target: Sequence[str] = (),
    targets_like: Sequence[str] = (),
    jobs: int | None = None,
    fail_fast: bool = False,
    canary: int | None = None,
    wave_size: int | None = None,
    fleet_progress: FleetProgress | None = None,
) -> ApplyResult | FleetApplyResult:
    """:func:`apply` on ``env``'s database, or :func:`sqlmig.fleet_apply` on its
    targets (``progress`` and ``confirm`` are for one database, ``fleet_progress``
    for a fleet, which never prompts)."""
    if not _on_fleet(project, env, database_url, {
            "target": target, "targets_like": targets_like, "jobs": jobs,
            "fail_fast": fail_fast, "canary": canary, "wave_size": wave_size}):
        return apply(project, env, database_url, to=to, single_transaction=single_transaction,
                     dry_run=dry_run, allow_out_of_order=allow_out_of_order,
                     lock_wait=lock_wait, progress=progress, yes=yes, confirm=confirm,
                     emergency=emergency, reason=reason)
    from .fleet import run as fleet

    return fleet.apply(
        project, env, jobs=jobs or fleet.DEFAULT_JOBS, target=target,
        targets_like=targets_like, fail_fast=fail_fast, canary=canary, wave_size=wave_size,
        to=to, dry_run=dry_run, single_transaction=single_transaction,
        allow_out_of_order=allow_out_of_order, lock_wait=lock_wait, yes=yes,
        emergency=emergency, reason=reason, progress=fleet_progress,
    )


def status_env(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None, *,
    target: Sequence[str] = (), targets_like: Sequence[str] = (), jobs: int | None = None,
) -> Status | FleetStatus:
    """:func:`status` of ``env``'s database, or :func:`sqlmig.fleet_status` of its targets."""
    if not _on_fleet(project, env, database_url,
                     {"target": target, "targets_like": targets_like, "jobs": jobs}):
        return status(project, env, database_url)
    from .fleet import run as fleet

    return fleet.status(project, env, jobs=jobs or fleet.DEFAULT_JOBS, target=target,
                        targets_like=targets_like)


def check_env(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None, *,
    jobs: int = 4, only: Sequence[str] = (), tags: Sequence[str] = (),
    exclude: Sequence[str] = (), builtin: bool = False, record: bool = False,
    timeout: str | None = None, on_fail: str | None = None, strict: bool = False,
    target: Sequence[str] = (), targets_like: Sequence[str] = (),
    one_database: Mapping[str, object] | None = None,
) -> CheckReport | FleetCheckResult:
    """:func:`sqlmig.check` on ``env``'s database, or :func:`sqlmig.fleet_check` on
    its targets.  ``on_fail`` and the caller's own ``one_database`` options (by
    their command-line spelling, e.g. ``{"--output": path}``) only work on one
    database: on a fleet they are refused before any check runs."""
    if not _on_fleet(project, env, database_url,
                     {"target": target, "targets_like": targets_like},
                     {"--on-fail": on_fail, **(one_database or {})}):
        from .checks import run as checks
        from .governance import tls

        tls.for_environment(project, env, database_url)  # require_tls: check its connections
        return checks.check(project, env, database_url, jobs=jobs, only=only, tags=tags,
                            exclude=exclude, builtin=builtin, record=record, timeout=timeout,
                            on_fail=on_fail, strict=strict)
    from .fleet import run as fleet

    return fleet.check(project, env, jobs=jobs, target=target, targets_like=targets_like,
                       only=only, tags=tags, exclude=exclude, builtin=builtin,
                       timeout=timeout, strict=strict, record=record)


def check_history(
    project: ProjectRef = None, env: str = "dev", database_url: str | None = None, *,
    limit: int = 10, target: Sequence[str] = (), targets_like: Sequence[str] = (),
    one_database: Mapping[str, object] | None = None,
) -> list[RecordedRun]:
    """:func:`sqlmig.check_history` of ``env``'s database; refused on a fleet, whose
    targets each record their own runs (``one_database`` as for :func:`check_env`)."""
    from .checks import run as checks

    _on_fleet(project, env, database_url, {"target": target, "targets_like": targets_like},
              {**(one_database or {}), "--history": True})
    return checks.check_history(project, env, database_url, limit=limit)


def _on_fleet(project: ProjectRef, env: str, database_url: str | None,
              fleet_only: Mapping[str, object],
              one_database: Mapping[str, object] | None = None) -> bool:
    """True when a command on ``env`` runs on its targets: the env has targets and
    no ``database_url`` picks one database.  Options for the other case are an
    :class:`OptionError`: ``fleet_only`` (by parameter name) on one database,
    ``one_database`` (by option spelling) on a fleet."""
    from .fleet.targets import FleetSettings

    if database_url is None and FleetSettings.of(config(project, env)).is_fleet:
        for name, value in (one_database or {}).items():
            if value not in (None, False, ()):
                raise OptionError(f"{name} works on one database; on a fleet pass "
                                  "--database-url (docs/fleets.md).")
        return True
    used = [f"--{k.replace('_', '-')}" for k, v in fleet_only.items() if v not in (None, False, ())]
    if used:
        why = "--database-url selects one database" if database_url else \
            f"environment {env!r} has no targets"
        raise OptionError(f"{', '.join(used)}: only for fleet environments ({why}); "
                          "see docs/fleets.md.")
    return False


# -- starting and adopting projects (see docs/adopting.md) ------------------------------


def init(root: Path | str = ".") -> InitResult:
    """``sqlmig init``: write a new project's files under ``root``; refuses an
    existing project (ConfigError) and then writes nothing."""
    from .adoption import scaffold

    return scaffold.init(root)


def create_database(project: ProjectRef = None, env: str = "dev",
                    database_url: str | None = None) -> DatabaseResult:
    """CREATE DATABASE of ``env``'s database unless it exists (outcome ``exists``)."""
    from .adoption import database

    p = _project(project)
    return database.create(p, p.config(env, database_url))


def drop_database(project: ProjectRef = None, env: str = "dev",
                  database_url: str | None = None, *, yes: bool = False) -> DatabaseResult:
    """DROP DATABASE of a development environment's database; refused (SafetyRefusal)
    for guarded environments, the server's own databases, without ``yes``, and
    while other sessions are connected."""
    from .adoption import database

    p = _project(project)
    return database.drop(p, p.config(env, database_url), yes=yes)


def import_project(fmt: str, src: Path | str, into: Path | str = ".", *,
                   env: str | None = None, database_url: str | None = None) -> ImportResult:
    """``sqlmig import``: another tool's migrations as a sqlmig project at ``into``;
    with ``env`` or ``database_url``, also that database's history (status imported)."""
    from .adoption.importing import import_project as run

    return run(fmt, src, into, env=env, database_url=database_url)


# -- repairing an edited migration (see docs/repair.md) -----------------------------------


def repair(version: int, reason: str, project: ProjectRef = None, env: str = "dev",
           database_url: str | None = None, *, lock_wait: float | None = None
           ) -> RepairResult:
    """``sqlmig repair``: record the current file (checksums, name) of applied
    ``version`` after a human reviewed the edit, with a history and an audit
    row; refuses (LedgerProblem) a version not applied or a file unchanged."""
    from .core.repair import repair as run

    with Session(project, env, database_url, lock_wait=lock_wait) as s:
        return run(s, version, reason)


# -- compliance (see docs/compliance.md) -------------------------------------------------------


def compliance_report(project: ProjectRef = None, env: str = "dev",
                      database_url: str | None = None, *, since: str = "90d") -> ComplianceReport:
    """``sqlmig compliance report``: the personal-data inventory, retention, access
    control, change control and integrity of ``env``'s database; reads only.
    ``since`` (a duration such as 90d) is the change-control period."""
    from datetime import timedelta

    from .compliance.report import build
    from .core import duration

    try:
        period = duration.parse(since)
    except ValueError as exc:
        raise OptionError(f"--since {since}: {exc}") from None
    if not period:
        raise OptionError(f"--since {since}: expected a period above zero, such as 90d")
    with Session(project, env, database_url) as s:
        return build(s, timedelta(seconds=period.seconds), since)


def baseline(project: ProjectRef = None, env: str = "dev", database_url: str | None = None, *,
             to: int, accept_differences: bool = False, reason: str | None = None,
             lock_wait: float | None = None) -> BaselineResult:
    """``sqlmig baseline --to V``: adopt a database that already has the schema
    of versions <= V, only when a replay on a scratch server proves it."""
    from .schema.baseline import baseline_database

    return baseline_database(project, env, database_url, to=to,
                             accept_differences=accept_differences, reason=reason,
                             lock_wait=lock_wait)


def checkpoint(project: ProjectRef = None, env: str = "dev", database_url: str | None = None,
               *, to: int) -> CheckpointResult:
    """``sqlmig checkpoint --to V``: write sql/checkpoints/NNNN_checkpoint.sql, proven."""
    from .backup.checkpoint import checkpoint as make

    return make(project, env, database_url, to=to)
