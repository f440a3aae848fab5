"""The schema keys of config/<env>.yaml: drift refusal, the seed for
`verify --with-data`, and the scratch server verify and drift replay on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import settings
from ..errors import ConfigError

AUTO = "auto"  # the embedded scratch server (sqlmig.schema.scratch)
SAME_SERVER = "same-server"  # the target's own server, explicitly allowed

# The embedded scratch server (filled in by sqlmig.features from the embedded
# adapter): project root, the target's major version -> a URL on that server;
# raises sqlmig.schema.scratch.ScratchUnavailable.
EMBEDDED: list[Callable[[Path, int], str]] = []


@dataclass(frozen=True)
class SchemaSettings(settings.SectionSettings):
    section = "schema"
    refuse_on_drift: bool = False  # apply refuses when the schema drifted
    seed_script: str | None = None  # `verify --with-data`; default demo/seed.py
    # auto | same-server | the URL of a scratch server; a URL may hold a password.
    scratch: str = field(default=AUTO, repr=False)


def _seed_script(value: Any) -> str:
    if not isinstance(value, str) or not value.strip().endswith((".py", ".sql")):
        raise ValueError("a path to a .py file defining seed(conninfo, ...) or a .sql file, "
                         "relative to the project root")
    return value.strip()


def _scratch(value: Any) -> str:
    # The URL itself is checked in _check, whose error never shows its password
    # (the core's message for a ValueError quotes the value).
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"`{AUTO}`, `{SAME_SERVER}`, or the URL of a PostgreSQL server "
                         "sqlmig may create and drop databases on")
    return value.strip()


def _check(values: Mapping[str, Any], path: Path) -> None:
    value = values.get("scratch")
    if value is None or value in (AUTO, SAME_SERVER):
        return
    from ..core.connection import redact

    shown = redact(value)
    if value.lower() in (settings.EMBEDDED, "same_server", "none", "off"):
        raise ConfigError(f"{path}: bad value for `scratch`: {shown!r}; expected `{AUTO}` "
                          f"(the embedded scratch server), `{SAME_SERVER}`, or a server URL.",
                          path=path)
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        conninfo_to_dict(value)
    except psycopg.ProgrammingError:
        raise ConfigError(
            f"{path}: bad value for `scratch`: {shown!r} is not a PostgreSQL URL or conninfo; "
            f"expected `{AUTO}`, `{SAME_SERVER}`, or e.g. `postgresql://user@host:5432/postgres`.",
            path=path) from None


SECTION = SchemaSettings.declare(
    keys={"refuse_on_drift": settings.flag, "seed_script": _seed_script, "scratch": _scratch},
    check=_check,
    # Recorded by the environment binding (governance/binding.py): a database
    # bound with refuse_on_drift keeps refusing whatever a caller's config says.
    policy=("refuse_on_drift",),
)
