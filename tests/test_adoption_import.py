"""``sqlmig import``: files and ledgers of golang-migrate, Flyway and diesel built
by hand (their ledger tables with the tools' own DDL), and the bad inputs of
every format.  The real dbmate, yoyo and Sqitch are in test_adoption_tools.py.

Every refusal is checked the same way: the documented exit code, one message
naming the source file, no traceback, the target directory never created,
and (with a database) no ``sqlmig`` schema in it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

import sqlmig
from sqlmig import api
from sqlmig.cli.main import cli

# The tools' own ledger DDL for PostgreSQL.
FLYWAY_DDL = """
CREATE TABLE "public"."flyway_schema_history" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);
ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk"
    PRIMARY KEY ("installed_rank");
CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");
"""
GOLANG_MIGRATE_DDL = ("CREATE TABLE IF NOT EXISTS schema_migrations "
                      "(version bigint not null primary key, dirty boolean not null)")
DIESEL_DDL = ("CREATE TABLE IF NOT EXISTS __diesel_schema_migrations ("
              "version VARCHAR(50) PRIMARY KEY NOT NULL, "
              "run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)")


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def sql(url: str, statement: str, params: object = None) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement, params)  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []


def has_sqlmig_schema(url: str) -> bool:
    return sql(url, "SELECT to_regnamespace('sqlmig') IS NOT NULL")[0][0] is True


# -- golang-migrate --------------------------------------------------------------------


def golang_src(tmp_path: Path) -> Path:
    return write(tmp_path / "migrations", {
        "1_create_users.up.sql": "BEGIN;\nCREATE TABLE users (id int PRIMARY KEY);\nCOMMIT;\n",
        "1_create_users.down.sql": "DROP TABLE users;\n",
        "2_index_users.up.sql": "CREATE INDEX CONCURRENTLY users_id ON users (id);\n",
        "2_index_users.down.sql": "DROP INDEX CONCURRENTLY users_id;\n",
        "3_add_name.up.sql": "ALTER TABLE users ADD COLUMN name text;\n",
    })


def test_golang_migrate_files_become_a_project(tmp_path):
    into = tmp_path / "proj"
    result = run("import", "golang-migrate", str(golang_src(tmp_path)), "--into", str(into))
    assert result.exit_code == 0, result.output
    mig, rb = into / "sql" / "migrations", into / "sql" / "rollbacks"
    assert sorted(p.name for p in mig.glob("*.sql")) == [
        "0001_create_users.sql", "0002_index_users.sql", "0003_add_name.sql"]
    assert sorted(p.name for p in rb.glob("*.sql")) == ["0001_create_users.sql",
                                                    "0002_index_users.sql"]
    first = (mig / "0001_create_users.sql").read_text()
    assert "BEGIN" not in first and "COMMIT" not in first
    # CREATE INDEX CONCURRENTLY is found by the parser, and both files get the directive.
    for path in (mig / "0002_index_users.sql", rb / "0002_index_users.sql"):
        assert "-- sqlmig: no-transaction" in path.read_text().splitlines()
    assert "-- sqlmig: no-transaction" not in (mig / "0003_add_name.sql").read_text()
    # The manifest is what sha256sum computes, and the report names the rollback-less one.
    assert subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=into / "sql",
                          capture_output=True).returncode == 0
    report = (into / "sql" / "IMPORTED.md").read_text()
    assert "| 0003_add_name | 3 | 3_add_name.up.sql | none |" in report
    assert "Without a rollback (1): 0003_add_name" in report
    # A project `sqlmig init` would make, too.
    assert (into / "config" / "dev.yaml").is_file()


def test_golang_migrate_history_is_adopted_up_to_its_version(tmp_path, db_url):
    sql(db_url, GOLANG_MIGRATE_DDL)
    sql(db_url, "INSERT INTO schema_migrations VALUES (2, false)")
    sql(db_url, "CREATE TABLE users (id int PRIMARY KEY)")
    into = tmp_path / "proj"
    result = run("import", "golang-migrate", str(golang_src(tmp_path)), "--into", str(into),
                 "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert sql(db_url, "SELECT version, dirty FROM public.schema_migrations") == [(2, False)]
    rows = sql(db_url, "SELECT version, status, source_tool, source_version, checksum "
                       "FROM sqlmig.schema_migrations ORDER BY 1")
    files = into / "sql" / "migrations"
    sha = {p.name: subprocess.run(["sha256sum", str(p)], capture_output=True,
                                  text=True).stdout.split()[0] for p in files.glob("*.sql")}
    assert rows == [(1, "imported", "golang-migrate", "1", sha["0001_create_users.sql"]),
                    (2, "imported", "golang-migrate", "2", sha["0002_index_users.sql"])]
    history = sql(db_url, "SELECT version, action, db_user = session_user, source_tool "
                          "FROM sqlmig.sqlmig_history ORDER BY id")
    assert history == [(1, "import", True, "golang-migrate"), (2, "import", True,
                                                               "golang-migrate")]
    st = sqlmig.status(into, database_url=db_url)
    assert st.ok and [m.version for m in st.pending] == [3] and st.current_version == 2


def test_an_edited_imported_file_is_checksum_drift(tmp_path, db_url):
    sql(db_url, GOLANG_MIGRATE_DDL)
    sql(db_url, "INSERT INTO schema_migrations VALUES (1, false)")
    into = tmp_path / "proj"
    assert run("import", "golang-migrate", str(golang_src(tmp_path)), "--into", str(into),
               "--database-url", db_url).exit_code == 0
    path = into / "sql" / "migrations" / "0001_create_users.sql"
    path.write_text(path.read_text() + "-- edited\n")
    sqlmig.write_manifest(into)
    kinds = [p.kind for p in sqlmig.status(into, database_url=db_url).problems]
    assert kinds == ["checksum-drift"]


def test_dirty_golang_migrate_ledger_is_refused_and_nothing_is_written(tmp_path, db_url):
    sql(db_url, GOLANG_MIGRATE_DDL)
    sql(db_url, "INSERT INTO schema_migrations VALUES (2, true)")
    into = tmp_path / "proj"
    result = run("import", "golang-migrate", str(golang_src(tmp_path)), "--into", str(into),
                 "--database-url", db_url)
    assert result.exit_code == 3, result.output
    assert "dirty at version 2" in result.output and "migrate force 2" in result.output
    assert "Traceback" not in result.output
    assert not into.exists() and not has_sqlmig_schema(db_url)
    assert sql(db_url, "SELECT version, dirty FROM schema_migrations") == [(2, True)]


# -- Flyway ------------------------------------------------------------------------------


def flyway_src(tmp_path: Path) -> Path:
    return write(tmp_path / "db" / "migration", {
        "V1_1__Create_users.sql": "CREATE TABLE users (id int PRIMARY KEY);\n",
        "U1_1__Create_users.sql": "DROP TABLE users;\n",
        "V1_2__Index_users.sql": "CREATE INDEX users_id_idx ON users (id);\n",
        "V1_2__Index_users.sql.conf": "# Flyway per-script config\nexecuteInTransaction=false\n",
        "more/V2__Add_name.sql": "ALTER TABLE users ADD COLUMN name text;\n",
    })


def test_flyway_dotted_versions_are_numbered_in_flyway_order(tmp_path, db_url):
    sql(db_url, FLYWAY_DDL)
    sql(db_url, """INSERT INTO flyway_schema_history VALUES
        (1, NULL, '<< Flyway Schema Creation >>', 'SCHEMA', '"public"', NULL, 'me', now(), 0, true),
        (2, '1.1', 'Create users', 'SQL', 'V1_1__Create_users.sql', -123456, 'alice',
         '2024-01-01 12:00', 5, true),
        (3, '1.2', 'Index users', 'SQL', 'V1_2__Index_users.sql', 987, 'bob',
         '2024-01-02 12:00', 5, true)""")
    before = sql(db_url, "SELECT * FROM flyway_schema_history ORDER BY 1")
    into = tmp_path / "proj"
    result = run("import", "flyway", str(flyway_src(tmp_path)), "--into", str(into),
                 "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert sql(db_url, "SELECT * FROM flyway_schema_history ORDER BY 1") == before
    names = sorted(p.name for p in (into / "sql" / "migrations").glob("*.sql"))
    assert names == ["0001_create_users.sql", "0002_index_users.sql", "0003_add_name.sql"]
    assert (into / "sql" / "rollbacks" / "0001_create_users.sql").read_text().endswith(
        "DROP TABLE users;\n")
    assert "-- sqlmig: no-transaction" in (
        into / "sql" / "migrations" / "0002_index_users.sql").read_text()
    rows = sql(db_url, "SELECT version, source_version, source_checksum, source_applied_by, "
                       "source_applied_at::date::text FROM sqlmig.schema_migrations ORDER BY 1")
    assert rows == [(1, "1.1", "-123456", "alice", "2024-01-01"),
                    (2, "1.2", "987", "bob", "2024-01-02")]
    assert "| 0002_index_users | 1.2 | V1_2__Index_users.sql |" in (
        into / "sql" / "IMPORTED.md").read_text()


def test_failed_flyway_row_is_refused_and_nothing_is_written(tmp_path, db_url):
    sql(db_url, FLYWAY_DDL)
    sql(db_url, """INSERT INTO flyway_schema_history VALUES
        (1, '1.1', 'Create users', 'SQL', 'V1_1__Create_users.sql', 1, 'me', now(), 5, false)""")
    into = tmp_path / "proj"
    result = run("import", "flyway", str(flyway_src(tmp_path)), "--into", str(into),
                 "--database-url", db_url)
    assert result.exit_code == 3, result.output
    assert "V1_1__Create_users.sql" in result.output and "flyway repair" in result.output
    assert not into.exists() and not has_sqlmig_schema(db_url)


# -- diesel ------------------------------------------------------------------------------


def test_diesel_project_and_history_are_adopted(tmp_path, db_url):
    src = write(tmp_path / "migrations", {
        "00000000000000_diesel_initial_setup/up.sql": "CREATE TABLE setup (id int);\n",
        "00000000000000_diesel_initial_setup/down.sql": "DROP TABLE setup;\n",
        "2024-01-01-120000_create_posts/up.sql": "CREATE TABLE posts (id int PRIMARY KEY);\n",
        "2024-01-01-120000_create_posts/down.sql": "DROP TABLE posts;\n",
        "2024-01-02-120000_index_posts/up.sql": "CREATE INDEX posts_id ON posts (id);\n",
        "2024-01-02-120000_index_posts/metadata.toml": "run_in_transaction = false\n",
        ".keep": "",
    })
    sql(db_url, DIESEL_DDL)
    sql(db_url, "INSERT INTO __diesel_schema_migrations VALUES ('00000000000000', "
                "'2024-01-01 00:00'), ('20240101120000', '2024-01-01 12:00')")
    before = sql(db_url, "SELECT * FROM __diesel_schema_migrations ORDER BY 1")
    into = tmp_path / "proj"
    result = run("import", "diesel", str(src), "--into", str(into), "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert sql(db_url, "SELECT * FROM __diesel_schema_migrations ORDER BY 1") == before
    names = sorted(p.name for p in (into / "sql" / "migrations").glob("*.sql"))
    assert names == ["00000000000000_diesel_initial_setup.sql",
                     "20240101120000_create_posts.sql", "20240102120000_index_posts.sql"]
    assert "-- sqlmig: no-transaction" in (
        into / "sql" / "migrations" / "20240102120000_index_posts.sql").read_text()
    assert sql(db_url, "SELECT version, source_version FROM sqlmig.schema_migrations "
                       "ORDER BY 1") == [(0, "00000000000000"), (20240101120000, "20240101120000")]


# -- refusals of every format ------------------------------------------------------------

Files = dict[str, str]
CASES: list[tuple[str, str, Files, str, str]] = [
    # (format, id, files under src/, the file the message names, a phrase of the message)
    ("golang-migrate", "duplicate-version",
     {"1_a.up.sql": "SELECT 1;", "01_b.up.sql": "SELECT 2;"}, "1_a.up.sql", "two up files"),
    ("golang-migrate", "not-an-integer", {"one_a.up.sql": "SELECT 1;"}, "one_a.up.sql",
     "not a golang-migrate migration file"),
    ("golang-migrate", "down-without-up", {"1_a.up.sql": "SELECT 1;", "2_b.down.sql": ""},
     "2_b.down.sql", "without an up file"),
    ("golang-migrate", "two-transactions",
     {"1_a.up.sql": "BEGIN; SELECT 1; COMMIT; BEGIN; SELECT 2; COMMIT;"}, "1_a.up.sql",
     "top-level BEGIN is not allowed"),
    ("flyway", "same-flyway-version", {"V1__a.sql": "SELECT 1;", "V1.0__b.sql": "SELECT 2;"},
     "V1__a.sql", "same Flyway version"),
    ("flyway", "not-a-version", {"Vone__a.sql": "SELECT 1;"}, "Vone__a.sql",
     "maps to no sqlmig version"),
    ("flyway", "repeatable", {"V1__a.sql": "SELECT 1;", "R__views.sql": "SELECT 2;"},
     "R__views.sql", "repeatable migration"),
    ("dbmate", "colliding-integers", {"1_a.sql": "-- migrate:up\nSELECT 1;\n",
                                      "01_b.sql": "-- migrate:up\nSELECT 2;\n"},
     "1_a.sql", "is the integer 1"),
    ("dbmate", "text-order-is-not-integer-order",
     {"10_a.sql": "-- migrate:up\nSELECT 1;\n", "9_b.sql": "-- migrate:up\nSELECT 2;\n"},
     "9_b.sql", "both orders agree"),
    ("dbmate", "no-up-marker", {"1_a.sql": "SELECT 1;\n"}, "1_a.sql",
     "exactly one `-- migrate:up`"),
    ("dbmate", "no-transaction-statement-in-a-transactional-section",
     {"1_a.sql": "-- migrate:up\nSELECT 1;\nCOMMIT;\nSELECT 2;\n"}, "1_a.sql",
     "top-level COMMIT"),
    ("sqitch", "reworked",
     {"sqitch.plan": "%syntax-version=1.0.0\n%project=p\n\nusers 2024-01-01T00:00:00Z A <a@b> "
                     "# u\n@v1 2024-01-02T00:00:00Z A <a@b> # t\nusers [users@v1] "
                     "2024-01-03T00:00:00Z A <a@b> # again\n",
      "deploy/users.sql": "SELECT 1;", "deploy/users@v1.sql": "SELECT 1;"},
     "sqitch.plan", "reworked"),
    ("sqitch", "missing-deploy",
     {"sqitch.plan": "%project=p\nusers 2024-01-01T00:00:00Z A <a@b> # u\n"},
     "deploy/users.sql", "missing"),
    ("diesel", "no-up-sql", {"2024-01-01-000000_a/down.sql": "SELECT 1;"},
     "2024-01-01-000000_a", "no up.sql"),
    ("diesel", "bad-directory-name", {"create_posts/up.sql": "SELECT 1;"}, "create_posts",
     "not a diesel migration file"),
    ("yoyo", "python-migration", {"0001.a.sql": "SELECT 1;", "0002.b.py": "steps = []\n"},
     "0002.b.py", "Python migration"),
    ("yoyo", "depends-on-a-later-file",
     {"0001.a.sql": "-- depends: 0002.b\nSELECT 1;", "0002.b.sql": "SELECT 2;"}, "0001.a.sql",
     "comes later in file order"),
]


@pytest.mark.parametrize("fmt,case,files,named,phrase", CASES, ids=[f"{c[0]}-{c[1]}"
                                                                   for c in CASES])
def test_bad_source_is_refused_naming_the_file_and_nothing_is_written(
        tmp_path, fmt, case, files, named, phrase):
    src = write(tmp_path / "src", files)
    into = tmp_path / "proj"
    result = run("import", fmt, str(src), "--into", str(into))
    assert result.exit_code == 2, result.output
    assert named in result.output and phrase in result.output, result.output
    assert "Nothing was written" in result.output and "Traceback" not in result.output
    assert not into.exists()


def test_an_existing_project_with_migrations_is_refused(tmp_path, project):
    project.add(1, "mine", "SELECT 1;")
    before = sorted(str(p) for p in project.root.rglob("*"))
    result = run("import", "golang-migrate", str(golang_src(tmp_path)), "--into",
                 str(project.root))
    assert result.exit_code == 2 and "already has files" in result.output
    assert sorted(str(p) for p in project.root.rglob("*")) == before


def test_import_into_a_project_made_by_init_keeps_its_config(tmp_path):
    into = tmp_path / "proj"
    api.init(into)
    (into / "config" / "dev.yaml").write_text("database_url: embedded\n")
    result = run("import", "golang-migrate", str(golang_src(tmp_path)), "--into", str(into))
    assert result.exit_code == 0, result.output
    assert (into / "config" / "dev.yaml").read_text() == "database_url: embedded\n"
    assert len(list((into / "sql" / "migrations").glob("*.sql"))) == 3


def test_a_database_with_a_sqlmig_ledger_already_is_refused(tmp_path, project):
    project.add(1, "mine", "SELECT 1;")
    project.apply()
    sql(project.url, GOLANG_MIGRATE_DDL)
    into = tmp_path / "imported"
    result = run("import", "golang-migrate", str(golang_src(tmp_path)), "--into", str(into),
                 "--database-url", project.url)
    assert result.exit_code == 3, result.output
    assert "already has a sqlmig ledger" in result.output
    assert not into.exists()


def test_a_ledger_row_without_a_file_is_refused(tmp_path, db_url):
    sql(db_url, DIESEL_DDL)
    sql(db_url, "INSERT INTO __diesel_schema_migrations (version) VALUES ('20990101000000')")
    src = write(tmp_path / "migrations", {"2024-01-01-000000_a/up.sql": "SELECT 1;"})
    into = tmp_path / "proj"
    result = run("import", "diesel", str(src), "--into", str(into), "--database-url", db_url)
    assert result.exit_code == 3 and "20990101000000" in result.output
    assert not into.exists() and not has_sqlmig_schema(db_url)


def test_no_ledger_of_the_tool_is_refused(tmp_path, db_url):
    into = tmp_path / "proj"
    result = run("import", "golang-migrate", str(golang_src(tmp_path)), "--into", str(into),
                 "--database-url", db_url)
    assert result.exit_code == 2 and "no schema_migrations table" in result.output
    assert not into.exists() and not has_sqlmig_schema(db_url)


def test_password_in_the_url_is_not_printed(tmp_path, pg_server):
    url = (f"postgresql://{pg_server.user}:s3cret-pw@/nosuchdb_adoption"
           f"?host={pg_server.host}&port={pg_server.port}")
    into = tmp_path / "proj"
    result = run("import", "golang-migrate", str(golang_src(tmp_path)), "--into", str(into),
                 "--database-url", url)
    assert result.exit_code == 2, result.output
    assert "s3cret-pw" not in result.output and not into.exists()


# -- the ledger function -----------------------------------------------------------------


def test_record_imported_is_security_definer_and_not_executable_by_public(project):
    sql(project.url, "SELECT 1")
    project.add(1, "a", "SELECT 1;")
    project.apply()  # creates the ledger, ledger_0007.sql included
    row = sql(project.url, "SELECT prosecdef, proconfig FROM pg_proc "
                           "WHERE proname = 'sqlmig_record_imported'")
    assert row == [(True, ['search_path="sqlmig", pg_temp'])] or (
        row[0][0] is True and row[0][1] and row[0][1][0].startswith("search_path="))
    role = "sqlmig_t_noimport"
    sql(project.url, f"DROP ROLE IF EXISTS {role}")
    sql(project.url, f"CREATE ROLE {role}")
    try:
        sql(project.url, f"GRANT USAGE ON SCHEMA sqlmig TO {role}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql(project.url, f"SET ROLE {role}; SELECT sqlmig.sqlmig_record_imported("
                             "2, 'x', repeat('0', 64), 't', '2', NULL, NULL, NULL, NULL)")
    finally:
        sql(project.url, f"DROP OWNED BY {role}; DROP ROLE {role}")


Builder = Callable[[Path], Path]


@pytest.mark.parametrize("fmt,files,name", [
    ("dbmate", {"1_a.sql": "-- migrate:up transaction:false\nSELECT 1;\n"}, "0001_a.sql"),
    ("yoyo", {"0001.a.sql": "-- transactional: false\nSELECT 1;\n"}, "0001_a.sql"),
    ("flyway", {"V1__a.sql": "SELECT 1;\n", "V1__a.sql.conf": "executeInTransaction=false\n"},
     "0001_a.sql"),
    ("diesel", {"2024-01-01-000000_a/up.sql": "SELECT 1;\n",
                "2024-01-01-000000_a/metadata.toml": "run_in_transaction = false\n"},
     "20240101000000_a.sql"),
])
def test_the_tools_no_transaction_markers_become_the_directive(tmp_path, fmt, files, name):
    into = tmp_path / "proj"
    result = run("import", fmt, str(write(tmp_path / "src", files)), "--into", str(into))
    assert result.exit_code == 0, result.output
    lines = (into / "sql" / "migrations" / name).read_text().splitlines()
    assert "-- sqlmig: no-transaction" in lines
    assert api.check_manifest(into).ok


def test_a_failure_while_recording_removes_the_written_files(tmp_path, db_url, pg_server):
    # A role that may read golang-migrate's ledger but not create sqlmig's schema:
    # the import fails after writing the files, and takes them back.
    sql(db_url, GOLANG_MIGRATE_DDL)
    sql(db_url, "INSERT INTO schema_migrations VALUES (1, false)")
    role = f"sqlmig_t_reader_{abs(hash(db_url)) % 10**6}"
    sql(db_url, f"DROP ROLE IF EXISTS {role}")
    sql(db_url, f"CREATE ROLE {role} LOGIN")
    try:
        sql(db_url, f"GRANT SELECT ON schema_migrations TO {role}")
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        url = make_conninfo(db_url, user=role)
        assert conninfo_to_dict(url)["user"] == role
        into = tmp_path / "proj"
        result = run("import", "golang-migrate", str(golang_src(tmp_path)), "--into",
                     str(into), "--database-url", url)
        assert result.exit_code != 0 and "cannot create schema" in result.output, result.output
        assert not into.exists()
        assert not has_sqlmig_schema(db_url)
    finally:
        sql(db_url, f"DROP OWNED BY {role}; DROP ROLE {role}")


def test_env_reads_the_database_from_the_target_projects_config(tmp_path, db_url):
    sql(db_url, DIESEL_DDL)
    sql(db_url, "INSERT INTO __diesel_schema_migrations (version) VALUES ('20240101000000')")
    src = write(tmp_path / "migrations", {"2024-01-01-000000_a/up.sql": "SELECT 1;"})
    into = tmp_path / "proj"
    api.init(into)
    (into / "config" / "qa.yaml").write_text(f"database_url: '{db_url}'\n")
    result = run("import", "diesel", str(src), "--into", str(into), "--env", "qa")
    assert result.exit_code == 0, result.output
    assert sql(db_url, "SELECT version, status FROM sqlmig.schema_migrations") == [
        (20240101000000, "imported")]
    # Without a project there is no config to read the environment from.
    other = tmp_path / "other"
    result = run("import", "diesel", str(src), "--into", str(other), "--env", "qa")
    assert result.exit_code == 2 and "sqlmig init" in result.output and not other.exists()
