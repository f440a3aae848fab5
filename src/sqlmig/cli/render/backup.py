"""``sqlmig backup`` and ``sqlmig restore`` as text."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...backup.dump import BackupResult, RestoreResult


def backup(result: BackupResult) -> str:
    lines = [f"backup {result.file} ({result.size} bytes, sha256 {result.sha256[:16]}...)",
             f"  {result.env}/{result.database} at ledger version "
             f"{result.ledger_version if result.ledger_version is not None else 'none'}, "
             f"server {result.server_version}, pg_dump {result.pg_dump_version}, "
             f"{result.duration_ms} ms"]
    lines += [f"  verified: {v}" for v in result.verified]
    lines += [f"  deleted (keep_backups): {p.name}" for p in result.deleted]
    return "\n".join(lines)


def restore(result: RestoreResult) -> str:
    where = f"new database {result.database}" if result.into_new_database else result.database
    lines = [f"restored {result.file.name} into {where} ({result.duration_ms} ms)"]
    lines += [f"  verified first: {v}" for v in result.verified]
    return "\n".join(lines)
