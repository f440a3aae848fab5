"""The typed result of a lint run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .rules import ERROR, NOTE, WARNING


@dataclass(frozen=True)
class Finding:
    """One problem at one place.

    ``path`` is relative to the project's sql/ directory for project files
    (``migrations/0007_x.sql``), or as given on the command line otherwise.
    ``suppressed`` holds the reason of the ``-- sqlmig: allow`` comment that
    silenced it.
    """

    rule: str
    severity: str  # "error" | "warning" | "note"
    message: str
    path: str
    line: int
    column: int
    explanation: str
    suppressed: str | None = None
    table: str | None = None  # the table the statement touches ("name" or "schema.name")


@dataclass(frozen=True)
class TableStats:
    """A table's size in the target database (pg_class), for size-aware severities."""

    name: str
    rows: int  # reltuples estimate; -1 when never analyzed
    pages: int
    total_bytes: int  # pg_total_relation_size: heap + indexes + TOAST

    @property
    def empty(self) -> bool:
        return self.pages == 0 and self.rows <= 0


@dataclass(frozen=True)
class LintReport:
    """What ``sqlmig lint`` found.

    ``findings`` are the active ones, sorted by file, line, column and rule;
    ``suppressed`` those silenced by an allow comment (with their reason).
    """

    findings: list[Finding]
    suppressed: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    env: str | None = None
    root: Path | None = None  # the project root the paths are relative to
    changed_since: str | None = None  # --changed: the git base, "main (3f2a...)"

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    @property
    def notes(self) -> int:
        return self.count(NOTE)

    def failed(self, strict: bool = False) -> bool:
        """True when the CLI exits 1: any error, or (strict) any warning."""
        return self.errors > 0 or (strict and self.warnings > 0)
