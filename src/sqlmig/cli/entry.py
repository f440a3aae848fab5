"""The ``sqlmig`` console script: answers ``sqlmig --version`` before click is imported.

Importing click and the commands costs ~30 ms; printing the version needs
none of it.  Any other command line goes to :func:`sqlmig.cli.main.main`.
The line printed is click's own ``version_option`` format, so the two paths
cannot be told apart.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from ..version import __version__

        print(f"sqlmig, version {__version__}")  # click's "%(prog)s, version %(version)s"
        return
    from .main import main as run

    run()
