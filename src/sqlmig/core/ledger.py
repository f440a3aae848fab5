"""schema_migrations and sqlmig's other bookkeeping tables.

sqlmig's own DDL lives in ``sqlmig/sql/ledger_NNNN.sql``.  The table
``sqlmig_ledger_version`` records which of those files a database has, so a
newer sqlmig adds columns or tables to an existing ledger by itself, exactly
like a project's migrations.

The tables live in a schema of their own, ``sqlmig`` (created on first use),
unless the config's ``schema:`` names another: a project's own
``public.schema_migrations`` (golang-migrate's, Rails'...) is then the
project's table, never sqlmig's.  A ledger an earlier sqlmig left in
``public`` is found and used there (:func:`locate`).
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, DatabaseError
from .settings import DEFAULT_SCHEMA

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql

    from .settings import Config

TABLE = "schema_migrations"
DONE = ("applied", "imported", "baselined")  # statuses of a migration whose effects are in the database
HISTORY = "sqlmig_history"
VERSION_TABLE = "sqlmig_ledger_version"
# Other tables `status` reads, named in the GRANT a reading role is told to get.
# Where sqlmig kept its tables before they got a schema of their own.
LEGACY_SCHEMA = "public"

log = logging.getLogger("sqlmig.ledger")
_reported: set[tuple[str | None, int | None, str]] = set()  # databases warned about


def locate(conn: psycopg.Connection, schema: str, *, given: bool) -> str:
    """The schema of the ledger ``conn``'s database uses.

    ``schema`` itself when the config named it (``given``), or when it is
    not the default.  Otherwise the default ``sqlmig``, except for a database
    whose ledger an earlier sqlmig created in ``public`` (its
    ``sqlmig_ledger_version`` is there: a golang-migrate or Rails table named
    schema_migrations is not mistaken for it) and that has none in
    ``sqlmig``: that ledger keeps being used where it is, and a warning (once
    per process and database) says how to move it.  One round trip; the
    migration lock is derived from the result, so call it before locking.
    """
    if given or schema != DEFAULT_SCHEMA:
        return schema
    with Ledger(schema).privileged(conn, "read the ledger"):
        row = conn.execute(
            "SELECT to_regclass(%s) IS NULL AND to_regclass(%s) IS NOT NULL"
            " AND to_regclass(%s) IS NOT NULL",
            (f'"{schema}"."{TABLE}"', f'"{LEGACY_SCHEMA}"."{TABLE}"',
             f'"{LEGACY_SCHEMA}"."{VERSION_TABLE}"'),
        ).fetchone()
    if not (row and row[0]):
        return schema
    where = (conn.info.host, conn.info.port, conn.info.dbname)
    if where not in _reported:
        _reported.add(where)
        log.warning(
            'the ledger of database "%s" is in schema "public", where earlier versions of '
            'sqlmig kept it; sqlmig keeps using it there. sqlmig now keeps its tables in a '
            'schema of its own, "sqlmig", out of the way of tables named schema_migrations '
            'of other tools: move them with the SQL under "Moving the ledger out of public" '
            "in sqlmig's README, or keep them where they are with `schema: public` in the "
            "environment's config (which also silences this warning).", conn.info.dbname)
    return LEGACY_SCHEMA


def located(config: Config, url: str) -> Config:
    """``config`` naming the schema of the ledger the database at ``url`` uses
    (:func:`locate`), for callers without a Session; connects only when the
    config leaves the schema to be found."""
    if config.schema_given or config.schema != DEFAULT_SCHEMA:
        return config
    import dataclasses

    from .connection import connect

    with connect(url) as conn:
        schema = locate(conn, config.schema, given=False)
    return dataclasses.replace(config, schema=schema, schema_given=True)


def ensure_schema(conn: psycopg.Connection, schema: str) -> None:
    """Create ``schema`` for sqlmig's tables unless it exists; a role that may not
    gets an error saying who can fix it and how."""
    import psycopg
    from psycopg import sql

    row = conn.execute("SELECT to_regnamespace(%s) IS NOT NULL", (f'"{schema}"',)).fetchone()
    if row and row[0]:
        # Not CREATE SCHEMA IF NOT EXISTS: it needs CREATE on the database even
        # when the schema exists (one a DBA created for a less privileged role).
        return
    try:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    except psycopg.errors.InsufficientPrivilege as exc:
        role, db = conn.info.user, conn.info.dbname
        raise DatabaseError(
            f'cannot create schema "{schema}" for sqlmig\'s own tables: '
            f"{exc.diag.message_primary or str(exc).strip()} (42501) for role \"{role}\". "
            f'Have the database\'s owner run GRANT CREATE ON DATABASE "{db}" TO "{role}"; '
            f'or CREATE SCHEMA "{schema}" AUTHORIZATION "{role}"; or set `schema:` in the '
            "environment's config to a schema this role may create tables in. "
            "Nothing was changed.",
            sqlstate=exc.sqlstate,
        ) from None


@dataclass(frozen=True)
class LedgerRow:
    """One applied (or failed) migration as recorded in schema_migrations."""

    version: int
    name: str
    checksum: str
    git_commit: str | None
    execution_ms: int
    applied_at: datetime
    applied_by: str
    os_user: str | None
    status: str  # "applied", "failed", or "imported" (adopted from another tool: done)
    failed_statement: int | None
    error: str | None
    # ledger_0008.sql: the checksum of the file's tokens without comments and
    # whitespace, and the rules that made it; None on older rows.
    checksum_normalized: str | None = None
    normalizer: str | None = None

    @property
    def done(self) -> bool:
        """The migration's effects are in the database: applied, or imported."""
        return self.status in DONE


@dataclass(frozen=True)
class HistoryEntry:
    """One event of sqlmig_history."""

    id: int
    version: int
    name: str
    action: str
    checksum: str | None
    git_commit: str | None
    execution_ms: int | None
    at: datetime
    db_user: str
    os_user: str | None
    detail: str | None


@functools.lru_cache(maxsize=1)
def os_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in a bare container is fine
        return None


@functools.lru_cache(maxsize=1)
def _ledger_files() -> list[tuple[int, str]]:
    from importlib import resources

    pkg = resources.files(__package__) / "sql"
    out = []
    for entry in pkg.iterdir():
        name = entry.name
        if name.startswith("ledger_") and name.endswith(".sql"):
            out.append((int(name[7:11]), entry.read_text(encoding="utf-8")))
    return sorted(out)


@functools.lru_cache(maxsize=1)
def _ledger_tables() -> frozenset[str]:
    """The tables the ledger files create: a complete ledger has them all."""
    created = re.compile(r"^\s*CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)", re.MULTILINE)
    return frozenset(name for _, ddl in _ledger_files() for name in created.findall(ddl))


class Ledger:
    """The ledger tables of one schema."""

    def __init__(self, schema: str) -> None:
        from psycopg import sql

        self.schema = schema
        self.table = sql.Identifier(schema, TABLE)
        self.history_table = sql.Identifier(schema, HISTORY)
        self.version_table = sql.Identifier(schema, VERSION_TABLE)
        self._rendered: tuple[Any, str, str, str] | None = None
        # Every ledger file is in (ensure() saw or made it so): the newest
        # columns can be read directly.
        self._current = False
        # What probe() found: the names of sqlmig's tables in the schema, and
        # whether schema_migrations has the normalized-checksum columns.
        self._probed: tuple[frozenset[str], bool] | None = None

    def ident(self, name: str) -> sql.Identifier:
        from psycopg import sql

        return sql.Identifier(self.schema, name)

    @contextlib.contextmanager
    def privileged(self, conn: psycopg.Connection, doing: str) -> Iterator[None]:
        """Turn the server's "permission denied" (42501) on sqlmig's own tables
        into a DatabaseError that says which GRANT is missing."""
        import psycopg

        try:
            yield
        except psycopg.errors.InsufficientPrivilege as exc:
            role = conn.info.user
            s = f'"{self.schema}"'
            if self.governed(conn):
                raise DatabaseError(
                    f"cannot {doing}: {exc.diag.message_primary or str(exc).strip()} (42501) "
                    f'for role "{role}". The ledger in schema {s} is governed (owned by '
                    "sqlmig_owner): a DBA grants this login its capacity with `sqlmig access "
                    f"grant {role} --as deployer|approver|auditor|checker`, and upgrades the "
                    "ledger of a newer sqlmig with `sqlmig access setup`."
                    + (f" ({exc.diag.message_hint})" if exc.diag.message_hint else ""),
                    sqlstate=exc.sqlstate,
                ) from None
            raise DatabaseError(
                f"cannot {doing}: {exc.diag.message_primary or str(exc).strip()} (42501) for "
                f'role "{role}". The ledger in schema {s} is open (owned by the login that '
                "created it): run sqlmig as that login, or have a superuser run `sqlmig access "
                f"setup` and then `sqlmig access grant {role} --as deployer` (docs/"
                f"environments.md). Reading alone needs GRANT USAGE ON SCHEMA {s} TO "
                f'"{role}"; GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO "{role}";',
                sqlstate=exc.sqlstate,
            ) from None

    def governed(self, conn: psycopg.Connection) -> bool:
        """Whether this ledger is governed: its schema belongs to sqlmig_owner
        (``sqlmig access setup``).  False when that cannot be read."""
        import psycopg

        try:
            if conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
                return False
            row = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace n JOIN pg_roles r"
                " ON r.oid = n.nspowner WHERE n.nspname = %s AND r.rolname = 'sqlmig_owner')",
                (self.schema,)).fetchone()
        except psycopg.Error:
            return False
        return bool(row and row[0])

    def probe(self, conn: psycopg.Connection) -> tuple[frozenset[str], bool]:
        """Which of sqlmig's tables the schema holds, and whether the ledger has
        the normalized-checksum columns (ledger_0008): one catalog query.

        Kept only when it found a complete ledger (every table of every ledger
        file, and the newest columns): a missing or older ledger is asked about
        afresh each time, so a Session kept open (or waiting for the lock) sees
        one another run created or upgraded meanwhile, and :meth:`ensure` sees
        the tables it creates; a complete one only changes by being dropped,
        which the next query reports."""
        if self._probed is None:
            # By name: pg_class's (relname, relnamespace) index, not a scan of
            # every relation of a database that may have tens of thousands.
            row = conn.execute(
                "SELECT array(SELECT c.relname::text FROM pg_class c"
                " WHERE c.relname = ANY(%s::name[]) AND c.relnamespace = to_regnamespace(%s)"
                " AND c.relkind IN ('r', 'p')),"
                " EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(%s)"
                " AND a.attname = 'checksum_normalized' AND NOT a.attisdropped)",
                (sorted(_ledger_tables()), f'"{self.schema}"', f'"{self.schema}"."{TABLE}"'),
            ).fetchone()
            assert row is not None
            found = (frozenset(row[0]), bool(row[1]))
            if not (found[1] and _ledger_tables() <= found[0]):
                return found
            self._probed = found
        return self._probed

    def has(self, conn: psycopg.Connection, table: str) -> bool:
        """Whether sqlmig's table ``table`` (one a ledger file creates) exists in
        the ledger's schema."""
        if table not in _ledger_tables():
            raise ValueError(f"{table} is not a table of sqlmig's ledger files")
        return table in self.probe(conn)[0]

    def exists(self, conn: psycopg.Connection) -> bool:
        with self.privileged(conn, "read the ledger"):
            return self.has(conn, TABLE)

    def ensure(self, conn: psycopg.Connection) -> None:
        """Create or upgrade the ledger.  Call with the migration lock held."""
        with self.privileged(conn, "create or upgrade the ledger"):
            self._ensure(conn)

    def _ensure(self, conn: psycopg.Connection) -> None:
        from psycopg import sql

        has_versions, has_table = self.has(conn, VERSION_TABLE), self.has(conn, TABLE)
        done: set[int] = set()
        if has_versions:
            # A set, not max(version): ledger files are numbered by feature, and a
            # lower-numbered one may reach a database after a higher one did.
            done = {
                int(r[0]) for r in conn.execute(
                    sql.SQL("SELECT version FROM {}").format(self.version_table)
                )
            }
        elif has_table:
            raise ConfigError(
                f'a table "{self.schema}"."{TABLE}" exists but was not created by sqlmig '
                "(another migration tool?). Set `schema:` in the environment's config to give "
                "sqlmig a schema of its own.",
            )
        pending = [(v, ddl) for v, ddl in _ledger_files() if v not in done]
        # A new ledger is made in one transaction and one round trip (every file,
        # then their versions): a fleet creates it in each of its databases.
        # An existing one is upgraded file by file, each in its own transaction.
        batches = ([pending] if not has_versions else [[file] for file in pending])
        for batch in batches:
            with conn.transaction():
                if not has_versions:
                    ensure_schema(conn, self.schema)
                conn.execute(
                    sql.SQL("SELECT set_config('search_path', {}, true)").format(
                        sql.Literal(f'"{self.schema}", pg_temp')
                    )
                )
                conn.execute(sql.SQL(";\n").join(
                    [sql.SQL(ddl) for _, ddl in batch]  # sqlmig's own files
                    + [sql.SQL("INSERT INTO {} (version) VALUES {}").format(
                        self.version_table,
                        sql.SQL(", ").join(sql.SQL("({})").format(sql.Literal(v))
                                           for v, _ in batch))]))
        self._current = True

    def rows(self, conn: psycopg.Connection) -> list[LedgerRow]:
        """Every ledger row by version; empty when there is no ledger yet."""
        from psycopg import sql
        from psycopg.rows import args_row

        if not self.exists(conn):
            return []
        # args_row: the columns in LedgerRow's field order, positionally (no
        # dict per row: this reads every row of the ledger on every run).
        with self.privileged(conn, "read the ledger"), \
                conn.cursor(row_factory=args_row(LedgerRow)) as cur:
            cur.execute(
                sql.SQL(
                    "SELECT version, name, checksum, git_commit, execution_ms, applied_at,"
                    " applied_by, os_user, status, failed_statement, error, "
                    + ("checksum_normalized, normalizer"
                       if self._current or self.probe(conn)[1] else
                       # Through to_jsonb: NULL, not an error, on a ledger before
                       # version 8 (4x slower, so only when it may be one).
                       "to_jsonb(m) ->> 'checksum_normalized' AS checksum_normalized,"
                       " to_jsonb(m) ->> 'normalizer' AS normalizer")
                    + " FROM {} AS m ORDER BY version"
                ).format(self.table)
            )
            return cur.fetchall()

    def status_of(self, conn: psycopg.Connection, version: int) -> str | None:
        """The ledger status of ``version`` (applied, failed), None when it has no row."""
        from psycopg import sql

        row = conn.execute(sql.SQL("SELECT status FROM {} WHERE version = %s").format(self.table),
                           (version,)).fetchone()
        return str(row[0]) if row else None

    def history(self, conn: psycopg.Connection, limit: int | None = None) -> list[HistoryEntry]:
        from psycopg import sql
        from psycopg.rows import class_row

        if not self.exists(conn):
            return []
        query = sql.SQL(
            "SELECT id, version, name, action, checksum, git_commit, execution_ms, at,"
            " db_user, os_user, detail FROM {} ORDER BY id DESC"
        ).format(self.history_table)
        if limit is not None:
            query = query + sql.SQL(" LIMIT {}").format(sql.Literal(limit))
        with self.privileged(conn, "read the ledger's history"), \
                conn.cursor(row_factory=class_row(HistoryEntry)) as cur:
            cur.execute(query)
            return cur.fetchall()

    # -- statements the runner sends inside a migration's own transaction ---------

    def record_applied(self, conn: psycopg.Connection, version: int, name: str, checksum: str,
                       git_commit: str | None, *, normalized: str | None = None) -> str:
        """INSERT of the ledger row and its history event, as one statement.

        ``execution_ms`` is measured by the server itself (now() is the
        transaction's start, clock_timestamp() the present), so the row can be
        written in the same round trip as the migration.  ``normalized`` is
        the file's :func:`~sqlmig.core.sqltext.normalized_checksum`.
        """
        return self._record(conn, "apply", version, name, checksum, git_commit, normalized)

    def record_rolled_back(self, conn: psycopg.Connection, version: int, name: str,
                           checksum: str, git_commit: str | None, *,
                           normalized: str | None = None) -> str:
        """DELETE of the ledger row and its history event, as one statement."""
        return self._record(conn, "rollback", version, name, checksum, git_commit, normalized)

    def _record(self, conn: psycopg.Connection, action: str, version: int, name: str,
                checksum: str, git_commit: str | None, normalized: str | None = None) -> str:
        # Rendered once per connection and then filled by plain formatting: this
        # runs once per migration, and psycopg.sql composition costs more than
        # the migration's own round trip on small files.
        if self._rendered is None or self._rendered[0] is not conn:
            from psycopg import sql

            self._rendered = (conn, self.function("sqlmig_record2").as_string(conn), "",
                              sql.Literal(os_user()).as_string(conn))
        _, record, _, user = self._rendered
        v, n, c, g = int(version), _literal(conn, name), _literal(conn, checksum), \
            _literal(conn, git_commit)
        if normalized is None:
            norm = by = "NULL"
        else:
            from .sqltext import NORMALIZER

            norm, by = _literal(conn, normalized), _literal(conn, NORMALIZER)
        return f"SELECT {record}('{action}', {v}, {n}, {c}, {norm}, {by}, {g}, {user})"

    def function(self, name: str) -> sql.Identifier:
        """One of the functions every write to sqlmig's tables goes through
        (sqlmig/sql/ledger_0006.sql): they take identity and time from the
        server and check the caller's capacity."""
        return self.ident(name)

    def call(self, conn: psycopg.Connection, name: str, *args: Any) -> Any:
        """``SELECT <schema>.<name>(args...)``: the first column of the first row."""
        from psycopg import sql

        query = sql.SQL("SELECT {}({})").format(
            self.function(name), sql.SQL(", ").join(sql.Placeholder() * len(args)))
        row = conn.execute(query, args).fetchone()
        return row[0] if row else None

    def log(self, conn: psycopg.Connection, version: int, name: str, action: str, *,
            checksum: str | None = None, git_commit: str | None = None,
            execution_ms: int | None = None, detail: str | None = None) -> None:
        self.call(conn, "sqlmig_log", version, name, action, checksum, git_commit,
                  execution_ms, os_user(), detail)

    def update(self, conn: psycopg.Connection, version: int, **fields: Any) -> None:
        from psycopg.types.json import Jsonb

        self.call(conn, "sqlmig_set_state", version, Jsonb(fields))

    def insert_failed(self, conn: psycopg.Connection, version: int, name: str, checksum: str,
                      git_commit: str | None, error: str) -> None:
        """The row a no-transaction migration writes before its first statement:
        should the run die, the migration shows as failed, never as pending."""
        self.call(conn, "sqlmig_mark_failed", version, name, checksum, git_commit, os_user(),
                  error)

    def delete(self, conn: psycopg.Connection, version: int) -> None:
        self.call(conn, "sqlmig_forget", version)


_PLAIN = re.compile(r"^[A-Za-z0-9_.-]*$")


def _literal(conn: psycopg.Connection, value: str | None) -> str:
    """A SQL literal; file names, checksums and commits are plain ASCII, quoted
    directly; anything else goes through psycopg's quoting."""
    if value is None:
        return "NULL"
    if _PLAIN.match(value):
        return f"'{value}'"
    from psycopg import sql

    return sql.Literal(value).as_string(conn)
