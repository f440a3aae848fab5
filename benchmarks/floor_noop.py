#!/usr/bin/env python3
"""The floor of a no-op ``apply`` / ``status`` on this stack (used by bench_apply.py).

What any Python tool built on psycopg 3 must do to know that nothing is
pending: start Python, import psycopg, connect, read the ledger in one query,
and read and hash every migration file.  Nothing else: no CLI, no config, no
plan.

    python benchmarks/floor_noop.py [--exit-now] PROJECT DATABASE_URL [LEDGER_QUERY]

LEDGER_QUERY returns (key, checksum) rows; by default sqlmig's ledger.
``--exit-now`` ends the process as sqlmig's console script does (flush, then
``os._exit``), skipping the interpreter's teardown: the stricter floor.
"""

import hashlib
import os
import sys
from pathlib import Path

import psycopg

SQLMIG_LEDGER = "SELECT version, checksum FROM sqlmig.schema_migrations"


def main() -> None:
    argv = sys.argv[1:]
    exit_now = argv[:1] == ["--exit-now"]
    if exit_now:
        argv = argv[1:]
    project, url = Path(argv[0]), argv[1]
    query = argv[2] if len(argv) > 2 else SQLMIG_LEDGER
    with psycopg.connect(url, autocommit=True) as conn:
        applied = {str(key): checksum for key, checksum in conn.execute(query)}
    pending = 0
    for path in sorted((project / "sql" / "migrations").glob("*.sql")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if applied.get(str(int(path.name.partition("_")[0]))) not in (digest, None):
            pending += 0  # a changed file: a real tool would refuse here
        elif str(int(path.name.partition("_")[0])) not in applied:
            pending += 1
    print(f"{len(applied)} applied rows, {pending} pending")
    if exit_now:
        sys.stdout.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
