"""`sqlmig verify`: rollbacks proven on a scratch database, against a real server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import scratch_databases as shared_scratch_databases
# Replays go to the session's scratch server (`scratch: auto`), not the target's.

import sqlmig

BASE = """CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                          email text NOT NULL, role text NOT NULL DEFAULT 'guest');
CREATE TABLE questions (id bigint PRIMARY KEY, body text NOT NULL, rank int);
CREATE TABLE settings (key text PRIMARY KEY);
"""
BASE_DOWN = "DROP TABLE settings; DROP TABLE questions; DROP TABLE users;\n"


def scratch_databases(project, scratch_server: str) -> list[str]:
    return shared_scratch_databases(project, scratch_server, "verify")


@pytest.fixture
def four(project):
    """A correct base, then one migration of each kind the issue names."""
    project.add(1, "base", BASE, BASE_DOWN)
    project.add(2, "add_ranks", "CREATE INDEX IF NOT EXISTS questions_rank_idx ON questions (rank);\n",
                "-- forgot the index\nCOMMENT ON TABLE questions IS NULL;\n")
    project.add(3, "member_role", "ALTER TABLE users ALTER COLUMN role SET DEFAULT 'member';\n",
                "ALTER TABLE users ALTER COLUMN role DROP DEFAULT;\n")
    project.add(4, "nicknames", "ALTER TABLE users ADD COLUMN nickname text;\n"
                "INSERT INTO settings (key) VALUES ('nicknames');\n",
                "ALTER TABLE users DROP COLUMN nickname;\n")
    project.add(5, "question_body_index", "CREATE INDEX questions_body_idx ON questions (body);\n",
                "DROP INDEX questions_body_idx;\n")
    return project


def test_verify_reports_exactly_the_broken_rollbacks(four, scratch_server):
    result = four.cli("verify")
    assert result.exit_code == 1
    out = result.stdout
    assert "PASS 0001_base" in out and "PASS 0005_question_body_index" in out
    assert "FAIL 0002_add_ranks" in out and "    index questions_rank_idx is left over" in out
    assert "FAIL 0003_member_role" in out
    assert "    default 'guest'::text of users.role was removed" in out
    assert "FAIL 0004_nicknames" in out
    assert 're-apply fails: ' in out and 'duplicate key value violates unique constraint "settings_pkey"' in out
    assert "5 migrations: 2 passed, 3 failed, 0 skipped" in out
    assert "failed: 0002_add_ranks, 0003_member_role, 0004_nicknames" in out
    # the target database was not touched, and the scratch database is gone
    assert four.ledger_versions() == [] and not four.table_exists("users")
    assert scratch_databases(four, scratch_server) == []


def test_verify_json_lists_each_problem_in_its_place(four):
    result = four.cli("verify", "--json")
    data = json.loads(result.stdout)["result"]
    by_name = {c["name"]: c for c in data["checks"]}
    assert [c["status"] for c in data["checks"]] == ["pass", "fail", "fail", "fail", "pass"]
    assert by_name["0002_add_ranks"]["rollback"] == ["index questions_rank_idx is left over"]
    assert by_name["0002_add_ranks"]["reapply"] == []
    assert by_name["0003_member_role"]["rollback"] == [
        "default 'guest'::text of users.role was removed"]
    assert by_name["0004_nicknames"]["rollback"] == []
    assert by_name["0004_nicknames"]["errors"][0].startswith("re-apply fails: ")


def test_correct_migrations_pass(project):
    project.add(1, "base", BASE, BASE_DOWN)
    project.add(2, "user_titles", "ALTER TABLE users ADD COLUMN title text;\n",
                "ALTER TABLE users DROP COLUMN title;\n")
    result = project.cli("verify")
    assert result.exit_code == 0, result.output
    assert "2 migrations: 2 passed, 0 failed, 0 skipped" in result.stdout


def test_column_order_is_reported_separately(project):
    project.add(1, "base", BASE, BASE_DOWN)
    project.add(2, "retype_email", "ALTER TABLE users ALTER COLUMN email TYPE varchar(200);\n",
                "ALTER TABLE users DROP COLUMN email;\n"
                "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';\n"
                "ALTER TABLE users ALTER COLUMN email DROP DEFAULT;\n")
    result = project.cli("verify", "--json")
    check = json.loads(result.stdout)["result"]["checks"][1]
    assert result.exit_code == 1
    assert check["rollback"] == [
        "column order of table users changed from (id, email, role) to (id, role, email)"]


def test_irreversible_migrations_are_skipped_and_listed(project):
    project.add(1, "base", BASE, BASE_DOWN)
    project.add(2, "drop_settings",
                "-- sqlmig: irreversible settings are re-created by the app\nDROP TABLE settings;\n")
    project.add(3, "users_email_idx", "CREATE INDEX users_email_idx ON users (email);\n",
                "DROP INDEX users_email_idx;\n")
    result = project.cli("verify")
    assert result.exit_code == 0, result.output
    assert "SKIP 0002_drop_settings: irreversible: settings are re-created by the app" in result.stdout
    assert "irreversible (not rolled back): 0002_drop_settings" in result.stdout
    assert "PASS 0003_users_email_idx" in result.stdout


def test_without_any_rollback_there_is_nothing_to_prove_and_nothing_is_applied(
        project, scratch_server):
    project.add(1, "base", BASE, None)
    project.add(2, "more", "CREATE TABLE more (id int);\n", None)
    project.add(3, "gone", "-- sqlmig: irreversible data fix\nDELETE FROM more;\n")
    result = project.cli("verify")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("nothing to prove: no migration has a rollback file (1 marked "
                             "irreversible); 3 migrations, none applied. Write "
                             "sql/rollbacks/<migration name>.sql to have a rollback proven.\n")
    data = json.loads(project.cli("verify", "--json").stdout)["result"]
    assert [c["status"] for c in data["checks"]] == ["no rollback", "no rollback", "skipped"]
    assert data["snapshots"] == 0 and data["scratch_database"] == ""
    assert scratch_databases(project, scratch_server) == []


def test_migrations_without_rollback_are_listed_and_the_others_proven(project):
    project.add(1, "base", BASE, None)
    project.add(2, "titles", "ALTER TABLE users ADD COLUMN title text;\n",
                "-- forgot the column\nSELECT 1;\n")
    project.add(3, "more", "CREATE TABLE more (id int);\n", None)
    project.add(4, "bios", "ALTER TABLE users ADD COLUMN bio text;\n",
                "ALTER TABLE users DROP COLUMN bio;\n")
    result = project.cli("verify")
    assert result.exit_code == 1  # 0002's rollback is wrong
    out = result.stdout
    assert "FAIL 0002_titles" in out and "    column users.title is left over" in out
    assert "PASS 0004_bios" in out and "0001_base (" not in out
    assert "4 migrations: 1 passed, 1 failed, 0 skipped, 2 without rollback" in out
    assert "no rollback file (nothing to prove): 0001_base, 0003_more" in out
    # Snapshots only around the provable ones: 0002 fingerprints S0, S1, S2 (S2 differs:
    # rebuilt up to 0001, then detailed S0, S1, S2; its re-apply fails and the scratch
    # database is rebuilt), 0004 fingerprints S0-S3; 0001 and 0003 are applied, no more.
    assert "(10 snapshots)" in out


def test_failing_up_stops_and_lists_the_rest(project, scratch_server):
    project.add(1, "base", BASE, BASE_DOWN)
    project.add(2, "typo", "ALTER TABLE userz ADD COLUMN x int;\n", "SELECT 1;\n")
    project.add(3, "later", "CREATE TABLE later (id int);\n", "DROP TABLE later;\n")
    result = project.cli("verify")
    assert result.exit_code == 1
    assert "FAIL 0002_typo" in result.stdout and 'up fails: ' in result.stdout
    assert 'relation "userz" does not exist' in result.stdout
    assert "---- 0003_later: not verified, 0002_typo failed to apply" in result.stdout
    assert scratch_databases(project, scratch_server) == []


def test_from_and_to_select_the_migrations(four):
    result = four.cli("verify", "--from", "3", "--to", "3")
    assert result.exit_code == 1
    assert "FAIL 0003_member_role" in result.stdout and "0002_add_ranks" not in result.stdout
    assert "1 migration: 0 passed, 1 failed" in result.stdout
    assert four.cli("verify", "--from", "5").exit_code == 0
    bad = four.cli("verify", "--from", "4", "--to", "2")
    assert bad.exit_code == 2 and "--from 4 is above --to 2" in bad.stderr


def test_with_data_flags_a_rollback_that_loses_rows(project):
    project.add(1, "base", BASE, BASE_DOWN)
    project.add(2, "users_email_idx", "CREATE INDEX users_email_idx ON users (email);\n",
                "DROP INDEX users_email_idx;\n")
    # the rollback restores NOT NULL by deleting the rows that use the new freedom
    project.add(3, "rank_optional", "ALTER TABLE questions ALTER COLUMN rank SET DEFAULT 0;\n",
                "DELETE FROM questions WHERE rank IS NULL;\n"
                "ALTER TABLE questions ALTER COLUMN rank DROP DEFAULT;\n")
    seed = project.root / "seed.sql"
    seed.write_text("INSERT INTO questions SELECT g, 'q' || g, CASE WHEN g > 3 THEN g END "
                    "FROM generate_series(1, 10) g;\n"
                    "INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com');\n")
    result = project.cli("verify", "--with-data", "--seed-script", str(seed))
    assert result.exit_code == 1, result.output
    assert "FAIL 0003_rank_optional" in result.stdout
    assert "    rollback loses 3 of 10 rows of questions" in result.stdout
    assert "PASS 0002_users_email_idx" in result.stdout
    assert f"with data from {seed}" in result.stdout


def test_with_data_needs_a_seed(project, scratch_server):
    project.add(1, "base", BASE, BASE_DOWN)
    result = project.cli("verify", "--with-data")
    assert result.exit_code == 2
    assert "--with-data needs seed data" in result.stderr and "seed_script" in result.stderr
    assert scratch_databases(project, scratch_server) == []


def test_seed_script_config_key_is_validated(project):
    project.add(1, "base", BASE, BASE_DOWN)
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nseed_script: seed.txt\n")
    result = project.cli("verify", "--with-data")
    assert result.exit_code == 2 and "bad value for `seed_script`" in result.stderr


def test_python_seed_gets_the_arguments_it_accepts(project, tmp_path):
    project.add(1, "base", BASE, BASE_DOWN)
    project.add(2, "users_email_idx", "CREATE INDEX users_email_idx ON users (email);\n",
                "DROP INDEX users_email_idx;\n")
    (project.root / "seed.py").write_text(
        "import psycopg\n"
        "def seed(conninfo, scale=1.0):\n"
        "    with psycopg.connect(conninfo) as conn:\n"
        "        conn.execute('INSERT INTO settings SELECT g::text FROM generate_series(1, %s) g',"
        " (int(scale * 100),))\n")
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nseed_script: seed.py\n")
    result = sqlmig.verify_migrations(project.root, with_data=True, scale=0.05)
    assert result.ok and result.seed == str(project.root / "seed.py")
    assert [c.status for c in result.checks] == ["pass", "pass"]


@pytest.mark.slow
def test_reference_database_passes_verify(pg_server):
    root = Path(__file__).resolve().parent.parent
    result = sqlmig.verify_migrations(root, database_url=pg_server.url("postgres"))
    assert result.ok, [c.problems for c in result.checks]
    assert len(result.checks) == 9 and result.named("pass") == [c.name for c in result.checks]


@pytest.mark.slow
def test_corpus_of_real_world_migrations_passes_verify(pg_server):
    corpus = Path(__file__).resolve().parent / "verify_corpus"
    result = sqlmig.verify_migrations(corpus, database_url=pg_server.url("postgres"))
    assert len(result.checks) >= 130
    assert result.named("fail") == [] and result.named("not verified") == []
    assert result.named("skipped") == [c.name for c in result.checks
                                       if c.name.endswith("_drop_legacy_import")]


def test_rollback_that_forgets_a_policy_fails(project):
    project.add(1, "base", BASE, BASE_DOWN)
    project.add(2, "rls", "ALTER TABLE users ENABLE ROW LEVEL SECURITY;\n"
                          "CREATE POLICY own_row ON users USING (email = current_user);\n",
                "ALTER TABLE users DISABLE ROW LEVEL SECURITY;\n")
    result = project.cli("verify")
    assert result.exit_code == 1
    assert "FAIL 0002_rls" in result.stdout
    assert "policy users.own_row is left over" in result.stdout
