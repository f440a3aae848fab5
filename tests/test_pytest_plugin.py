"""The pytest plugin, run in inner pytest sessions (pytester) against the test server."""

from __future__ import annotations

import pytest

import sqlmig

pytest_plugins = ["pytester"]

INNER_TESTS = '''
import psycopg

def test_a_writes(sqlmig_db):
    with sqlmig_db.connect() as conn:
        conn.execute("INSERT INTO notes (body) VALUES ('from a')")
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 1

def test_b_sees_a_fresh_clone(sqlmig_db):
    with psycopg.connect(sqlmig_db.url) as conn:
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
        assert conn.execute("SELECT max(version) FROM sqlmig.schema_migrations").fetchone()[0] == 2
    assert sqlmig_db.version == 2 and sqlmig_db.name.startswith("sqlmig_test_")

def test_c_each_test_has_its_own_database(sqlmig_db, sqlmig_template):
    assert sqlmig_db.template == sqlmig_template.name
    assert sqlmig_db.name != sqlmig_template.name
'''


@pytest.fixture
def inner(pytester, pg_server):
    root = pytester.path
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "sql" / "rollbacks").mkdir(parents=True)
    (root / "config").mkdir()
    (root / "sql" / "migrations" / "0001_notes.sql").write_text(
        "CREATE TABLE notes (id int GENERATED ALWAYS AS IDENTITY, body text);\n")
    (root / "sql" / "migrations" / "0002_notes_body.sql").write_text(
        "CREATE INDEX notes_body_idx ON notes (body);\n")
    sqlmig.write_manifest(root)
    pytester.makepyfile(test_inner=INNER_TESTS)
    return pytester


def databases(pg_server, pattern: str) -> list[str]:
    import psycopg

    with psycopg.connect(pg_server.url("postgres")) as conn:
        return [r[0] for r in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY 1", (pattern,))]


def drop(pg_server, names: list[str]) -> None:
    import psycopg

    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_clones_are_isolated_and_the_template_is_reused(inner, pg_server):
    dsn = pg_server.url("postgres")
    before = set(databases(pg_server, "sqlmig\\_tpl\\_%"))
    try:
        result = inner.runpytest("--sqlmig-dsn", dsn, "-p", "no:cacheprovider")
        result.assert_outcomes(passed=3)
        templates = set(databases(pg_server, "sqlmig\\_tpl\\_%")) - before
        assert len(templates) == 1
        assert databases(pg_server, "sqlmig\\_test\\_%") == []  # clones are dropped
        # a second session with unchanged files reuses the template
        inner.runpytest("--sqlmig-dsn", dsn, "-p", "no:cacheprovider").assert_outcomes(passed=3)
        assert set(databases(pg_server, "sqlmig\\_tpl\\_%")) - before == templates
        # a changed migration gets a template of its own
        (inner.path / "sql" / "migrations" / "0003_more.sql").write_text("CREATE TABLE more (id int);\n")
        sqlmig.write_manifest(inner.path)
        inner.makepyfile(test_inner="def test_head(sqlmig_db):\n    assert sqlmig_db.version == 3\n")
        inner.runpytest("--sqlmig-dsn", dsn, "-p", "no:cacheprovider").assert_outcomes(passed=1)
        assert len(set(databases(pg_server, "sqlmig\\_tpl\\_%")) - before) == 2
    finally:
        drop(pg_server, sorted(set(databases(pg_server, "sqlmig\\_tpl\\_%")) - before))


def test_server_from_the_ini_file_and_a_pytest_postgresql_fixture(inner, pg_server):
    before = set(databases(pg_server, "sqlmig\\_tpl\\_%"))
    inner.makeini(f"[pytest]\nsqlmig_postgresql_fixture = postgresql_noproc\n"
                  f"postgresql_host = {pg_server.host}\npostgresql_port = {pg_server.port}\n"
                  f"postgresql_user = {pg_server.user}\n")
    try:
        inner.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)
        inner.makeini(f"[pytest]\nsqlmig_dsn = {pg_server.url('postgres')}\n")
        inner.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)
    finally:
        drop(pg_server, sorted(set(databases(pg_server, "sqlmig\\_tpl\\_%")) - before))


def test_a_broken_migration_fails_the_fixture_with_its_location(inner, pg_server):
    (inner.path / "sql" / "migrations" / "0003_broken.sql").write_text("CREATE TABLE notes (id int);\n")
    sqlmig.write_manifest(inner.path)
    result = inner.runpytest("--sqlmig-dsn", pg_server.url("postgres"), "-p", "no:cacheprovider")
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(['*0003_broken.sql*relation "notes" already exists*'])
    assert databases(pg_server, "sqlmig\\_tplbuild\\_%") == []


def test_the_plugin_alone_reads_every_features_config_keys(inner, pg_server):
    """In a fresh process nothing but pytest's entry point loads sqlmig: a
    config with the features' keys (auto_apply is governance's) must still read."""
    (inner.path / "config" / "dev.yaml").write_text("auto_apply: true\nrefuse_on_drift: false\n")
    inner.makepyfile(test_inner="def test_head(sqlmig_db):\n    assert sqlmig_db.version == 2\n")
    before = set(databases(pg_server, "sqlmig\\_tpl\\_%"))
    try:
        result = inner.runpytest_subprocess("--sqlmig-dsn", pg_server.url("postgres"),
                                            "-p", "no:cacheprovider")
        result.assert_outcomes(passed=1)
    finally:
        drop(pg_server, sorted(set(databases(pg_server, "sqlmig\\_tpl\\_%")) - before))
