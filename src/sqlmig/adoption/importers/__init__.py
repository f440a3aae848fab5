"""One module per tool sqlmig imports from.  Each has ``TOOL``, ``read(src)``
(its files: the migrations in the tool's order, and whether their versions
are integers) and ``history(conn, found, src)`` (the migrations its ledger
records as applied), and raises ConfigError naming the file for what it
cannot translate, LedgerProblem for a ledger a human must fix first."""

from __future__ import annotations

import importlib
from types import ModuleType

from ...errors import ConfigError

FORMATS = {
    "dbmate": "dbmate",
    "diesel": "diesel",
    "flyway": "flyway",
    "golang-migrate": "golang_migrate",
    "sqitch": "sqitch",
    "yoyo": "yoyo",
}


def importer(fmt: str) -> ModuleType:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: sqlmig imports from "
                          f"{', '.join(sorted(FORMATS))}.")
    return importlib.import_module(f".{FORMATS[fmt]}", __package__)
