"""``sqlmig init``: the files of a new project.

    config/dev.yaml          the embedded server unless DATABASE_URL is set
    config/production.yaml   strict: approval, backup, confirmation, a window
    sql/migrations/ sql/rollbacks/ sql/checks/   (each with a .gitkeep)
    sql/manifest.sha256      empty: valid for a project with no migration
    .gitignore               .sqlmig/ (the embedded server) and backups/

An existing project (``config/`` or ``sql/`` present) is refused and nothing
is written.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.manifest import MANIFEST_NAME
from ..errors import ConfigError

DEV_YAML = """\
# Development: the project's own embedded PostgreSQL unless DATABASE_URL names
# a server. Applies without asking.
database_url: ${DATABASE_URL:-embedded}
auto_apply: true
"""

PRODUCTION_YAML = """\
# Production: changes only in the maintenance window (or with --emergency
# --reason), approved by a second database user, from a clean checkout, after
# a verified backup, and confirmed (--yes) by whoever runs them.
database_url: ${PRODUCTION_DATABASE_URL}
# A human confirms every plan (or passes --yes).
auto_apply: false
# When changes may run, in the server's clock (UTC here).
maintenance_window:
  - Sun 02:00-04:00 UTC
# `sqlmig request`, then `sqlmig approve` by another database user.
approval: required
approval_ttl: 2h
# A pg_dump -Fc, verified, before every change.
backup: required
require_clean_git: true
# Wait at most 3 s for a table lock, then retry, rather than queue the
# application's queries behind the migration.
lock_timeout: 3s
lock_retries: 5
# Refuse to apply when the schema was changed by hand (`sqlmig drift`).
refuse_on_drift: true
"""

GITIGNORE_LINES = (".sqlmig/", "backups/")


@dataclass(frozen=True)
class InitResult:
    """What ``sqlmig init`` wrote."""

    root: Path
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)  # an existing .gitignore, extended


def refuse_existing(root: Path) -> None:
    for part in ("config", "sql"):
        if (root / part).exists():
            raise ConfigError(
                f"{root / part} exists: {root} is already a sqlmig project (or holds another "
                f"{part}/ directory). sqlmig init writes only new projects and changed "
                "nothing; pick an empty directory.", path=root / part)


def init(root: Path | str) -> InitResult:
    """Write a new project's files under ``root`` (created if needed)."""
    root = Path(root).resolve()
    if root.exists() and not root.is_dir():
        raise ConfigError(f"{root} is a file, not a directory. Nothing was written.", path=root)
    refuse_existing(root)
    return write(root)


def write(root: Path, created: list[Path] | None = None) -> InitResult:
    """The files, all or none: on a write error everything written is removed.
    Every file and directory made is appended to ``created`` as it is made."""
    created = [] if created is None else created
    updated: list[Path] = []
    files = {
        root / "config" / "dev.yaml": DEV_YAML,
        root / "config" / "production.yaml": PRODUCTION_YAML,
        root / "sql" / "migrations" / ".gitkeep": "",
        root / "sql" / "rollbacks" / ".gitkeep": "",
        root / "sql" / "checks" / ".gitkeep": "",
        root / "sql" / MANIFEST_NAME: "",
    }
    ignore = root / ".gitignore"
    try:
        for path, text in files.items():
            _mkdirs(path.parent, created)
            with path.open("x", encoding="utf-8") as fh:
                created.append(path)
                fh.write(text)
        if ignore.exists():
            have = ignore.read_text(encoding="utf-8").splitlines()
            missing = [line for line in GITIGNORE_LINES if line not in have]
            if missing:
                original = ignore.read_text(encoding="utf-8")
                sep = "" if not original or original.endswith("\n") else "\n"
                ignore.write_text(original + sep + "\n".join(missing) + "\n", encoding="utf-8")
                updated.append(ignore)
        else:
            with ignore.open("x", encoding="utf-8") as fh:
                created.append(ignore)
                fh.write("\n".join(GITIGNORE_LINES) + "\n")
    except OSError as exc:
        remove(created)
        raise ConfigError(f"{exc.filename or root}: cannot write: {exc.strerror}. Nothing was "
                          "written; fix the permissions or free space, then run it again.",
                          path=root) from None
    return InitResult(root, [p for p in created if p.is_file()], updated)


def _mkdirs(directory: Path, created: list[Path]) -> None:
    missing = []
    d = directory
    while not d.exists():
        missing.append(d)
        d = d.parent
    for d in reversed(missing):
        d.mkdir()
        created.append(d)


def remove(created: list[Path]) -> None:
    """Remove what was created, files first, then the directories, deepest first."""
    for path in reversed(created):
        with contextlib.suppress(OSError):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
