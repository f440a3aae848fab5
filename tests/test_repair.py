"""Normalized checksums and `sqlmig repair`: an applied file edited only in
comments or whitespace does not block apply; any other edit does, until a
human records it with `sqlmig repair VERSION --reason TEXT`.  Raw checksums
are judged by `sha256sum`, ledger contents are read back with SQL, and the
governed refusal comes from the server, as the refused login."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

import sqlmig
from sqlmig.core.sqltext import normalized_checksum
from sqlmig.errors import DatabaseError

LEDGER = "sqlmig.schema_migrations"
TABLE = "CREATE TABLE accounts (\n    id int PRIMARY KEY\n);\n"
FUNC = ("CREATE FUNCTION answer() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n"
        "    RETURN 42;\nEND;\n$$;\n")


def sha256sum(path) -> str:
    out = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True)
    return out.stdout.split()[0]


def recorded(project, version=1):
    return project.query(f"SELECT name, checksum, checksum_normalized, normalizer FROM {LEDGER}"
                         " WHERE version = %s", (version,))[0]


def history_count(project) -> int:
    return project.scalar("SELECT count(*) FROM sqlmig.sqlmig_history")


# -- the normalizer ------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [
    ("SELECT 1; -- x", "SELECT  1;"),
    ("SELECT 1;", "/* header */\nSELECT\n\t1\n;\n"),
    ("SELECT 'a b';", "SELECT   'a b'  ; -- trailing"),
    ("-- sqlmig: no-transaction\nSELECT 1;", "--  sqlmig:   no-transaction\nSELECT 1;"),
])
def test_comments_and_whitespace_between_tokens_do_not_count(a, b):
    assert normalized_checksum(a) == normalized_checksum(b)


@pytest.mark.parametrize("a, b", [
    ("SELECT 1; -- x", "SELECT 2;"),
    ("SELECT 'a b';", "SELECT 'a  b';"),  # inside a string
    (FUNC, FUNC.replace("    RETURN 42;", "RETURN   42;")),  # inside a $$ body
    ("SELECT 1;", "select 1;"),  # case is kept verbatim
    ("SELECT 1;", "-- sqlmig: no-transaction\nSELECT 1;"),  # a directive changes how it runs
    ("SELECT 1;", "SELECT1;"),
])
def test_any_other_change_counts(a, b):
    assert normalized_checksum(a) != normalized_checksum(b)


@pytest.mark.parametrize("text, expected", [
    # sha256("pglast-tokens-1" "6:CREATE" "5:TABLE" "1:t" "1:(" "2:id" "3:int" "1:)" "1:;"),
    # as sha256sum computes it: the ledger keeps these values, so they may
    # never change under the same NORMALIZER name.
    ("CREATE TABLE t (id int);\n",
     "ab21b65fa28204456179e114f8744802f4e3adb8e6d2f3d249e9174e65c8c1fa"),
    ("-- sqlmig: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (id);\n",
     "362ac0d2cca8d01c64894567717018ecfae012ad25aaf9f9cff69d923748d55d"),
    # non-ASCII: each token's length is its UTF-8 byte length
    ("INSERT INTO t VALUES ('h\u00e9llo w\u00f6rld', $$\u00fc$$); -- \u00e7a\n",
     "f3b90228cc073adf829773e10c69e72a1c130e4ecf7fcdc326b1521de3ae9992"),
])
def test_the_normalized_checksum_is_the_one_ledgers_recorded(text, expected):
    assert normalized_checksum(text) == expected


def test_the_normalized_checksum_is_sha256_of_length_prefixed_tokens():
    tokens = ["CREATE", "TABLE", "t", "(", "id", "int", ")", ";"]
    stream = b"pglast-tokens-1" + b"".join(b"%d:%s" % (len(t), t.encode()) for t in tokens)
    digest = subprocess.run(["sha256sum"], input=stream, capture_output=True,
                            check=True).stdout.split()[0].decode()
    assert normalized_checksum("-- x\nCREATE  TABLE t(\n  id int\n)  ;") == digest


def test_text_the_scanner_refuses_has_no_normalized_checksum():
    assert normalized_checksum("SELECT 'unterminated") is None


# -- status and apply -----------------------------------------------------------------------


def test_cosmetic_edit_is_reported_and_apply_proceeds(project, tmp_path):
    path = project.add(1, "accounts", TABLE, "DROP TABLE accounts;")
    original = tmp_path / "original.sql"
    shutil.copy(path, original)
    project.apply()
    name, checksum, normalized, normalizer = recorded(project)
    assert checksum == sha256sum(original)
    assert normalized == normalized_checksum(TABLE) and normalizer == "pglast-tokens-1"

    path.write_text("-- accounts of the shop\n" + TABLE.replace("    id", "\tid  "))
    project.write_manifest()
    project.add(2, "more", "CREATE TABLE more (id int);", "DROP TABLE more;")
    st = project.cli("status", "--json")
    assert st.exit_code == 0, st.output
    cosmetic = json.loads(st.stdout)["result"]["cosmetic"]
    assert [(c["version"], c["recorded"], c["current"]) for c in cosmetic] == [
        (1, sha256sum(original), sha256sum(path))]

    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert "migrations/0001_accounts.sql" in r.stderr
    assert "comments/whitespace only" in r.stderr and "sqlmig repair 1" in r.stderr
    assert project.ledger_versions() == [1, 2]
    # The ledger still holds what ran; the new file's bytes are recorded by repair only.
    assert recorded(project)[1] == sha256sum(original)
    assert recorded(project, 2)[1] == sha256sum(project.root / "sql/migrations/0002_more.sql")


@pytest.mark.parametrize("edit", [
    lambda text: text.replace("id int", "id bigint"),
    lambda text: FUNC.replace("    RETURN 42;", "RETURN   42;"),  # whitespace in a $$ body
], ids=["sql", "dollar-body-whitespace"])
def test_any_other_edit_refuses_apply_and_names_repair(project, edit):
    path = project.add(1, "accounts", TABLE + FUNC, "DROP TABLE accounts;")
    project.apply()
    path.write_text(edit(TABLE + FUNC))
    project.write_manifest()
    project.add(2, "more", "CREATE TABLE more (id int);", "DROP TABLE more;")
    before = history_count(project)
    r = project.cli("apply")
    assert r.exit_code == 3, r.output
    assert "0001_accounts.sql changed after it was applied" in r.stderr
    assert "sqlmig repair 1 --reason TEXT" in r.stderr
    assert project.ledger_versions() == [1]
    assert history_count(project) == before
    assert not project.table_exists("more")


# -- repair -----------------------------------------------------------------------------------


def test_repair_records_the_file_with_history_and_audit_then_apply_proceeds(project, tmp_path):
    path = project.add(1, "accounts", TABLE, "DROP TABLE accounts;")
    old = sha256sum(path)
    project.apply()
    path.write_text(TABLE.replace("id int", "id bigint"))
    project.write_manifest()
    project.add(2, "more", "CREATE TABLE more (id int);", "DROP TABLE more;")

    r = project.cli("repair", "1", "--reason", "altered by hand in INC-7", "--json")
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)["result"]
    assert result["old_checksum"] == old and result["checksum"] == sha256sum(path)
    assert result["cosmetic"] is False
    name, checksum, normalized, _ = recorded(project)
    assert (name, checksum) == ("0001_accounts", sha256sum(path))
    assert normalized == normalized_checksum(path.read_text())
    action, detail, db_user = project.query(
        "SELECT action, detail, db_user FROM sqlmig.sqlmig_history ORDER BY id DESC LIMIT 1")[0]
    assert action == "repair" and old in detail and "altered by hand in INC-7" in detail
    assert db_user == project.scalar("SELECT session_user")
    audit = project.query("SELECT action, outcome, versions, reason FROM sqlmig.sqlmig_audit"
                          " WHERE action = 'repair'")
    assert audit == [("repair", "ok", [1], "altered by hand in INC-7")]

    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert project.ledger_versions() == [1, 2]


def test_repair_of_a_cosmetic_edit_says_so(project):
    path = project.add(1, "accounts", TABLE, "DROP TABLE accounts;")
    project.apply()
    path.write_text(TABLE + "-- reviewed\n")
    project.write_manifest()
    r = project.cli("repair", "1", "--reason", "comment")
    assert r.exit_code == 0, r.output
    assert "comments/whitespace only" in r.stdout
    assert recorded(project)[1] == sha256sum(path)
    st = project.status()
    assert st.ok and st.cosmetic == []


def test_repair_after_a_rename_records_the_new_name(project):
    path = project.add(1, "accounts", TABLE, "DROP TABLE accounts;")
    project.apply()
    new = path.with_name("0001_create_accounts.sql")
    path.rename(new)
    (project.root / "sql/rollbacks/0001_accounts.sql").rename(
        project.root / "sql/rollbacks/0001_create_accounts.sql")
    project.write_manifest()
    assert project.cli("apply").exit_code == 3
    r = project.cli("repair", "1", "--reason", "renamed to the ticket's words")
    assert r.exit_code == 0, r.output
    assert "0001_accounts -> 0001_create_accounts" in r.stdout
    assert recorded(project)[:2] == ("0001_create_accounts", sha256sum(new))
    assert project.status().ok
    project.rollback()
    assert not project.table_exists("accounts") and project.ledger_versions() == []


@pytest.mark.parametrize("setup, version, expected", [
    ("unchanged", 1, "exactly the file recorded"),
    ("pending", 2, "not in the ledger"),
], ids=["unchanged", "not-applied"])
def test_repair_refuses_and_changes_nothing(project, setup, version, expected):
    project.add(1, "accounts", TABLE, "DROP TABLE accounts;")
    project.apply()
    project.add(2, "more", "CREATE TABLE more (id int);", "DROP TABLE more;")
    before = (project.ledger_rows(), history_count(project))
    r = project.cli("repair", str(version), "--reason", "why not")
    assert r.exit_code == 3, r.output
    assert expected in r.stderr and "Traceback" not in r.output
    assert (project.ledger_rows(), history_count(project)) == before
    assert project.scalar("SELECT outcome FROM sqlmig.sqlmig_audit WHERE action = 'repair'"
                          ) == "refused"


@pytest.mark.parametrize("args", [[], ["--reason", "  "]], ids=["missing", "blank"])
def test_repair_needs_a_reason(project, args):
    path = project.add(1, "accounts", TABLE, "DROP TABLE accounts;")
    project.apply()
    path.write_text(TABLE + "-- x\n")
    project.write_manifest()
    before = project.ledger_rows()
    r = project.cli("repair", "1", *args)
    assert r.exit_code == 2
    assert "--reason" in r.stderr
    assert project.ledger_rows() == before


# -- governed ledger ---------------------------------------------------------------------------


def _login(project) -> tuple[str, str]:
    name = f"rep_{uuid.uuid4().hex[:8]}"
    password = f"pw-{uuid.uuid4().hex}"
    params = conninfo_to_dict(project.url)
    with psycopg.connect(project.url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(password)))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(params["dbname"]), sql.Identifier(name)))
    return name, make_conninfo("", **{**params, "user": name, "password": password})


def test_repair_without_the_deployer_capacity_is_refused_by_the_server(project):
    path = project.add(1, "accounts", TABLE, "DROP TABLE accounts;")
    project.apply()
    sqlmig.api.access_setup(project.root, "dev", project.url)
    auditor, auditor_url = _login(project)
    deployer, deployer_url = _login(project)
    try:
        sqlmig.api.access_grant(auditor, "auditor", project.root, "dev", project.url)
        sqlmig.api.access_grant(deployer, "deployer", project.root, "dev", project.url)
        path.write_text(TABLE.replace("id int", "id bigint"))
        project.write_manifest()
        before = project.ledger_rows()
        with pytest.raises(DatabaseError) as info:
            sqlmig.api.repair(1, "mine", project.root, "dev", auditor_url)
        assert "may not act as deployer" in info.value.message
        # The auditor's own SQL, straight at the function: the server refuses it too.
        with psycopg.connect(auditor_url, autocommit=True) as conn, \
                pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM sqlmig.sqlmig_repair(1, '0001_accounts', %s, NULL,"
                         " NULL, 'dev', 'mine', NULL, NULL)", (sha256sum(path),))
        assert project.ledger_rows() == before
        # A deployer may.
        result = sqlmig.api.repair(1, "reviewed", project.root, "dev", deployer_url)
        assert result.checksum == sha256sum(path)
        assert project.scalar("SELECT db_user FROM sqlmig.sqlmig_audit WHERE action = 'repair'"
                              " AND outcome = 'ok'") == deployer
    finally:
        with psycopg.connect(project.url, autocommit=True) as conn:
            for role in (auditor, deployer):
                conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
