"""baseline, checkpoint and tag, as text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .text import plural

if TYPE_CHECKING:
    from ...backup.checkpoint import CheckpointResult
    from ...core.tags import TagResult
    from ...schema.baseline import BaselineResult


def baseline(result: BaselineResult) -> str:
    span = f"{result.versions[0]}..{result.version}"
    if result.verified:
        return (f"baselined {result.env} at version {result.version}: "
                f"{plural(len(result.versions), 'migration')} ({span}) recorded as baselined; "
                f"the schema matched their replay on {result.scratch_server} "
                f"({result.duration_ms} ms)")
    lines = [f"baselined {result.env} at version {result.version} with "
             f"{plural(len(result.differences), 'accepted difference')} "
             f"(--accept-differences, reason: {result.reason}):"]
    lines += [f"  {d}" for d in result.differences]
    lines.append(f"{plural(len(result.versions), 'migration')} ({span}) recorded as baselined; "
                 "the differences and the reason are in the audit log")
    return "\n".join(lines)


def checkpoint(result: CheckpointResult) -> str:
    what = "schema and data" if result.with_data else "schema"
    verb = "wrote" if result.written else "unchanged:"
    lines = [f"{verb} {result.path} ({what} of {plural(result.migrations, 'migration')}, "
             f"{result.size} bytes, sha256 {result.sha256[:12]}); proven on "
             f"{result.scratch_server} ({result.duration_ms} ms)"]
    if result.tables_with_rows:
        lines.append(f"rows kept from {plural(len(result.tables_with_rows), 'table')}: "
                     + ", ".join(result.tables_with_rows))
    if result.manifest is not None:
        lines.append(f"updated {result.manifest}; commit both")
    return "\n".join(lines)


def tag(result: TagResult) -> str:
    return f"tagged {result.tag.name} at version {result.tag.version} ({result.migration})"
