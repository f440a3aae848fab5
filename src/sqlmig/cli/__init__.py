"""The command line: a click group over :mod:`sqlmig.api`; the only place that prints.

``cli`` and ``main`` are loaded on first use, so that the console script
(:mod:`.entry`) can answer ``--version`` without importing click.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["cli", "main"]

if TYPE_CHECKING:
    from .main import cli, main


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'sqlmig.cli' has no attribute {name!r}")
    module = importlib.import_module(".main", __name__)
    # Importing the submodule sets this package's `main` to the module: put the
    # function back, as `from .main import cli, main` used to.
    globals().update(cli=module.cli, main=module.main)
    return globals()[name]
