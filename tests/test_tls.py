"""``require_tls: true`` against a real PostgreSQL with TLS (``pytest -m tls``).

The server (conftest's ``tls_server``) accepts both TLS and plain text, so
whether a connection is encrypted is the client's choice; the oracle is the
server's own ``pg_stat_ssl``, read from a separate superuser connection.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

import sqlmig
from conftest import TestProject, TlsServer

pytestmark = pytest.mark.tls


@pytest.fixture
def tls_db(tls_server: TlsServer) -> Iterator[str]:
    name = f"sqlmig_tls_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(tls_server.url(sslmode="disable"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(tls_server.url(sslmode="disable"), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _project(tmp_path: Path, server: TlsServer, db: str, url: str,
             *, require_tls: bool = True) -> TestProject:
    proj = TestProject(tmp_path / "proj", server.url(db, sslmode="disable"))
    proj.add(1, "widgets", "CREATE TABLE widgets (id int);\n", "DROP TABLE widgets;\n")
    lines = [f"database_url: '{url}'"] + (["require_tls: true"] if require_tls else [])
    (proj.root / "config" / "prod.yaml").write_text("\n".join(lines) + "\n")
    return proj


def _superuser_sees(server: TlsServer, db: str) -> list[tuple[bool, int]]:
    """(ssl, pid) of every sqlmig backend in ``db``, as the server records them."""
    with psycopg.connect(server.url(sslmode="disable"), autocommit=True) as oracle:
        return oracle.execute(
            "SELECT s.ssl, a.pid FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) "
            "WHERE a.application_name = 'sqlmig' AND a.datname = %s", (db,)).fetchall()


def test_require_tls_refuses_a_plain_connection_and_changes_nothing(tmp_path, tls_server,
                                                                    tls_db):
    proj = _project(tmp_path, tls_server, tls_db, tls_server.url(tls_db, sslmode="disable"))

    result = proj.run("apply", "--env", "prod")

    assert result.returncode == 3, result.stderr
    assert "not encrypted" in result.stderr and "sslmode=verify-full" in result.stderr
    assert "require_tls" in result.stderr and "Traceback" not in result.stderr
    assert tls_server.password not in result.stdout + result.stderr
    assert not proj.table_exists("widgets") and not proj.table_exists("sqlmig.schema_migrations")


def test_check_refuses_a_plain_connection_too(tmp_path, tls_server, tls_db):
    proj = _project(tmp_path, tls_server, tls_db, tls_server.url(tls_db, sslmode="disable"))

    result = proj.run("check", "--builtin", "--env", "prod")

    assert result.returncode == 3, result.stdout + result.stderr
    assert "not encrypted" in result.stderr and "Traceback" not in result.stderr


def test_verify_full_connection_is_encrypted_as_the_server_sees_it(tmp_path, tls_server,
                                                                   tls_db):
    url = tls_server.url(tls_db, sslmode="verify-full", sslrootcert=str(tls_server.ca))
    proj = _project(tmp_path, tls_server, tls_db, url)

    with sqlmig.Session(proj.root, env="prod") as s:
        s.status()
        seen = _superuser_sees(tls_server, tls_db)
        assert seen == [(True, s.conn.info.backend_pid)]


def test_apply_through_tls_end_to_end_with_the_default_sslmode(tmp_path, tls_server, tls_db):
    # No sslmode in the URL: require_tls makes it verify-full (the CA is given).
    url = tls_server.url(tls_db, sslrootcert=str(tls_server.ca))
    proj = _project(tmp_path, tls_server, tls_db, url)

    result = proj.run("apply", "--env", "prod")

    assert result.returncode == 0, result.stderr
    assert proj.table_exists("widgets") and proj.ledger_versions() == [1]


def test_the_default_sslmode_is_verify_full_so_a_wrong_host_name_is_refused(tmp_path,
                                                                            tls_server,
                                                                            tls_db):
    # libpq's own default (prefer) would connect to 127.0.0.1 without checking
    # that the certificate names it; verify-full does not.
    url = tls_server.url(tls_db, host="127.0.0.1", sslrootcert=str(tls_server.ca))
    proj = _project(tmp_path, tls_server, tls_db, url)

    result = proj.run("status", "--env", "prod")

    assert result.returncode == 2, result.stderr
    assert 'does not match host name "127.0.0.1"' in result.stderr
    assert "names (CN or subjectAltName)" in result.stderr


def test_verify_full_against_the_wrong_host_name_fails_clearly(tmp_path, tls_server, tls_db):
    url = tls_server.url(tls_db, host="127.0.0.1", sslmode="verify-full",
                         sslrootcert=str(tls_server.ca))
    proj = _project(tmp_path, tls_server, tls_db, url, require_tls=False)

    result = proj.run("status", "--env", "prod")

    assert result.returncode == 2
    assert result.stderr.count("\n") <= 3 and "Traceback" not in result.stderr
    assert "certificate" in result.stderr and "127.0.0.1" in result.stderr
    assert tls_server.password not in result.stdout + result.stderr


def test_the_bound_policy_requires_tls_where_the_file_does_not(tmp_path, tls_server, tls_db):
    tls_url = tls_server.url(tls_db, sslmode="verify-full", sslrootcert=str(tls_server.ca))
    proj = _project(tmp_path, tls_server, tls_db, tls_url)
    # An always-open window: a binding without one cannot be read back yet
    # (settings.with_policy refuses the recorded empty window list).
    with (proj.root / "config" / "prod.yaml").open("a") as f:
        f.write("maintenance_window: [daily 00:00-12:00 UTC, daily 12:00-00:00 UTC]\n")
    assert proj.run("apply", "--env", "prod").returncode == 0  # binds with require_tls
    proj.add(2, "gadgets", "CREATE TABLE gadgets (id int);\n", "DROP TABLE gadgets;\n")
    (proj.root / "config" / "prod.yaml").write_text(
        f"database_url: '{tls_server.url(tls_db, sslmode='disable')}'\n")

    result = proj.run("apply", "--env", "prod")

    assert result.returncode == 3, result.stderr
    assert "not encrypted" in result.stderr
    assert not proj.table_exists("gadgets") and proj.ledger_versions() == [1]
