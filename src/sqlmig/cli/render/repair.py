"""``sqlmig repair``'s result as text."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...core.repair import RepairResult


def repair(result: RepairResult) -> str:
    from ...core.connection import redact

    kind = ("comments/whitespace only" if result.cosmetic
            else "same bytes, new name" if result.checksum == result.old_checksum
            else "edited")
    lines = [f"{result.file}: recorded for version {result.version} ({kind})"]
    if result.renamed:
        lines.append(f"  name:     {result.old_name} -> {result.name}")
    lines.append(f"  checksum: {result.old_checksum} -> {result.checksum}")
    lines.append(f"  normalized: {result.old_normalized or 'none'} -> "
                 f"{result.normalized or 'none (the scanner could not read the file)'}")
    lines.append(f"  reason:   {redact(result.reason)}")
    if result.git_diff:
        lines += ["", redact(result.git_diff.rstrip())]
    elif result.git_diff is None:
        lines.append("  (no git diff: git does not have the commit it was applied from)")
    else:
        lines.append("  (git diff since the commit it was applied from: none)")
    return "\n".join(lines)
