"""``sqlmig lint --changed [BASE]``: the migrations and rollbacks a branch changes.

Applied migrations do not change (checksum drift says so when one does), so
re-reporting them on every run only buries what a reviewer must read.  The
files linted are those that differ between the merge base of HEAD and BASE
and the working tree (committed, staged, unstaged and untracked alike), under
sql/migrations and sql/rollbacks.  Without BASE: origin/main, then main, then
master.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.files import MIGRATIONS_DIR, REPEATABLE_DIR, ROLLBACKS_DIR
from ..core.git import _git
from ..errors import ConfigError

DEFAULT_BASES = ("origin/main", "main", "master")


@dataclass(frozen=True)
class Changes:
    """The files changed against ``base`` (resolved to the merge base ``commit``)."""

    base: str
    commit: str
    paths: list[Path]


def changed_files(root: Path, sql_dir: Path, base: str | None = None) -> Changes:
    """Migration, rollback and repeatable files under ``sql_dir`` changed against ``base``
    (default: the first of origin/main, main, master that exists).  ConfigError
    (exit 2) outside git, or when there is no such base."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        raise ConfigError(f"--changed needs a git repository: {root} is not in one (or git is "
                          "not installed). Pass the files to lint instead.", path=root)
    repo = Path(top.strip()).resolve()
    name, commit = _merge_base(root, base)
    scope = [str(sql_dir / d) for d in (MIGRATIONS_DIR, ROLLBACKS_DIR, REPEATABLE_DIR)]
    # `git diff BASE` compares the commit with the working tree: committed, staged
    # and unstaged changes at once; untracked files are listed apart.
    changed = _git(repo, "diff", "--name-only", "-z", "--no-renames", commit, "--", *scope) or ""
    untracked = _git(repo, "ls-files", "--others", "--exclude-standard", "-z", "--",
                     *scope) or ""
    found = {repo / rel for rel in (changed + untracked).split("\0") if rel.endswith(".sql")}
    return Changes(name, commit, sorted(p for p in found if p.is_file()))


def _merge_base(root: Path, base: str | None) -> tuple[str, str]:
    candidates = (base,) if base else DEFAULT_BASES
    for name in candidates:
        if _git(root, "rev-parse", "--verify", "-q", f"{name}^{{commit}}") is None:
            continue
        out = _git(root, "merge-base", "HEAD", name)
        if out is None:
            raise ConfigError(f"--changed {name}: it shares no history with HEAD (or HEAD has "
                              "no commit yet); pass another base: --changed BASE.")
        return name, out.strip()
    if base:
        raise ConfigError(f"--changed {base}: no such branch, tag or commit.")
    raise ConfigError("--changed: none of origin/main, main or master exists to compare with; "
                      "pass the base: --changed BASE (a branch, tag or commit).")
