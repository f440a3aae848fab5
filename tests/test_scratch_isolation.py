"""verify and drift replay migrations on a scratch server, never on the target's own.

Roles are server-wide: a replayed ``ALTER ROLE app PASSWORD 'old'`` on a
scratch *database* of the target's server would reset the real password.
The oracle is pg_authid on the target server, read as superuser.  The
target is the session's server (conftest ``pg_server``); the scratch server
is a second embedded PostgreSQL started by conftest for the session and
plugged in where the project's embedded scratch server would be
(``scratch: auto``) for every test.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

import sqlmig
from sqlmig.schema import scratch as scratch_mod

ROTATED = "rotated-secret-9f2"


def superuser(pg_server, sql: str, params=None) -> list[tuple]:
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def authid(pg_server, role: str) -> tuple:
    return superuser(pg_server, "SELECT rolpassword, rolvaliduntil::text FROM pg_authid "
                                "WHERE rolname = %s", (role,))[0]


@pytest.fixture
def app_role(pg_server) -> Iterator[str]:
    role = f"app_{uuid.uuid4().hex[:8]}"
    superuser(pg_server, f"CREATE ROLE {role} LOGIN PASSWORD 'first'")
    try:
        yield role
    finally:
        superuser(pg_server, f"DROP ROLE IF EXISTS {role}")


@pytest.fixture
def rotated(project, app_role, pg_server):
    """A project whose applied migration resets and expires the role; the
    password was rotated (and the expiry lifted) after it was applied."""
    project.add(1, "app_role",
                "CREATE TABLE accounts (id bigint PRIMARY KEY);\n"
                f"ALTER ROLE {app_role} PASSWORD 'old';\n"
                f"ALTER ROLE {app_role} VALID UNTIL '2000-01-01';\n",
                f"ALTER ROLE {app_role} VALID UNTIL 'infinity';\nDROP TABLE accounts;\n")
    project.apply()
    superuser(pg_server, f"ALTER ROLE {app_role} PASSWORD '{ROTATED}' VALID UNTIL 'infinity'")
    return project


def set_scratch(project, value: str) -> None:
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nscratch: '{value}'\n")


def test_drift_and_verify_on_a_scratch_server_leave_the_real_role_alone(
        rotated, app_role, pg_server, scratch_server):
    before = authid(pg_server, app_role)
    assert before[1] == "infinity" and before[0].startswith("SCRAM-SHA-256$")
    drift = rotated.cli("drift")
    assert drift.exit_code == 0, drift.output
    verify = rotated.cli("verify")
    assert verify.exit_code == 0, verify.output
    assert "0001_app_role" in verify.stdout
    assert authid(pg_server, app_role) == before
    # The replay did run there: the scratch server's stand-in of the role took it.
    with psycopg.connect(scratch_server, autocommit=True) as conn:
        valid = conn.execute("SELECT rolvaliduntil::text FROM pg_authid WHERE rolname = %s",
                             (app_role,)).fetchone()
    assert valid is not None and valid[0].startswith("2000-01-01")
    with psycopg.connect(pg_server.url(rotated.url.rsplit("dbname=", 1)[-1].split()[0]),
                         user=app_role, password=ROTATED) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (app_role,)


@pytest.mark.parametrize("command", ["drift", "verify"])
def test_same_server_replay_is_refused_naming_the_statement(rotated, app_role, pg_server,
                                                             command):
    set_scratch(rotated, "same-server")
    before = authid(pg_server, app_role)
    result = rotated.cli(command)
    assert result.exit_code == 3, result.output
    assert "sql/migrations/0001_app_role.sql:2: ALTER ROLE (lint rule server-wide-statement)" \
        in result.output
    assert "sql/migrations/0001_app_role.sql:3: ALTER ROLE" in result.output
    assert "Traceback" not in result.output
    assert authid(pg_server, app_role) == before
    assert superuser(pg_server, "SELECT datname FROM pg_database WHERE datname LIKE "
                                "'sqlmig\\_drift\\_%' OR datname LIKE 'sqlmig\\_verify\\_%'") == []


def test_same_server_still_replays_ordinary_migrations(project, pg_server):
    project.add(1, "t", "CREATE TABLE t (id int);\n", "DROP TABLE t;\n")
    project.apply()
    set_scratch(project, "same-server")
    kept = "SELECT datname FROM pg_database WHERE datname LIKE 'sqlmig\\_cache\\_%'"
    before = superuser(pg_server, kept)
    assert project.cli("drift").exit_code == 0
    assert project.cli("verify").exit_code == 0
    # same-server: drift's cached template is on the target's server; not left for others.
    for (name,) in set(superuser(pg_server, kept)) - set(before):
        superuser(pg_server, f'DROP DATABASE "{name}" WITH (FORCE)')


def test_roles_the_replay_creates_are_dropped_from_the_scratch_server(project, pg_server,
                                                                      scratch_server):
    role = f"made_{uuid.uuid4().hex[:8]}"
    project.add(1, "role", f"CREATE ROLE {role} NOLOGIN;\nCREATE TABLE t (id int);\n"
                           f"GRANT SELECT ON t TO {role};\n",
                f"DROP TABLE t;\nDROP ROLE {role};\n")
    try:
        project.apply()
        for _ in range(2):  # a second replay does not trip over the first one's role
            result = project.cli("drift", "--privileges")
            assert result.exit_code == 0, result.output
        assert project.cli("verify").exit_code == 0
        with psycopg.connect(scratch_server, autocommit=True) as conn:
            assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                (role,)).fetchone() is None
    finally:
        project.query(f"DROP OWNED BY {role}")
        superuser(pg_server, f"DROP ROLE IF EXISTS {role}")


def test_extension_the_scratch_server_lacks_is_named_before_replaying(project):
    project.add(1, "ext", "CREATE EXTENSION IF NOT EXISTS sqlmig_no_such_extension;\n",
                "DROP EXTENSION sqlmig_no_such_extension;\n")
    result = project.cli("verify")
    assert result.exit_code == 2, result.output
    assert "sqlmig_no_such_extension (CREATE EXTENSION in sql/migrations/0001_ext.sql:1)" \
        in result.output
    assert "scratch:" in result.output and "Traceback" not in result.output


def test_no_scratch_server_and_no_permission_is_a_config_error(project, monkeypatch):
    from sqlmig.adapters import embedded

    # The real adapter, asked for a version the wheel is not.
    monkeypatch.setattr(scratch_mod, "EMBEDDED",
                        [lambda root, major: embedded.scratch_server(root, major + 1)])
    project.add(1, "t", "CREATE TABLE t (id int);\n", "DROP TABLE t;\n")
    result = project.cli("verify")
    assert result.exit_code == 2, result.output
    assert "embedded PostgreSQL is version" in result.output
    assert "scratch: same-server" in result.output and "scratch:" in result.output


@pytest.mark.parametrize("value, shown", [
    ("postgresql://u:hunter2@localhost/db?bogus=1", "postgresql://u:***@localhost/db"),
    ("embedded", "embedded"),
])
def test_bad_scratch_value_is_one_clear_error_without_the_password(project, value, shown):
    set_scratch(project, value)
    result = project.cli("drift")
    assert result.exit_code == 2, result.output
    assert "bad value for `scratch`" in result.output and shown in result.output
    assert "hunter2" not in result.output and "Traceback" not in result.output


def test_scratch_url_is_used_and_its_password_is_not_shown(project, scratch_server,
                                                           monkeypatch):
    """`scratch: URL` with a password: the replay runs there (the embedded
    provider is broken on purpose, so nothing else could have served it), and
    the password shows up nowhere."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    role, secret = f"scr_{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex}"
    with psycopg.connect(scratch_server, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN CREATEDB PASSWORD '{secret}'")
    try:
        url = make_conninfo("", **{**conninfo_to_dict(scratch_server), "user": role,
                                   "password": secret})

        def no_embedded(root, major):
            raise AssertionError("the embedded scratch server must not be used")

        monkeypatch.setattr(scratch_mod, "EMBEDDED", [no_embedded])
        project.add(1, "t", "CREATE TABLE t (id int);\n", "DROP TABLE t;\n")
        project.apply()
        set_scratch(project, url)
        report = sqlmig.detect_drift(project.root)
        assert not report.drifted
        assert secret not in repr(report) and secret not in str(report.scratch_server)
        r = project.cli("drift", "--json")
        assert r.exit_code == 0, r.output
        assert secret not in r.output
        config = sqlmig.Project(project.root).config("dev")
        assert secret not in repr(config)
    finally:
        with psycopg.connect(scratch_server, autocommit=True) as conn:
            # The drift's cached template belongs to the role that built it.
            for (name,) in conn.execute("SELECT datname FROM pg_database WHERE datdba = "
                                        "(SELECT oid FROM pg_roles WHERE rolname = %s)",
                                        (role,)).fetchall():
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            conn.execute(f"DROP ROLE IF EXISTS {role}")


def test_a_scratch_url_of_the_targets_own_server_is_same_server(rotated, app_role, pg_server):
    """Told to replay on a URL that is the target's own server (another
    database name, same system identifier): treated as same-server, so the
    role change is refused and pg_authid is untouched."""
    set_scratch(rotated, pg_server.url("postgres"))
    before = authid(pg_server, app_role)
    result = rotated.cli("drift")
    assert result.exit_code == 3, result.output
    assert "ALTER ROLE (lint rule server-wide-statement)" in result.output
    assert authid(pg_server, app_role) == before


def test_the_embedded_scratch_server_starts_once_and_is_reused(project, monkeypatch):
    """The real adapter: a second embedded server, shared, kept running."""
    import sqlmig.features as features
    from sqlmig.adapters import embedded

    # A home the server's system user can reach when the tests run as root.
    home = Path(tempfile.mkdtemp(prefix="sqlmig-test-scratch-home-"))
    home.chmod(0o755)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.setattr(embedded, "ROOT_HOME", home / "sqlmig")
    monkeypatch.setattr(scratch_mod, "EMBEDDED", [features._embedded_scratch])
    project.add(1, "t", "CREATE TABLE t (id int);\n", "DROP TABLE t;\n")
    project.apply()
    major = embedded.wheel_major()
    try:
        result = project.cli("drift")
        assert result.exit_code == 0, result.output
        first = embedded.scratch_info(major)
        assert first.running and str(first.data_dir).startswith(str(home))
        assert project.cli("verify").exit_code == 0
        assert embedded.scratch_info(major).pid == first.pid
    finally:
        embedded.stop_scratch(major)
    assert not embedded.scratch_info(major).running
    shutil.rmtree(home, ignore_errors=True)


# -- the lint rule ------------------------------------------------------------------------

SERVER_WIDE = [
    ("CREATE ROLE r LOGIN;", "CREATE ROLE"),
    ("CREATE USER u;", "CREATE USER"),
    ("CREATE GROUP g;", "CREATE GROUP"),
    ("ALTER ROLE r PASSWORD 'x';", "ALTER ROLE"),
    ("ALTER USER r VALID UNTIL '2000-01-01';", "ALTER ROLE"),
    ("ALTER ROLE r SET work_mem = '64MB';", "ALTER ROLE ... SET"),
    ("ALTER ROLE r RENAME TO s;", "ALTER ROLE ... RENAME"),
    ("DROP ROLE r;", "DROP ROLE"),
    ("DROP USER IF EXISTS r;", "DROP ROLE"),
    ("ALTER SYSTEM SET work_mem = '64MB';", "ALTER SYSTEM"),
    ("CREATE DATABASE d;", "CREATE DATABASE"),
    ("ALTER DATABASE d SET work_mem = '64MB';", "ALTER DATABASE ... SET"),
    ("ALTER DATABASE d CONNECTION LIMIT 5;", "ALTER DATABASE"),
    ("ALTER DATABASE d OWNER TO r;", "ALTER DATABASE ... OWNER TO"),
    ("DROP DATABASE d;", "DROP DATABASE"),
    ("CREATE TABLESPACE t LOCATION '/srv/t';", "CREATE TABLESPACE"),
    ("ALTER TABLESPACE t SET (seq_page_cost = 2);", "ALTER TABLESPACE"),
    ("DROP TABLESPACE t;", "DROP TABLESPACE"),
    ("GRANT admin TO r;", "GRANT role membership"),
    ("REVOKE admin FROM r;", "REVOKE role membership"),
    ("GRANT CONNECT ON DATABASE d TO r;", "GRANT ... ON DATABASE"),
    ("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (connect = false);",
     "CREATE SUBSCRIPTION"),
    ("DROP SUBSCRIPTION s;", "DROP SUBSCRIPTION"),
    ("SECURITY LABEL ON ROLE r IS 'x';", "SECURITY LABEL ON ROLE"),
    ("COMMENT ON ROLE r IS 'x';", "COMMENT ON ROLE"),
    ("COMMENT ON DATABASE d IS 'x';", "COMMENT ON DATABASE"),
    ("COMMENT ON TABLESPACE t IS 'x';", "COMMENT ON TABLESPACE"),
    ("REASSIGN OWNED BY r TO s;", "REASSIGN OWNED"),
    ("DO $$ BEGIN ALTER ROLE r PASSWORD 'x'; END $$;", "ALTER ROLE (in a DO block)"),
]
ORDINARY = [
    "CREATE TABLE users (id bigint PRIMARY KEY);",
    "GRANT SELECT ON users TO r;",
    "REVOKE ALL ON users FROM PUBLIC;",
    "COMMENT ON TABLE users IS 'the role of a user';",
    "CREATE USER MAPPING FOR r SERVER s;",
    "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO r;",
    "SELECT 'ALTER ROLE r PASSWORD ''x''';",
    "DO $$ BEGIN RAISE NOTICE 'ALTER SYSTEM'; END $$;",
]


def _lint(tmp_path: Path, up: str, down: str = "SELECT 1;") -> list:
    root = tmp_path / "proj"
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "sql" / "rollbacks").mkdir(parents=True)
    (root / "config").mkdir()
    (root / "sql" / "migrations" / "0001_test.sql").write_text("-- sqlmig: no-transaction\n" + up)
    (root / "sql" / "rollbacks" / "0001_test.sql").write_text(down)
    return [f for f in sqlmig.lint(root).findings if f.rule == "server-wide-statement"]


@pytest.mark.parametrize("sql, kind", SERVER_WIDE)
def test_lint_finds_each_server_wide_statement(tmp_path, sql, kind):
    found = _lint(tmp_path, sql + "\n")
    assert [(f.path, f.line, f.severity) for f in found] == \
        [("sql/migrations/0001_test.sql", 2, "warning")]
    assert found[0].message.startswith(kind + " changes the whole server")


def test_lint_finds_server_wide_statements_in_rollbacks(tmp_path):
    found = _lint(tmp_path, "SELECT 1;\n", "DROP ROLE r;\n")
    assert [(f.path, f.line) for f in found] == [("sql/rollbacks/0001_test.sql", 1)]


@pytest.mark.parametrize("sql", ORDINARY)
def test_lint_leaves_ordinary_statements_alone(tmp_path, sql):
    assert _lint(tmp_path, sql + "\n") == []


@pytest.mark.parametrize("sql, kind", SERVER_WIDE)
def test_the_refusal_and_the_rule_decide_alike(sql, kind):
    from sqlmig.core.files import read_sql_file

    path = Path(tempfile.mkdtemp()) / "0001_x.sql"
    path.write_text("-- sqlmig: no-transaction\n" + sql + "\n")
    found = scratch_mod.server_wide_statements([read_sql_file(path, "migrations/0001_x.sql")])
    assert [(s.line, s.kind) for s in found] == [(2, kind)]
