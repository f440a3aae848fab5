"""The backup keys of config/<env>.yaml: where backups go, how many stay, which
pg_dump, and whether a restore in place is allowed."""

from __future__ import annotations

from dataclasses import dataclass

from ..core import settings


@dataclass(frozen=True)
class BackupSettings(settings.SectionSettings):
    section = "backup"
    backup_dir: str | None = None  # default backups/<env>/ under the project root
    keep_backups: int | None = None  # None: keep every backup
    pg_bin_dir: str | None = None
    pg_dump_path: str | None = None
    restore: str = "allowed"  # allowed | emergency | refused: restoring in place


SECTION = BackupSettings.declare(
    keys={
        "backup_dir": settings.text("a non-empty path"),
        "keep_backups": settings.count(1),
        "pg_bin_dir": settings.text("a non-empty path"),
        "pg_dump_path": settings.text("a non-empty path"),
        "restore": settings.choice("allowed", "emergency", "refused"),
    },
)
