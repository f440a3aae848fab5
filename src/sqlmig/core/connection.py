"""The one place that opens connections, and the one that hides passwords.

Every connection sqlmig opens says ``application_name=sqlmig`` so that DBAs
can see it (and who holds the migration lock) in pg_stat_activity.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import ConnectionFailed

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("sqlmig.connection")

APPLICATION_NAME = "sqlmig"

# What features add to every connection ``connect`` opens (``sqlmig.features``
# registers them; the core knows none): each ``PREPARE`` hook may add
# parameters to the URL before connecting (``sslmode``), each ``OPENED`` hook
# may refuse the connection just opened, given the URL the caller passed (the
# connection is closed and the hook's error raised).
PREPARE: list[Callable[[str], str]] = []
OPENED: list[Callable[[psycopg.Connection, str], None]] = []

_URL_PASSWORD = re.compile(r"(?P<pre>[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)(?P<pw>[^@/?#\s]*)(?=@)", re.I)
_KV_PASSWORD = re.compile(r"(?P<pre>\bpassword\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|\S+)", re.I)
_QUERY_PASSWORD = re.compile(r"(?P<pre>[?&]password=)(?P<pw>[^&\s]*)", re.I)


def redact(text: str, *secrets: str | None) -> str:
    """``text`` with every password in URLs and conninfo strings replaced by ``***``,
    and every given secret string removed."""
    text = _URL_PASSWORD.sub(lambda m: m.group("pre") + ("***" if m.group("pw") else ""), text)
    text = _KV_PASSWORD.sub(lambda m: m.group("pre") + "***", text)
    text = _QUERY_PASSWORD.sub(lambda m: m.group("pre") + "***", text)
    from .sqltext import mask_passwords  # here: SQL analysis is not needed to connect

    text = mask_passwords(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def password_of(url: str) -> str | None:
    """The password inside a URL or conninfo, if any (so it can be redacted)."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        value = conninfo_to_dict(url).get("password")
    except Exception:  # noqa: BLE001 - an unparsable URL has no password we can find
        return None
    return str(value) if value else None


def connect(url: str, *, autocommit: bool = True, connect_timeout: int = 10) -> psycopg.Connection:
    """Open a connection with sqlmig's session settings.

    Every connection asks the server to check every second, while a query
    runs, that the client is still there (``client_connection_check_interval``,
    PostgreSQL 14+): a migration whose runner was killed is then cancelled and
    rolled back within a second or two instead of running on to its COMMIT.
    The setting travels in the startup packet, so it is the session's default
    and survives the ``RESET ALL`` before each file.  PostgreSQL 13 refuses the
    parameter: sqlmig connects without it and warns once (a killed run may
    still commit there).

    Errors never contain the password: psycopg's messages do not include it,
    and the URL we echo is redacted.
    """
    import psycopg

    given = url
    for prepare in PREPARE:
        url = prepare(url)
    check = _CHECK_INTERVAL not in _UNSUPPORTED
    try:
        try:
            conn = _open(url, autocommit, connect_timeout, check)
        except psycopg.OperationalError as exc:
            if not check or "client_connection_check_interval" not in str(exc):
                raise
            _UNSUPPORTED.add(_CHECK_INTERVAL)
            log.warning(
                "the server is older than PostgreSQL 14 and cannot notice a client that died "
                "mid-query (client_connection_check_interval): a killed sqlmig run may still "
                "commit the migration it was running. Upgrade the server, or never kill a run.")
            conn = _open(url, autocommit, connect_timeout, False)
    except psycopg.Error as exc:
        message = redact(str(exc).strip(), password_of(url))
        raise ConnectionFailed(
            f"cannot connect to {redact(url)}: {message}{_tls_hint(message)}",
            sqlstate=getattr(exc, "sqlstate", None),
        ) from None
    try:
        for opened in OPENED:
            opened(conn, given)
    except BaseException:
        conn.close()
        raise
    return conn


def sslmode(url: str) -> str | None:
    """The URL's ``sslmode``, if it names one (libpq's default is ``prefer``:
    TLS when the server offers it, else silently plain text)."""
    from psycopg.conninfo import conninfo_to_dict

    value = conninfo_to_dict(url).get("sslmode")
    return str(value) if value else None


def with_sslmode(url: str, mode: str) -> str:
    """``url`` with ``sslmode=mode`` when it names no sslmode (as key=value conninfo)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    if sslmode(url) is not None:
        return url
    return make_conninfo("", **{**conninfo_to_dict(url), "sslmode": mode})


def _tls_hint(message: str) -> str:
    """What to do about the TLS failures libpq reports (certificate, host name)."""
    low = message.lower()
    if "does not match host name" in low:
        return (". The server's certificate is not for the host in the URL: connect with "
                "the host name the certificate names (CN or subjectAltName), or fix the "
                "certificate; sslmode=verify-full checks both.")
    if "root certificate file" in low or "certificate verify failed" in low:
        return (". The server's certificate could not be verified: name the CA that signed "
                "it with sslrootcert=/path/to/ca.crt in the URL (default "
                "~/.postgresql/root.crt), or sslrootcert=system for the system's CAs.")
    if "server does not support ssl" in low:
        return (". The server does not offer TLS: turn on ssl in its postgresql.conf, or "
                "connect to a server that does.")
    return ""


# How often the server looks for a vanished client while a query runs.
CLIENT_CHECK_MS = 1000
_CHECK_INTERVAL = "client_connection_check_interval"
_UNSUPPORTED: set[str] = set()  # server parameters this process found refused


def _open(url: str, autocommit: bool, connect_timeout: int, check: bool) -> psycopg.Connection:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    extra: dict[str, Any] = {}
    if check:
        # Keep the user's own `options` (e.g. -c search_path=...) from the URL.
        own = conninfo_to_dict(url).get("options") or ""
        extra["options"] = f"{own} -c {_CHECK_INTERVAL}={CLIENT_CHECK_MS}".strip()
    return psycopg.connect(
        url,
        autocommit=autocommit,
        application_name=APPLICATION_NAME,
        connect_timeout=connect_timeout,
        **extra,
    )
