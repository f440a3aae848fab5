"""``require_tls: true``: no work on a connection the server did not encrypt.

libpq's default ``sslmode=prefer`` falls back to plain text without a word
when the server (or anybody between) does not offer TLS, and a client-side
``sslmode`` says what the client asked for, not what it got.  So the rule is
checked from the server's side, on every connection sqlmig opens to the
environment's database, right after it opened::

    SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()

and a connection where that is not true is closed and refused
(:class:`~sqlmig.errors.PolicyRefusal`, exit 3) before anything runs on it.

How the connections are found: an environment with ``require_tls: true``
registers its URL here when a Session resolves it (and when
:func:`sqlmig.api.check_env`, the CLI's ``check``, starts); from then on
:func:`sqlmig.core.connection.connect` checks every connection to that exact
URL in this process, whoever opens it (the session's, the runner's
bookkeeping connection, the table lock's, the checks' workers and watchdog,
backup's snapshot and verification connections).  A URL that names no
``sslmode`` gets ``sslmode=verify-full``: the certificate must be signed by
``sslrootcert`` (default ``~/.postgresql/root.crt``) and name the URL's host.
``pg_dump`` and ``pg_restore`` get that URL too, so they cannot fall back to
plain text either, but their own connections are not checked from the
server's side.  Not covered: :func:`sqlmig.check` called directly (it
resolves its URL without a Session), a fleet's ``targets_query`` connection,
the scratch servers of drift and verify.

When only the database's binding requires TLS (the file does not), the
:class:`Guard` of each change checks the session's connection once the
binding is read, and registers its URL as it is (no default sslmode).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..core import connection
from ..errors import PolicyRefusal
from .settings import PolicySettings

if TYPE_CHECKING:
    from pathlib import Path

    import psycopg

    from ..core.project import Project
    from ..core.session import Session
    from ..core.settings import Config

DEFAULT_SSLMODE = "verify-full"
QUERY = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"

# URL -> the environment that requires it to be encrypted (for this process),
# and the URLs that get the default sslmode when they name none.
_REQUIRED: dict[str, str] = {}
_DEFAULTED: set[str] = set()
_LOCK = threading.Lock()


def required(cfg: Config) -> bool:
    return PolicySettings.of(cfg).require_tls


def require(url: str, env: str, *, default_sslmode: bool = True) -> str:
    """Check every later connection to ``url``; with ``default_sslmode``, also
    to the URL returned, ``url`` with ``sslmode=verify-full`` when it names no
    sslmode, which connections to ``url`` then use."""
    prepared = connection.with_sslmode(url, DEFAULT_SSLMODE) if default_sslmode else url
    with _LOCK:
        _REQUIRED[url] = env
        _REQUIRED[prepared] = env
        if default_sslmode:
            _DEFAULTED.add(url)
    return prepared


def prepare(url: str) -> str:
    """``connection.PREPARE`` hook: the default sslmode for a URL that must be encrypted."""
    if url in _DEFAULTED:
        return connection.with_sslmode(url, DEFAULT_SSLMODE)
    return url


def opened(conn: psycopg.Connection, url: str) -> None:
    """``connection.OPENED`` hook: refuse a connection to a registered URL that
    the server did not encrypt."""
    env = _REQUIRED.get(url)
    if env is not None:
        refuse_unless_encrypted(conn, env)


def refuse_unless_encrypted(conn: psycopg.Connection, env: str) -> None:
    """PolicyRefusal unless the server says this connection is encrypted."""
    import psycopg

    try:
        row = conn.execute(QUERY).fetchone()
    except psycopg.Error as exc:
        raise PolicyRefusal(
            f"environment {env!r} requires TLS (require_tls: true), and the server would not "
            f"say whether this connection is encrypted ({QUERY}: "
            f"{connection.redact(str(exc).strip())}). Nothing was done.",
            policy="require_tls") from None
    if row is not None and row[0] is True:
        return
    info = conn.info
    where = f"{info.host}:{info.port}/{info.dbname}"
    raise PolicyRefusal(
        f"environment {env!r} requires TLS (require_tls: true), but the connection to "
        f"{where} is not encrypted: the server's pg_stat_ssl says ssl = false for this "
        "session. Nothing was done. Connect with sslmode=verify-full and "
        "sslrootcert=/path/to/ca.crt in the database URL (not sslmode=disable, allow or "
        "prefer, which may talk plain text), and let the server accept this user only "
        "over TLS (`hostssl` lines in pg_hba.conf, ssl = on).",
        policy="require_tls")


# -- the hooks sqlmig.features registers ------------------------------------------------


def session_url(s: Session, url: str) -> str:
    """``Session`` URL hook: register the URL of an environment that requires TLS."""
    return require(url, s.config.env) if required(s.config) else url


class Guard:
    """A change guard entered after the policy guard, which has replaced the
    file's policy with the database's binding: when the bound policy requires
    TLS and the file did not, the session's connection is checked now, and
    every later connection to its URL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __enter__(self) -> Guard:
        s = self.session
        if required(s.config) and s.url not in _REQUIRED:
            # The session's URL is already chosen (and its connection open):
            # no default sslmode now, or its later connections would differ.
            require(s.url, s.config.env, default_sslmode=False)
            refuse_unless_encrypted(s.conn, s.config.env)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def check(self, plan: object) -> None:
        return None

    def done(self, applied: object) -> None:
        return None

    def note(self, versions: list[int], detail: str) -> None:
        return None


def for_environment(project: Project | Path | str | None, env: str,
                    database_url: str | None) -> None:
    """Register ``env``'s URL when it requires TLS, for operations that open
    their connections without a Session (``check``)."""
    from ..core.project import Project

    proj = project if isinstance(project, Project) else Project.find(project)
    cfg = proj.config(env, database_url)
    if cfg.database_url is not None and required(cfg):
        require(proj.database_url(cfg), env)
