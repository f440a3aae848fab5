"""The one place that opens connections, and the one that hides passwords.

Every connection sqlmig opens says ``application_name=sqlmig`` so that DBAs
can see it (and who holds the migration lock) in pg_stat_activity.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import DatabaseError
from .sqltext import mask_passwords

if TYPE_CHECKING:
    import psycopg

APPLICATION_NAME = "sqlmig"

_URL_PASSWORD = re.compile(r"(?P<pre>[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)(?P<pw>[^@/?#\s]*)(?=@)", re.I)
_KV_PASSWORD = re.compile(r"(?P<pre>\bpassword\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|\S+)", re.I)
_QUERY_PASSWORD = re.compile(r"(?P<pre>[?&]password=)(?P<pw>[^&\s]*)", re.I)


def redact(text: str, *secrets: str | None) -> str:
    """``text`` with every password in URLs and conninfo strings replaced by ``***``,
    and every given secret string removed."""
    text = _URL_PASSWORD.sub(lambda m: m.group("pre") + ("***" if m.group("pw") else ""), text)
    text = _KV_PASSWORD.sub(lambda m: m.group("pre") + "***", text)
    text = _QUERY_PASSWORD.sub(lambda m: m.group("pre") + "***", text)
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

    Errors never contain the password: psycopg's messages do not include it,
    and the URL we echo is redacted.
    """
    import psycopg

    try:
        return psycopg.connect(
            url,
            autocommit=autocommit,
            application_name=APPLICATION_NAME,
            connect_timeout=connect_timeout,
        )
    except psycopg.Error as exc:
        raise DatabaseError(
            f"cannot connect to {redact(url)}: {redact(str(exc).strip(), password_of(url))}",
            sqlstate=getattr(exc, "sqlstate", None),
        ) from None
