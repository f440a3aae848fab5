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
    DatabaseError,
    LedgerProblem,
    LockTimeout,
    ManifestMismatch,
    MigrationFailed,
    MigrationFileError,
    MigrationLockTimeout,
    PolicyRefusal,
    RestoreFailed,
    SafetyRefusal,
    ServerError,
    SqlmigError,
)

__version__ = "0.1.0"

_LAZY = {
    "apply": "api",
    "create_backup": "api",
    "restore_backup": "api",
    "BackupResult": "backup",
    "RestoreResult": "backup",
    "approvals": "api",
    "approve": "api",
    "audit_log": "api",
    "reject": "api",
    "request": "api",
    "Request": "approval",
    "AuditEntry": "audit",
    "ChangeOptions": "policy",
    "check_manifest": "api",
    "database_url": "api",
    "history": "api",
    "new": "api",
    "plan": "api",
    "resolve": "api",
    "rollback": "api",
    "status": "api",
    "write_manifest": "api",
    "Difference": "snapshot",
    "DriftReport": "drift",
    "MigrationCheck": "verify",
    "Snapshot": "snapshot",
    "SnapshotDiff": "snapshot",
    "VerifyResult": "verify",
    "detect_drift": "drift",
    "diff_snapshots": "snapshot",
    "schema_snapshot": "snapshot",
    "verify_migrations": "verify",
    "Session": "session",
    "Catalog": "catalog",
    "introspect": "catalog",
    "generate_docs": "docs",
    "DocsResult": "docs",
    "Coverage": "docs",
    "Project": "project",
    "Migration": "migrations",
    "SqlFile": "migrations",
    "Plan": "planner",
    "Status": "planner",
    "Problem": "planner",
    "ApplyResult": "results",
    "RollbackResult": "results",
    "ResolveResult": "results",
    "AppliedMigration": "results",
    "NewMigration": "results",
    "ProgressEvent": "results",
    "LedgerRow": "ledger",
    "HistoryEntry": "ledger",
    "ManifestReport": "manifest",
    "lint": "linter",
    "LintReport": "linter",
    "LintFinding": "linter",
    "check": "checks",
    "check_history": "checks",
    "CheckFile": "checks",
    "CheckFault": "check_report",
    "CheckOutcome": "check_report",
    "CheckReport": "check_report",
    "CheckResult": "check_report",
    "CheckSummary": "check_report",
    "OnFailResult": "check_report",
    "RecordedRun": "check_records",
    "fleet_apply": "fleet",
    "fleet_check": "fleet",
    "fleet_status": "fleet",
    "FleetApplyResult": "fleet_report",
    "FleetCheckResult": "fleet_report",
    "FleetStatus": "fleet_report",
    "Target": "fleet_targets",
    "TargetResult": "fleet_report",
    "TargetStatus": "fleet_report",
    "ResultChange": "check_records",
}

__all__ = sorted(
    [
        *_LAZY,
        "BackupFailed",
        "DriftDetected",
        "ChecksumDrift",
        "ConfigError",
        "DatabaseError",
        "LedgerProblem",
        "LockTimeout",
        "ManifestMismatch",
        "MigrationFailed",
        "MigrationFileError",
        "MigrationLockTimeout",
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
    from .approval import Request
    from .audit import AuditEntry
    from .backup import BackupResult, RestoreResult
    from .check_records import RecordedRun, ResultChange
    from .check_report import (
        CheckFault,
        CheckOutcome,
        CheckReport,
        CheckResult,
        CheckSummary,
        OnFailResult,
    )
    from .checks import CheckFile, check, check_history
    from .fleet import fleet_apply, fleet_check, fleet_status
    from .fleet_report import (
        FleetApplyResult,
        FleetCheckResult,
        FleetStatus,
        TargetResult,
        TargetStatus,
    )
    from .fleet_targets import Target
    from .ledger import HistoryEntry, LedgerRow
    from .linter import LintFinding, LintReport
    from .policy import ChangeOptions
    from .manifest import ManifestReport
    from .migrations import Migration, SqlFile
    from .planner import Plan, Problem, Status
    from .catalog import Catalog, introspect
    from .docs import Coverage, DocsResult, generate_docs
    from .project import Project
    from .results import (
        AppliedMigration,
        ApplyResult,
        NewMigration,
        ProgressEvent,
        ResolveResult,
        RollbackResult,
    )
    from .session import Session
    from .drift import DriftReport, detect_drift
    from .snapshot import Difference, Snapshot, SnapshotDiff, diff_snapshots, schema_snapshot
    from .verify import MigrationCheck, VerifyResult, verify_migrations
