"""Typed results of sqlmig's operations, and their JSON form.

The CLI prints these; a deploy script gets them back from the Python API.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class AppliedMigration:
    """A file that ran successfully."""

    version: int
    name: str
    execution_ms: int
    statements: int | None = None  # set for no-transaction files (run statement by statement)


@dataclass(frozen=True)
class ApplyResult:
    """What ``apply`` did (or, with ``dry_run``, would do)."""

    applied: list[AppliedMigration]
    planned: list[str]  # names of the migrations the plan held
    from_version: int | None
    to_version: int | None
    duration_ms: int
    dry_run: bool = False
    single_transaction: bool = False
    # repeatable migrations (sql/repeatable) run after the versioned ones
    repeatables: list[AppliedRepeatable] = field(default_factory=list)
    planned_repeatables: list[str] = field(default_factory=list)  # their files, relative to sql/


@dataclass(frozen=True)
class AppliedRepeatable:
    """A repeatable migration that ran (sqlmig.core.repeatable)."""

    name: str
    file: str  # relative to sql/
    execution_ms: int


@dataclass(frozen=True)
class RollbackResult:
    """What ``rollback`` did."""

    rolled_back: list[AppliedMigration]
    from_version: int | None
    to_version: int | None
    duration_ms: int
    dry_run: bool = False
    planned: list[str] = field(default_factory=list)  # the rollback files, in the order they run


@dataclass(frozen=True)
class ResolveResult:
    version: int
    name: str
    outcome: str  # "applied" or "rolled-back"


@dataclass(frozen=True)
class NewMigration:
    version: int
    migration: Path
    rollback: Path
    manifest: Path


@dataclass(frozen=True)
class NewRepeatable:
    """``sqlmig new --repeatable``: the file created, and the manifest."""

    name: str
    repeatable: Path
    manifest: Path


@dataclass(frozen=True)
class ProgressEvent:
    """Reported while a run goes on; the CLI prints one line per migration.

    kind: "start" | "done" | "failed" for files; "statement" for each statement
    of a no-transaction file (with ``statement`` and ``execution_ms``).
    """

    kind: str
    index: int
    total: int
    name: str
    direction: str = "up"
    execution_ms: int | None = None
    statement: int | None = None
    statements: int | None = None
    text: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def to_jsonable(value: Any) -> Any:
    """Dataclasses, paths and datetimes as plain JSON values (stable key order)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in sorted(value.items())}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), indent=2, sort_keys=True)
