"""``sqlmig create`` and ``sqlmig drop``: the environment's database itself.

Both connect to the ``postgres`` maintenance database of the same server
(the URL with only its database name changed).  ``drop`` is for
development databases: it is refused where the environment is guarded
(approval or backup required, ``auto_apply: false``, a maintenance window)
or named like production or staging, for the server's own databases, without
``--yes``, and while other sessions are connected (it terminates nobody and
never uses ``WITH (FORCE)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.connection import connect
from ..errors import ConfigError, DatabaseError, PolicyRefusal, SafetyRefusal
from ..governance.settings import PolicySettings
from .queries import query

if TYPE_CHECKING:
    import psycopg

    from ..core.project import Project
    from ..core.settings import Config

MAINTENANCE_DB = "postgres"
SYSTEM_DATABASES = ("postgres", "template0", "template1")
GUARDED_ENV_NAMES = ("production", "prod", "staging")


@dataclass(frozen=True)
class DatabaseResult:
    """What ``create`` or ``drop`` did to database ``name``."""

    name: str
    env: str
    # created | exists (create found it) | dropped | missing (drop found none)
    outcome: str


def _target(project: Project, cfg: Config) -> tuple[str, str]:
    """(database name, URL of the maintenance database on the same server)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    if cfg.database_url is None:
        raise ConfigError(f"environment {cfg.env!r} names no single database_url (a fleet?): "
                          "pass --database-url.", path=cfg.path)
    url = project.database_url(cfg)
    params = conninfo_to_dict(url)
    name = params.get("dbname") or params.get("user")
    if not name:
        raise ConfigError(f"the URL of environment {cfg.env!r} names no database: add one "
                          "(postgresql://host/NAME).", path=cfg.path)
    return str(name), make_conninfo(url, dbname=MAINTENANCE_DB)


def _exists(conn: psycopg.Connection, name: str) -> bool:
    row = conn.execute(query("database_exists"), {"name": name}).fetchone()
    return bool(row and row[0])


def create(project: Project, cfg: Config) -> DatabaseResult:
    """CREATE DATABASE unless it exists."""
    import psycopg
    from psycopg import sql

    name, maintenance = _target(project, cfg)
    with connect(maintenance) as conn:
        if _exists(conn, name):
            return DatabaseResult(name, cfg.env, "exists")
        _refuse_connected(conn, name)
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:
            return DatabaseResult(name, cfg.env, "exists")  # created meanwhile by another
        except psycopg.Error as exc:
            raise DatabaseError(f'cannot create database "{name}": '
                                f"{exc.diag.message_primary or exc} ({exc.sqlstate}). Ask for "
                                "CREATEDB, or have the server's owner create it.",
                                sqlstate=exc.sqlstate) from None
    return DatabaseResult(name, cfg.env, "created")


def refuse_guarded(cfg: Config) -> None:
    """Refuse to drop the database of an environment that is not for development."""
    policy = PolicySettings.of(cfg)
    why = []
    if cfg.env.lower() in GUARDED_ENV_NAMES:
        why.append(f"it is named {cfg.env!r}")
    if policy.approval == "required":
        why.append("approval: required")
    if policy.backup == "required":
        why.append("backup: required")
    if not policy.auto_apply:
        why.append("auto_apply: false")
    if policy.maintenance_window:
        why.append("it has a maintenance_window")
    if why:
        raise PolicyRefusal(
            f"refusing to drop the database of environment {cfg.env!r}: {', '.join(why)}, so it "
            "is not a development environment. sqlmig drops development databases only; drop "
            "this one with your DBA's tools if you really mean to. Nothing was changed.",
            policy="drop")


def drop(project: Project, cfg: Config, *, yes: bool) -> DatabaseResult:
    """DROP DATABASE of a development environment; see the module docstring."""
    import psycopg
    from psycopg import sql

    refuse_guarded(cfg)
    name, maintenance = _target(project, cfg)
    if name in SYSTEM_DATABASES:
        raise SafetyRefusal(f'refusing to drop "{name}": it is one of the server\'s own '
                            "databases. Nothing was changed.")
    if not yes:
        raise PolicyRefusal(f'dropping database "{name}" deletes everything in it: pass --yes '
                            "to confirm. Nothing was changed.", policy="confirmation")
    with connect(maintenance) as conn:
        if not _exists(conn, name):
            return DatabaseResult(name, cfg.env, "missing")
        try:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.ObjectInUse:
            _refuse_connected(conn, name)  # a session connected since the check
            raise SafetyRefusal(f'refusing to drop database "{name}": it is in use '
                                "(prepared transactions or a replication slot?). Nothing "
                                "was changed.") from None
        except psycopg.Error as exc:
            raise DatabaseError(f'cannot drop database "{name}": '
                                f"{exc.diag.message_primary or exc} ({exc.sqlstate}). Only "
                                "its owner or a superuser may drop it.",
                                sqlstate=exc.sqlstate) from None
    return DatabaseResult(name, cfg.env, "dropped")


def _refuse_connected(conn: psycopg.Connection, name: str) -> None:
    sessions = conn.execute(query("database_sessions"), {"name": name}).fetchall()
    if sessions:
        raise SafetyRefusal(
            f'refusing to drop database "{name}": {len(sessions)} other session(s) are '
            "connected, and sqlmig terminates nobody. Close them (stop the application, "
            "disconnect psql), then run it again. Nothing was changed.",
            problems=[f"pid {pid}: user {user}, application {app or '-'}, from {addr or 'local'}"
                      for pid, user, app, addr in sessions])
