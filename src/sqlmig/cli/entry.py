"""The ``sqlmig`` console script.

Three things here are about time, not behaviour:

- ``sqlmig --version`` is answered before click is imported: importing click
  and the commands costs ~30 ms and printing the version needs none of it.
  The line printed is click's own ``version_option`` format, so the two paths
  cannot be told apart.
- The process ends with :func:`os._exit` once the command is done, after
  doing what Python's own exit does that anyone can observe, in its order:
  it waits for non-daemon threads (``threading._shutdown``, as Python's exit
  calls it), runs the ``atexit`` callbacks (logging's flush and close,
  ``weakref.finalize`` clean-ups such as temporary directories) and flushes
  stdout and stderr, exiting 120 when a flush fails, as Python does.  What it
  skips is tearing down every module and the objects they hold, which
  psycopg alone makes ~25 ms (on a 2-core machine; a no-op ``apply`` took
  40 ms to exit after its last line was printed).
- The cyclic garbage collector runs after 100,000 new container objects
  instead of Python's 700.  Nearly everything a command creates (its modules,
  classes, files and ledger rows) lives until it ends, and collecting it over
  and over is waste: a no-op ``apply`` over 1,000 files ran 94 collections
  costing 8 ms, and now runs none.  Reference counting still frees what
  holds no cycle at once, and a long run (lint of thousands of files) still
  collects, in bounded steps.

Any other outcome than a normal or ``SystemExit`` end (a traceback) is left
to Python, so that it is reported exactly as it would be.
"""

from __future__ import annotations

import sys


def main() -> None:
    import gc

    gc.set_threshold(100_000, 10, 10)
    if sys.argv[1:] == ["--version"]:
        from ..version import __version__

        print(f"sqlmig, version {__version__}")  # click's "%(prog)s, version %(version)s"
        return
    from .main import main as run

    try:
        run()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    exit_now(code)


def exit_now(code: object) -> None:
    """End the process with ``code`` as ``sys.exit(code)`` would, without the teardown."""
    import atexit
    import os
    import threading

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code  # os._exit keeps the low 8 bits, as exit(3) does
    else:  # sys.exit("message"): Python prints it and exits 1
        if sys.stderr is not None:
            print(code, file=sys.stderr)
        status = 1
    # What Py_FinalizeEx does before tearing down, in its order.
    threading._shutdown()  # type: ignore[attr-defined]  # joins non-daemon threads
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None or getattr(stream, "closed", False):
            continue
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - Python's exit: any failure to flush is status 120
            status = 120
    os._exit(status)
