#!/usr/bin/env python3
"""Benchmark: validating and linting 10 and 20 MB of SQL, to show both are linear.

The SQL is generated from tests/lint_corpus/generate.py's templates (39 shapes
of real-world migration steps: tables, indexes, constraints, backfills,
renames, functions...), several steps per file, 2,000 files for 20 MB.  For
each size, in one run:

- ``sqlmig manifest --check``: the installed command reads and hashes every
  file and compares with sql/manifest.sha256 (start-up included),
- file validation: what ``apply`` does to every file before anything runs
  (:func:`sqlmig.core.files.read_sql_file`: read, hash, decode, header
  directives; then :meth:`~sqlmig.core.files.SqlFile.validate`: PostgreSQL's
  lexer through pglast, statement split, transaction control), in process,
- ``sqlmig.lint`` of every file, in process (no database).

Prints seconds and MB/s for each, and the 20 MB / 10 MB ratio of each (2.00
is linear; for ``manifest --check`` also without its start-up, measured on a
one-file project in the same rounds).  Targets: validation <= 2 s, lint <= 10 s for 20 MB.  No database.

    python benchmarks/bench_validate.py [--megabytes 20] [--files 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "lint_corpus"))

import generate  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report as readme  # noqa: E402  benchmarks/report.py

import sqlmig  # noqa: E402
from sqlmig import MigrationFileError  # noqa: E402
from sqlmig.core.files import read_sql_file  # noqa: E402

TEMPLATE_BYTES = 145  # a template renders to ~145 bytes on average (bench_lint.py)


def build(root: Path, megabytes: float, files: int) -> list[Path]:
    """A project under ``root`` with ``files`` migrations of ``megabytes`` MB in total."""
    (root / "config").mkdir(parents=True)
    (root / "config" / "dev.yaml").write_text("database_url: embedded\n")
    parts = max(1, int(megabytes * 1_000_000 / files / TEMPLATE_BYTES))
    paths = generate.generate(root / "sql" / "migrations", files, seed=11,
                              parts=(parts - 2, parts + 2))
    for path in paths:  # valid as apply wants them: CONCURRENTLY, VACUUM... outside a transaction
        try:
            read_sql_file(path, path.name).validate()
        except MigrationFileError as exc:
            if "no-transaction" not in str(exc):
                raise
            path.write_text("-- sqlmig: no-transaction\n" + path.read_text(encoding="utf-8"),
                            encoding="utf-8")
    sqlmig.write_manifest(root)
    return paths


CPU: dict[tuple[str, float], list[float]] = {}  # process CPU seconds of the in-process kinds


def validate(paths: list[Path]) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        read_sql_file(path, f"migrations/{path.name}").validate()
    CPU.setdefault(("file validation", len(paths)), []).append(time.process_time() - cpu)
    return time.perf_counter() - start


def lint(paths: list[Path]) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    sqlmig.lint(ROOT, paths=paths)
    CPU.setdefault(("lint", len(paths)), []).append(time.process_time() - cpu)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--megabytes", type=float, default=20.0)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sqlmig_cmd = str(Path(sys.executable).parent / "sqlmig")
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # installed packages have their bytecode

    def check(root: Path) -> float:
        start = time.perf_counter()
        subprocess.run([sqlmig_cmd, "manifest", "--check", "--project", str(root)],
                       check=True, capture_output=True, env=env)
        return time.perf_counter() - start

    sizes = (args.megabytes / 2, args.megabytes)
    kinds = {"manifest --check": check, "file validation": validate, "lint": lint}
    times: dict[tuple[str, float], list[float]] = {}
    actual: dict[float, float] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        projects = {}
        for mb in sizes:
            root = Path(tmp) / f"p{mb:g}"
            paths = build(root, mb, int(args.files * mb / args.megabytes))
            actual[mb] = sum(p.stat().st_size for p in paths) / 1e6
            projects[mb] = (root, paths)
        tiny = Path(tmp) / "tiny"  # manifest --check of one file: the command's start-up
        (tiny / "config").mkdir(parents=True)
        (tiny / "sql" / "migrations").mkdir(parents=True)
        (tiny / "sql" / "migrations" / "0001_one.sql").write_text("SELECT 1;\n")
        sqlmig.write_manifest(tiny)
        startup: list[float] = []
        for rnd in range(args.rounds):  # sizes and kinds alternated: the same load for each
            startup.append(check(tiny))
            for mb in sizes:
                root, paths = projects[mb]
                for kind, fn in kinds.items():
                    arg: object = root if kind == "manifest --check" else paths
                    times.setdefault((kind, mb), []).append(fn(arg))  # type: ignore[operator]
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)
    load_after = os.getloadavg()

    print(f"\n{args.rounds} rounds, medians; load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after")
    for kind in kinds:
        med = {mb: statistics.median(times[(kind, mb)]) for mb in sizes}
        cells = "   ".join(f"{actual[mb]:5.1f} MB: {med[mb]:6.2f} s ({actual[mb] / med[mb]:5.1f} MB/s)"
                           for mb in sizes)
        print(f"  {kind:<17} {cells}   {sizes[1]:g}/{sizes[0]:g} MB: "
              f"{med[sizes[1]] / med[sizes[0]]:.2f}x")
    counts = {mb: len(projects[mb][1]) for mb in sizes}
    print("  process CPU time (medians; wall above includes waiting for the other processes "
          "of a loaded machine):")
    for kind in ("file validation", "lint"):
        cpu = {mb: statistics.median(CPU[(kind, counts[mb])]) for mb in sizes}
        cells = "   ".join(f"{actual[mb]:5.1f} MB: {cpu[mb]:6.2f} s" for mb in sizes)
        print(f"    {kind:<15} {cells}   {sizes[1]:g}/{sizes[0]:g} MB: "
              f"{cpu[sizes[1]] / cpu[sizes[0]]:.2f}x")
    fixed = statistics.median(startup)
    net = {mb: statistics.median(times[("manifest --check", mb)]) - fixed for mb in sizes}
    print(f"  manifest --check of a 1-file project (start-up): {fixed:.2f} s; without it: "
          f"{net[sizes[0]]:.2f} s and {net[sizes[1]]:.2f} s, "
          f"{sizes[1]:g}/{sizes[0]:g} MB: " + (f"{net[sizes[1]] / net[sizes[0]]:.2f}x"
                                               if net[sizes[0]] > 0.01 else "within noise"))
    big = sizes[1]
    validation = (statistics.median(times[("manifest --check", big)])
                  + statistics.median(times[("file validation", big)]))
    small = sizes[0]
    lint_s = {mb: statistics.median(times[("lint", mb)]) for mb in sizes}
    readme.row(f"`bench_validate.py`: {counts[big]:,} files, {actual[big]:.1f} MB: validation "
               "(`manifest --check` + file validation: read, hash, split, checks) / lint; "
               f"targets 2 s / 10 s, linear",
               f"**{validation:.2f} s** / **{lint_s[big]:.2f} s**; {actual[big]:.1f} MB vs "
               f"{actual[small]:.1f} MB: validation "
               f"{statistics.median(times[('file validation', big)]) / statistics.median(times[('file validation', small)]):.2f}x,"
               f" lint {lint_s[big] / lint_s[small]:.2f}x")
    print(f"\ntargets for {actual[big]:.1f} MB: validation (manifest --check + file validation) "
          f"{validation:.2f} s (<= 2 s); lint {statistics.median(times[('lint', big)]):.2f} s "
          "(<= 10 s)")


if __name__ == "__main__":
    main()
