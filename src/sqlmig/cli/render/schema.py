"""The schema commands as text: ``docs`` (what was written, checked or
measured), ``verify``, ``drift`` and ``snapshot --out/--check``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .text import plural

if TYPE_CHECKING:
    from ...docs.build import DocsResult
    from ...docs.model import Coverage
    from ...schema.drift import DriftReport
    from ...schema.snapshot import SnapshotFile
    from ...schema.verify import VerifyResult


def coverage(c: Coverage, undocumented: bool = True) -> str:
    lines = [
        f"tables:  {c.tables_documented}/{c.tables} documented ({c.table_percent:.1f}%)",
        f"columns: {c.columns_documented}/{c.columns} documented ({c.column_percent:.1f}%)",
    ]
    if undocumented and c.undocumented:
        lines.append(f"undocumented ({plural(len(c.undocumented), 'object')}):")
        lines += [f"  {u}" for u in c.undocumented]
    return "\n".join(lines)


def docs(result: DocsResult) -> str:
    """What the CLI prints for a docs run (the check failure itself is raised)."""
    tags = [f"classification: {p}" for p in result.classification]
    if result.mode == "coverage":
        return "\n".join([coverage(result.coverage), f"minimum: {result.min_coverage:g}%",
                          *tags])
    lines = []
    if result.mode == "check":
        if not result.differences:
            lines.append(f"{result.out}: {plural(len(result.files), 'file')} up to date")
    else:
        lines.append(f"wrote {len(result.written)} of {plural(len(result.files), 'file')} to "
                     f"{result.out}"
                     + (f", removed {len(result.removed)} stale" if result.removed else ""))
        lines += [f"  {rel}" for rel in result.written[:50]]
        if len(result.written) > 50:
            lines.append(f"  ... and {len(result.written) - 50} more")
    if result.svg_skipped:
        lines.append(result.svg_skipped)
    lines.append(coverage(result.coverage, undocumented=False))
    return "\n".join(lines + tags)


def _repeatables(result: VerifyResult) -> list[str]:
    """Repeatable migrations, each applied twice (schema/verify.py)."""
    lines = []
    for r in result.repeatables:
        lines.append(f"{'PASS' if r.status == 'pass' else 'FAIL'} {r.file} applied twice "
                     f"({r.duration_ms} ms)")
        lines += [_item(p, "  ") for p in r.errors]
        if r.differences:
            lines.append("  the second application differs from the first:")
            lines += [_item(p, "    ") for p in r.differences]
    if result.repeatables:
        failed = [r.name for r in result.repeatables if r.status != "pass"]
        lines.append(f"{plural(len(result.repeatables), 'repeatable')}: "
                     f"{len(result.repeatables) - len(failed)} re-applicable, {len(failed)} not")
    return lines


def verify(result: VerifyResult) -> str:
    without = result.named("no rollback")
    if result.nothing_to_prove:
        text = "nothing to prove: no migration has a rollback file"
        if result.named("skipped"):
            text += f" ({len(result.named('skipped'))} marked irreversible)"
        return (text + f"; {plural(len(result.checks), 'migration')}, none applied. Write "
                "sql/rollbacks/<migration name>.sql to have a rollback proven.")
    lines = []
    for c in result.checks:
        if c.status == "no rollback":
            continue  # listed once below: a project may have hundreds
        label = {"pass": "PASS", "fail": "FAIL", "skipped": "SKIP"}.get(c.status, "----")
        timing = f" ({c.duration_ms} ms)" if c.status in ("pass", "fail") else ""
        lines.append(f"{label} {c.name}{timing}"
                     + (f": {c.status}, {c.reason}" if c.reason and c.status != "skipped" else "")
                     + (f": irreversible: {c.reason}" if c.status == "skipped" else ""))
        for title, items in (("", c.errors), ("rollback does not restore the schema:", c.rollback),
                             ("re-applying after the rollback differs:", c.reapply),
                             ("data:", c.data)):
            if items and title:
                lines.append(f"  {title}")
            lines += [_item(p, "    " if title else "  ") for p in items]
    passed, failed = result.named("pass"), result.named("fail")
    skipped, unverified = result.named("skipped"), result.named("not verified")
    summary = (f"{plural(len(result.checks), 'migration')}: {len(passed)} passed, "
               f"{len(failed)} failed, {len(skipped)} skipped")
    if without:
        summary += f", {len(without)} without rollback"
    if unverified:
        summary += f", {len(unverified)} not verified"
    summary += f" in {result.duration_ms / 1000:.1f} s ({result.snapshots} snapshots"
    summary += f", with data from {result.seed})" if result.with_data else ")"
    lines.append(summary)
    lines += _repeatables(result)
    if skipped:
        lines.append("irreversible (not rolled back): " + ", ".join(skipped))
    if without:
        lines.append("no rollback file (nothing to prove): " + _names(without))
    if failed:
        lines.append("failed: " + ", ".join(failed))
    return "\n".join(lines)


def _names(names: list[str], most: int = 10) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def drift(report: DriftReport) -> str:
    at = f"version {report.version}" if report.version is not None else "no applied migrations"
    if not report.drifted:
        return (f"no drift: {report.env} matches its {plural(len(report.applied), 'applied migration')} "
                f"({at}) in {report.duration_ms} ms")
    found = len(report.differences) + len(report.order)
    lines = [f"drift in {report.env} ({at}): {plural(found, 'difference')} from what the "
             "applied migrations produce"]
    lines += [_item(d, "  ") for d in report.differences]
    if report.order:
        lines.append("  column order:")
        lines += [_item(d, "    ") for d in report.order]
    return "\n".join(lines)


def snapshot_file(result: SnapshotFile) -> str:
    if result.written:
        return f"wrote {result.path} ({plural(result.objects, 'object')}, {result.format})"
    if result.ok:
        return f"{result.path}: matches the database ({plural(result.objects, 'object')})"
    return "\n".join([f"{result.path} differs from the database "
                      f"({plural(len(result.differences), 'difference')}); run "
                      f"`sqlmig snapshot --out {result.path}` and commit it if the change is "
                      "intended:",
                      *(_item(d, "  ") for d in result.differences)])


def _item(text: str, indent: str) -> str:
    """One difference, indented; a multi-line one (a definition's diff) keeps
    its lines under it."""
    return indent + text.replace("\n", "\n" + indent)
