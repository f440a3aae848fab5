"""sqlmig: plain-SQL migrations for PostgreSQL.

    import sqlmig
    result = sqlmig.apply(env="staging")
    for m in result.applied:
        print(m.name, m.execution_ms)

The operations (``apply``, ``rollback``, ``status``...) and result types are
loaded on first use, so that ``import sqlmig`` (and ``sqlmig --help``) stays
fast; errors are importable at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    BackupFailed,
    CheckFailed,
    DriftDetected,
    ChecksumDrift,
    ConfigError,
    ConnectionFailed,
    DatabaseError,
    LedgerProblem,
    LockTimeout,
    ManifestMismatch,
    MigrationFailed,
    MigrationFileError,
    MigrationLockTimeout,
    OptionError,
    PolicyRefusal,
    RestoreFailed,
    SafetyRefusal,
    ServerError,
    SqlmigError,
)

from .version import __version__

_LAZY = {
    "apply": "api",
    "create_backup": "api",
    "restore_backup": "api",
    "BackupResult": "backup.dump",
    "RestoreResult": "backup.dump",
    "approvals": "api",
    "approve": "api",
    "audit_log": "api",
    "reject": "api",
    "request": "api",
    "Request": "governance.approval",
    "AuditEntry": "core.audit",
    "ChangeOptions": "core.session",
    "check_manifest": "api",
    "database_url": "api",
    "history": "api",
    "new": "api",
    "plan": "api",
    "resolve": "api",
    "rollback": "api",
    "status": "api",
    "write_manifest": "api",
    "Difference": "schema.snapshot",
    "DriftReport": "schema.drift",
    "MigrationCheck": "schema.verify",
    "Snapshot": "schema.snapshot",
    "SnapshotDiff": "schema.snapshot",
    "VerifyResult": "schema.verify",
    "detect_drift": "schema.drift",
    "diff_snapshots": "schema.snapshot",
    "schema_snapshot": "schema.snapshot",
    "verify_migrations": "schema.verify",
    "Session": "core.session",
    "Catalog": "schema.catalog",
    "introspect": "schema.catalog",
    "generate_docs": "docs.build",
    "DocsResult": "docs.build",
    "Coverage": "docs.model",
    "Project": "core.project",
    "Migration": "core.files",
    "SqlFile": "core.files",
    "Plan": "core.planner",
    "Status": "core.planner",
    "Problem": "core.planner",
    "ApplyResult": "core.results",
    "RollbackResult": "core.results",
    "ResolveResult": "core.results",
    "AppliedMigration": "core.results",
    "NewMigration": "core.results",
    "ProgressEvent": "core.results",
    "LedgerRow": "core.ledger",
    "HistoryEntry": "core.ledger",
    "ManifestReport": "core.manifest",
    "lint": "linter",
    "LintReport": "linter",
    "LintFinding": "linter",
    "check": "checks.run",
    "check_history": "checks.run",
    "CheckFile": "checks.files",
    "CheckFault": "checks.report",
    "CheckOutcome": "checks.report",
    "CheckReport": "checks.report",
    "CheckResult": "checks.report",
    "CheckSummary": "checks.report",
    "OnFailResult": "checks.report",
    "RecordedRun": "checks.records",
    "fleet_apply": "fleet.run",
    "fleet_check": "fleet.run",
    "fleet_status": "fleet.run",
    "FleetApplyResult": "fleet.report",
    "FleetCheckResult": "fleet.report",
    "FleetStatus": "fleet.report",
    "Target": "fleet.targets",
    "TargetResult": "fleet.report",
    "TargetStatus": "fleet.report",
    "ResultChange": "checks.records",
}

__all__ = sorted(
    [
        *_LAZY,
        "BackupFailed",
        "DriftDetected",
        "ChecksumDrift",
        "ConfigError",
        "ConnectionFailed",
        "DatabaseError",
        "LedgerProblem",
        "LockTimeout",
        "ManifestMismatch",
        "MigrationFailed",
        "MigrationFileError",
        "MigrationLockTimeout",
        "OptionError",
        "PolicyRefusal",
        "RestoreFailed",
        "SafetyRefusal",
        "ServerError",
        "CheckFailed",
        "SqlmigError",
        "__version__",
    ]
)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sqlmig' has no attribute {name!r}")
    importlib.import_module(".features", __name__)  # the features' config keys and hooks
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from .api import (
        apply,
        approvals,
        approve,
        audit_log,
        check_manifest,
        create_backup,
        database_url,
        history,
        new,
        plan,
        reject,
        request,
        resolve,
        restore_backup,
        rollback,
        status,
        write_manifest,
    )
    from .governance.approval import Request
    from .core.audit import AuditEntry
    from .backup.dump import BackupResult, RestoreResult
    from .checks.records import RecordedRun, ResultChange
    from .checks.report import (
        CheckFault,
        CheckOutcome,
        CheckReport,
        CheckResult,
        CheckSummary,
        OnFailResult,
    )
    from .checks.files import CheckFile
    from .checks.run import check, check_history
    from .fleet.run import fleet_apply, fleet_check, fleet_status
    from .fleet.report import (
        FleetApplyResult,
        FleetCheckResult,
        FleetStatus,
        TargetResult,
        TargetStatus,
    )
    from .fleet.targets import Target
    from .core.ledger import HistoryEntry, LedgerRow
    from .linter import LintFinding, LintReport
    from .core.session import ChangeOptions
    from .core.manifest import ManifestReport
    from .core.files import Migration, SqlFile
    from .core.planner import Plan, Problem, Status
    from .schema.catalog import Catalog, introspect
    from .docs.build import DocsResult, generate_docs
    from .docs.model import Coverage
    from .core.project import Project
    from .core.results import (
        AppliedMigration,
        ApplyResult,
        NewMigration,
        ProgressEvent,
        ResolveResult,
        RollbackResult,
    )
    from .core.session import Session
    from .schema.drift import DriftReport, detect_drift
    from .schema.snapshot import (
        Difference,
        Snapshot,
        SnapshotDiff,
        diff_snapshots,
        schema_snapshot,
    )
    from .schema.verify import MigrationCheck, VerifyResult, verify_migrations
