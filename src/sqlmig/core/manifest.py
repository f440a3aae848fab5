"""sql/manifest.sha256: the checksums of every migration, rollback and repeatable file.

The format is exactly ``sha256sum``'s (``<hex>  <path>``, paths relative to
``sql/``, sorted), so ``cd sql && sha256sum -c manifest.sha256`` verifies it
with standard tools.  Adding a migration adds lines at fixed places, so two
branches that each add one conflict in git instead of silently diverging.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, ManifestMismatch
from .files import Migration, SqlFile

MANIFEST_NAME = "manifest.sha256"
_LINE = re.compile(r"^(?P<sha>[0-9a-f]{64}) [ *](?P<path>\S.*)$")


@dataclass(frozen=True)
class ManifestReport:
    """The outcome of comparing the manifest with the files."""

    path: Path
    missing: list[str] = field(default_factory=list)  # listed, but no such file
    extra: list[str] = field(default_factory=list)  # a file the manifest does not list
    changed: list[str] = field(default_factory=list)  # checksum differs
    malformed: list[str] = field(default_factory=list)  # lines that are not sha256sum lines
    # a path on more than one line: "<path> (lines 3, 9)"; with different checksums
    # sha256sum -c fails the line that does not match, so sqlmig never keeps
    # the last one; with the same checksum sha256sum -c passes, but sqlmig never
    # writes such a manifest (it is a merge leftover), so it is a problem too.
    conflicting: list[str] = field(default_factory=list)  # different checksums
    repeated: list[str] = field(default_factory=list)  # the same checksum
    exists: bool = True
    sorted: bool = True

    @property
    def needed(self) -> bool:
        """A manifest is needed once there is a migration file: a new project,
        with no files and no manifest yet, is fine."""
        return self.exists or bool(self.extra)

    @property
    def ok(self) -> bool:
        return (self.exists or not self.needed) and self.sorted and not (
            self.missing or self.extra or self.changed or self.malformed or self.conflicting
            or self.repeated
        )

    def problems(self) -> list[str]:
        out: list[str] = []
        if self.needed and not self.exists:
            out.append(f"{MANIFEST_NAME} does not exist")
        out += [f"changed since the manifest was written: {p}" for p in self.changed]
        out += [f"listed in the manifest but missing: {p}" for p in self.missing]
        out += [f"not in the manifest: {p}" for p in self.extra]
        out += [f"malformed manifest line {p}" for p in self.malformed]
        out += [f"listed more than once with different checksums: {p}" for p in self.conflicting]
        out += [f"listed more than once: {p}" for p in self.repeated]
        if not self.sorted:
            out.append(f"{MANIFEST_NAME} is not sorted by path")
        return out


def files_of(migrations: list[Migration], repeatables: Sequence[SqlFile] = ()) -> list[SqlFile]:
    files = [m.up for m in migrations] + [m.down for m in migrations if m.down is not None]
    return sorted([*files, *repeatables], key=lambda f: f.relpath)


def render(migrations: list[Migration], repeatables: Sequence[SqlFile] = ()) -> str:
    return "".join(f"{f.checksum}  {f.relpath}\n" for f in files_of(migrations, repeatables))


def _repeatables(sql_dir: Path, given: Sequence[SqlFile] | None) -> Sequence[SqlFile]:
    """The repeatable files (sql/repeatable): those given, or read from ``sql_dir``,
    so that no caller can write or check a manifest that leaves them out."""
    if given is not None:
        return given
    from . import checkpoint
    from .files import discover_repeatables

    return (discover_repeatables(sql_dir)
            + [c.file for c in checkpoint.discover(sql_dir)])  # sql/checkpoints too


def write(sql_dir: Path, migrations: list[Migration],
          repeatables: Sequence[SqlFile] | None = None) -> Path:
    """Rewrite the manifest from the files on disk (``repeatables``: the files of
    sql/repeatable, read from ``sql_dir`` when not given)."""
    path = sql_dir / MANIFEST_NAME
    text = render(migrations, _repeatables(sql_dir, repeatables))
    tmp = path.with_suffix(".sha256.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="\n")
        tmp.replace(path)
    except OSError as exc:
        # A full disk (ENOSPC) or a read-only sql/: the old manifest stays as it was.
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise ConfigError(
            f"{path}: cannot write the manifest: {exc.strerror}. It is unchanged; free space "
            "or fix the permissions, then run `sqlmig manifest` again.",
            path=path,
        ) from None
    return path


def check(sql_dir: Path, migrations: list[Migration],
          repeatables: Sequence[SqlFile] | None = None) -> ManifestReport:
    """Compare the manifest with the files; never raises for a mismatch."""
    path = sql_dir / MANIFEST_NAME
    actual = {f.relpath: f.checksum
              for f in files_of(migrations, _repeatables(sql_dir, repeatables))}
    try:
        # Undecodable bytes become U+FFFD: such a line names no file of ours.
        text = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ManifestReport(path=path, exists=False, extra=sorted(actual))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the manifest: {exc.strerror}.",
                          path=path) from None
    lines: dict[str, list[tuple[int, str]]] = {}
    order: list[str] = []
    malformed: list[str] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _LINE.match(line)
        if m is None:
            malformed.append(f"{lineno}: {line[:80]!r}")
            continue
        lines.setdefault(m.group("path"), []).append((lineno, m.group("sha")))
        order.append(m.group("path"))
    conflicting: list[str] = []
    repeated: list[str] = []
    for p, seen in sorted(lines.items()):
        if len(seen) > 1:
            where = f"{p} (lines {', '.join(str(n) for n, _ in seen)})"
            (conflicting if len({sha for _, sha in seen}) > 1 else repeated).append(where)
    return ManifestReport(
        path=path,
        missing=sorted(set(lines) - set(actual)),
        extra=sorted(set(actual) - set(lines)),
        # A path listed with two checksums is `conflicting`; it is `changed` too
        # when neither is the file's.
        changed=sorted(p for p, seen in lines.items()
                       if p in actual and all(sha != actual[p] for _, sha in seen)),
        malformed=malformed,
        sorted=order == sorted(order),
        conflicting=conflicting,
        repeated=repeated,
    )


def verify(sql_dir: Path, migrations: list[Migration],
           repeatables: Sequence[SqlFile] | None = None) -> ManifestReport:
    """Like :func:`check`, but raise :class:`ManifestMismatch` on any problem."""
    return verified(check(sql_dir, migrations, repeatables))


def verified(report: ManifestReport) -> ManifestReport:
    """``report`` itself when the manifest matches; :class:`ManifestMismatch` otherwise."""
    if not report.ok:
        raise ManifestMismatch(
            f"sql/{MANIFEST_NAME} does not match the files. If every change is intended, "
            "run `sqlmig manifest` and commit the result; otherwise restore the files.",
            path=report.path,
            problems=report.problems(),
        )
    return report
