#!/usr/bin/env python3
"""Install the peers bench_apply.py measures sqlmig against, in a directory of their own.

    python benchmarks/peers.py [DIR]     # default: ~/.cache/sqlmig-bench/peers

- yoyo and pyway (Python, on psycopg2) in a virtual environment DIR/venv,
- dbmate (Go) from npm into DIR/npm (the package ships the binary),

then links the three commands into DIR/bin and prints that directory: pass it
to ``bench_apply.py --peers`` (run_all.py does).  A peer that cannot be
installed (no network, no npm) is reported and left out; the benchmark then
says it was not measured.  Not a test; nothing here is imported by sqlmig.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

DEFAULT = Path.home() / ".cache" / "sqlmig-bench" / "peers"
PYTHON_PEERS = ["yoyo-migrations", "pyway", "psycopg2-binary"]


def install(root: Path) -> Path:
    bin_dir = root / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    env_dir = root / "venv"
    if not (env_dir / "bin" / "yoyo").exists() or not (env_dir / "bin" / "pyway").exists():
        venv.create(env_dir, with_pip=True)
        done = subprocess.run([str(env_dir / "bin" / "pip"), "install", "-q", *PYTHON_PEERS],
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            print(f"yoyo/pyway not installed: {done.stderr[-400:]}", file=sys.stderr)
    for name in ("yoyo", "pyway"):
        _link(env_dir / "bin" / name, bin_dir / name)
    npm_dir = root / "npm"
    dbmate = npm_dir / "node_modules" / ".bin" / "dbmate"
    if not dbmate.exists():
        if shutil.which("npm") is None:
            print("dbmate not installed: npm is not on PATH", file=sys.stderr)
        else:
            done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix",
                                   str(npm_dir), "dbmate"], capture_output=True, text=True,
                                  timeout=600)
            if done.returncode != 0:
                print(f"dbmate not installed: {done.stderr[-400:]}", file=sys.stderr)
    _link(dbmate, bin_dir / "dbmate")
    return bin_dir


def _link(target: Path, link: Path) -> None:
    if not target.exists():
        return
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(target, link)


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    print(install(root.resolve()))


if __name__ == "__main__":
    main()
