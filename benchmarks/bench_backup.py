#!/usr/bin/env python3
"""Benchmark of `sqlmig backup` against plain `pg_dump -Fc`, on one server in one run.

The reference database (sql/migrations applied, filled by demo/seed.py at
--scale) is dumped --rounds times by plain pg_dump -Fc (the same binary
sqlmig picks) and --rounds times by sqlmig.create_backup() (pg_dump, SHA-256,
sidecar, verification: re-hash and pg_restore --list), alternating so that
cache effects fall on both.  Prints the medians and sqlmig's overhead
(target: at most 15 %), and the time of --verify=restore once, for scale.

    python benchmarks/bench_backup.py [--database-url URL] [--scale 0.5] [--rounds 5]

Without --database-url an embedded server is started in a temporary
directory.  A database is created and dropped on the server.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_checks import database, server  # noqa: E402 - shared server/database helpers
import report  # noqa: E402  benchmarks/report.py

import sqlmig  # noqa: E402
from sqlmig.backup import dump as backup  # noqa: E402
from sqlmig.core.session import Session  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def make_project(base: Path, url: str) -> Path:
    root = base / uuid.uuid4().hex[:8]
    (root / "config").mkdir(parents=True)
    (root / "config" / "dev.yaml").write_text(f"database_url: '{url}'\n")
    shutil.copytree(ROOT / "sql", root / "sql")
    return root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", help="server to use (default: start an embedded one)")
    ap.add_argument("--scale", type=float, default=0.5, help="demo/seed.py scale")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT / "demo"))
    from seed import seed

    with server(args.database_url) as srv, database(srv) as url:
        base = Path(tempfile.mkdtemp(prefix="sqlmig-bench-backup-"))
        try:
            root = make_project(base, url)
            sqlmig.apply(root)
            t = time.perf_counter()
            seed(url, scale=args.scale, seed=42, defects=False)
            with psycopg.connect(url) as conn:
                size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            print(f"database: scale {args.scale}, {size / 1e6:.0f} MB, seeded in "
                  f"{time.perf_counter() - t:.1f} s")

            with Session(root) as s:
                dump_tool, _ = backup.find_tools(s.config, backup.server_version_of(s.conn)[1])
            print(f"pg_dump: {dump_tool.path} ({dump_tool.version})")

            plain, ours = [], []
            for i in range(args.rounds):
                out = base / f"plain_{i}.dump"
                argv, env = backup.dump_command(dump_tool, url, out)
                t = time.perf_counter()
                subprocess.run(argv, env=env, check=True)
                plain.append(time.perf_counter() - t)
                out.unlink()

                t = time.perf_counter()
                result = sqlmig.create_backup(root)
                ours.append(time.perf_counter() - t)
                dump_size = result.size
                result.file.unlink()
                result.sidecar.unlink()

            p, o = statistics.median(plain), statistics.median(ours)
            print(f"dump size: {dump_size / 1e6:.1f} MB")
            print(f"plain pg_dump -Fc:                 median {p * 1000:8.0f} ms "
                  f"({', '.join(f'{x * 1000:.0f}' for x in plain)})")
            print(f"sqlmig backup (hash+list verify):  median {o * 1000:8.0f} ms "
                  f"({', '.join(f'{x * 1000:.0f}' for x in ours)})")
            overhead = (o - p) / p * 100
            print(f"overhead: {overhead:+.1f} % (ratio {o / p:.3f}; target <= 15 %) "
                  f"-> {'OK' if overhead <= 15 else 'OVER TARGET'}")

            t = time.perf_counter()
            full = sqlmig.create_backup(root, verify="restore")
            restore_s = time.perf_counter() - t
            print(f"sqlmig backup --verify=restore:     {restore_s * 1000:8.0f} ms "
                  f"(ratio {restore_s / p:.2f} of plain pg_dump; {full.verified[-1]})")
            report.row(f"`bench_backup.py`: backup with verification vs plain `pg_dump -Fc` "
                       f"({dump_size / 1e6:.0f} MB; target <= 15 %)",
                       f"{overhead:+.1f} %; `--verify=restore` {restore_s / p:.2f}x")
        finally:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
