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
    ChecksumDrift,
    ConfigError,
    DatabaseError,
    LedgerProblem,
    LockTimeout,
    ManifestMismatch,
    MigrationFailed,
    MigrationFileError,
    SafetyRefusal,
    ServerError,
    SqlmigError,
)

__version__ = "0.1.0"

_LAZY = {
    "apply": "api",
    "check_manifest": "api",
    "database_url": "api",
    "history": "api",
    "new": "api",
    "plan": "api",
    "resolve": "api",
    "rollback": "api",
    "status": "api",
    "write_manifest": "api",
    "Session": "session",
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
}

__all__ = sorted(
    [
        *_LAZY,
        "ChecksumDrift",
        "ConfigError",
        "DatabaseError",
        "LedgerProblem",
        "LockTimeout",
        "ManifestMismatch",
        "MigrationFailed",
        "MigrationFileError",
        "SafetyRefusal",
        "ServerError",
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
        check_manifest,
        database_url,
        history,
        new,
        plan,
        resolve,
        rollback,
        status,
        write_manifest,
    )
    from .ledger import HistoryEntry, LedgerRow
    from .manifest import ManifestReport
    from .migrations import Migration, SqlFile
    from .planner import Plan, Problem, Status
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
