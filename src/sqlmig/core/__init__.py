"""The core: files, plans and their execution on one database.

Imports only :mod:`sqlmig.errors`, the standard library, psycopg and pglast;
features plug in through :mod:`.settings` (their config sections) and
:mod:`.session` (their hooks).
"""

import logging

# Every module that logs is under the core or imports it.  The library logs to
# the "sqlmig" logger and leaves handlers and levels to the application (the
# CLI sets them from the environment's `log_level`).
logging.getLogger("sqlmig").addHandler(logging.NullHandler())
