"""The command line: a click group over :mod:`sqlmig.api`; the only place that prints."""

from .main import cli, main

__all__ = ["cli", "main"]
