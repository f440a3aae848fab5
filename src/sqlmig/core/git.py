"""What git knows about the project: HEAD, and which SQL files have uncommitted changes.

Asked once per run (two short subprocesses), never per migration.  Outside a
git repository, or without git installed, everything is None.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class GitState:
    head: str | None
    dirty: frozenset[str] = field(default_factory=frozenset)  # paths relative to the repo root
    repo_root: Path | None = None

    def commit_for(self, path: Path) -> str | None:
        """HEAD, with ``-dirty`` when ``path`` has uncommitted changes."""
        if self.head is None or self.repo_root is None:
            return None
        try:
            rel = path.resolve().relative_to(self.repo_root).as_posix()
        except ValueError:
            return self.head
        return f"{self.head}-dirty" if rel in self.dirty else self.head

    def dirty_under(self, directory: Path) -> list[str]:
        if self.repo_root is None:
            return []
        try:
            prefix = directory.resolve().relative_to(self.repo_root).as_posix().rstrip("/") + "/"
        except ValueError:
            return []
        if prefix == "./":
            return sorted(self.dirty)
        return sorted(p for p in self.dirty if p.startswith(prefix))


def _git(cwd: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def state(project_root: Path, sql_dir: Path) -> GitState:
    top = _git(project_root, "rev-parse", "--show-toplevel")
    if top is None:
        return GitState(head=None)
    repo_root = Path(top.strip()).resolve()
    head_out = _git(project_root, "rev-parse", "--verify", "-q", "HEAD")
    head = head_out.strip() if head_out else None
    status = _git(
        repo_root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", str(sql_dir)
    )
    dirty: set[str] = set()
    if status:
        entries = status.split("\0")
        i = 0
        while i < len(entries):
            entry = entries[i]
            if len(entry) > 3:
                dirty.add(entry[3:])
                if entry[0] in "RC":  # renames carry the old path as the next entry
                    i += 1
            i += 1
    return GitState(head=head, dirty=frozenset(dirty), repo_root=repo_root)
