"""The benchmarks' one line each for the README's performance table.

Every benchmark ends by calling :func:`row` with what it measured and the
result against its baseline; ``run_all.py`` collects these lines from one run
of all of them and writes the table (``--write-readme``).
"""

from __future__ import annotations

PREFIX = "README| "


def row(benchmark: str, result: str) -> None:
    """Print the README table row ``| benchmark | result |`` (marked for run_all.py)."""
    print(f"{PREFIX}{benchmark.replace('|', '/')} | {result.replace('|', '/')}", flush=True)
