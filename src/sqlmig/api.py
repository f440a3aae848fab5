"""The module-level API: ``sqlmig.apply(env="staging")`` and friends.

Each function opens a :class:`~sqlmig.session.Session`, does one thing and
closes it.  Callers who want to hold one connection across several
operations use the Session directly.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .core import manifest as manifest_mod
from .errors import ConfigError
from .core.ledger import HistoryEntry
from .core.manifest import ManifestReport
from .core.files import slugify
from .core.planner import Plan, Status
from .governance.policy import Confirm
from .core.project import Project
from .core.results import ApplyResult, NewMigration, ResolveResult, RollbackResult
from .core.runner import Progress
from .core.session import Session

if TYPE_CHECKING:
    from collections.abc import Callable

    from .governance.approval import Request
    from .governance.audit import AuditEntry
    from .backup.dump import BackupResult, RestoreResult

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
    for them, with this database's table sizes); executes nothing."""
    with Session(project, env, database_url) as s:
        return s.plan(to=to, allow_out_of_order=allow_out_of_order, lint=lint)


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
    p.migrations_dir.mkdir(parents=True, exist_ok=True)
    p.rollbacks_dir.mkdir(parents=True, exist_ok=True)
    up.write_text(_UP_TEMPLATE.format(name=name, description=description), encoding="utf-8")
    down.write_text(_DOWN_TEMPLATE.format(name=name, description=description), encoding="utf-8")
    manifest_path = manifest_mod.write(p.sql_dir, p.reload().migrations)
    return NewMigration(version=version, migration=up, rollback=down, manifest=manifest_path)


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
    from .governance import approval

    with Session(project, env, database_url, lock_wait=lock_wait) as s:
        return approval.request(s, reason=reason, to=to, rollback=rollback, steps=steps)


def approve(
    request_id: int, project: ProjectRef = None, env: str = "dev",
    database_url: str | None = None, *, comment: str | None = None,
    lock_wait: float | None = None,
) -> Request:
    """Approve a request as the connecting database user (not the requester)."""
    from .governance import approval

    with Session(project, env, database_url, lock_wait=lock_wait) as s:
        return approval.approve(s, request_id, comment)


def reject(
    request_id: int, project: ProjectRef = None, env: str = "dev",
    database_url: str | None = None, *, comment: str | None = None,
    lock_wait: float | None = None,
) -> Request:
    """Reject a pending or approved request."""
    from .governance import approval

    with Session(project, env, database_url, lock_wait=lock_wait) as s:
        return approval.reject(s, request_id, comment)


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
    from .governance import audit as audit_mod

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
    reason: str | None = None,
) -> RestoreResult:
    """Restore a backup into ``env``'s database, or ``into`` a new database."""
    from .backup import restore

    with Session(project, env, database_url) as s:
        return restore.restore(s, file, into=into, yes=yes, confirm=confirm,
                               emergency=emergency, reason=reason)
