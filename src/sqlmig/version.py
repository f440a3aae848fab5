"""sqlmig's version: one place, read by the package, the SARIF output and the build."""

__version__ = "0.1.0"
