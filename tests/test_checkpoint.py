"""`sqlmig checkpoint --to V` and fresh databases built from sql/checkpoints."""

from __future__ import annotations

import subprocess

import pytest

import sqlmig
from sqlmig.errors import DriftDetected

MIGRATIONS = [
    ("kinds", "CREATE TYPE kind AS ENUM ('a', 'b');\n"
              "CREATE TABLE kinds (id int PRIMARY KEY, k kind NOT NULL, label text);\n"
              "INSERT INTO kinds VALUES (1, 'a', 'first'), (2, 'b', 'second');\n"),
    ("users", "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
              "  email text NOT NULL, kind_id int REFERENCES kinds (id));\n"
              "CREATE INDEX users_email_idx ON users (lower(email));\n"
              "COMMENT ON TABLE users IS 'people';\n"),
    ("functions", "CREATE FUNCTION user_count() RETURNS bigint LANGUAGE sql\n"
                  "  AS $$ SELECT count(*) FROM users $$;\n"
                  "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql\n"
                  "  AS $$ BEGIN NEW.email := lower(NEW.email); RETURN NEW; END $$;\n"
                  "CREATE TRIGGER users_touch BEFORE INSERT ON users\n"
                  "  FOR EACH ROW EXECUTE FUNCTION touch();\n"),
    ("alter", "ALTER TABLE users ADD COLUMN nickname text;\n"
              "UPDATE kinds SET label = upper(label);\n"
              "CREATE VIEW named_users AS SELECT id, coalesce(nickname, email) AS name FROM users;\n"),
    ("later", "CREATE TABLE later (id int PRIMARY KEY);\n"),
]


@pytest.fixture
def long(project):
    for i, (slug, up) in enumerate(MIGRATIONS, start=1):
        project.add(i, slug, up)
    return project


@pytest.fixture
def second_db(pg_server):
    with pg_server.fresh_database() as url:
        yield url


def pg_dump_schema(url: str, project) -> str:
    """The oracle: pg_dump --schema-only of everything but sqlmig's schema."""
    from sqlmig.backup.dump import connection_args, find_tools

    cfg = sqlmig.Session(project.root).config
    tool, _ = find_tools(cfg, 13)
    args, env = connection_args(url)
    out = subprocess.run([str(tool.path), "--schema-only", "--no-owner", "--exclude-schema=sqlmig",
                          *args], env=env, capture_output=True, text=True, check=True).stdout
    return "\n".join(line for line in out.splitlines()
                     if not line.startswith(("\\restrict", "\\unrestrict")))


def test_checkpoint_file_is_written_clean_and_listed_in_the_manifest(long):
    result = long.cli("checkpoint", "--to", "4")
    assert result.exit_code == 0, result.output
    path = long.root / "sql" / "checkpoints" / "0004_checkpoint.sql"
    text = path.read_text()
    assert "wrote" in result.stdout and "schema and data" in result.stdout
    assert [line for line in text.splitlines() if line.startswith("SET ")] == [
        "SET LOCAL check_function_bodies = false;"]
    for absent in ("OWNER TO", "\\restrict", "sqlmig_history", "set_config", "Dumped from"):
        assert absent not in text
    # sha256sum, not sqlmig, checks the manifest lists it.
    check = subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=long.root / "sql",
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "checkpoints/0004_checkpoint.sql: OK" in check.stdout
    # Deterministic: a second run writes the same bytes.
    again = long.cli("checkpoint", "--to", "4")
    assert again.exit_code == 0 and again.stdout.startswith("unchanged:")


def test_fresh_database_from_the_checkpoint_has_the_same_schema_as_from_migrations(
        long, second_db):
    (long.root / "config" / "ref.yaml").write_text(f"database_url: '{second_db}'\n")
    ref = long.cli("apply", "--env", "ref")  # all five, one by one: before any checkpoint
    assert ref.exit_code == 0, ref.output
    assert long.cli("checkpoint", "--to", "4").exit_code == 0
    built = long.cli("apply")
    assert built.exit_code == 0, built.output
    assert pg_dump_schema(long.url, long) == pg_dump_schema(second_db, long)
    assert long.query("SELECT * FROM kinds ORDER BY id") == [(1, "a", "FIRST"), (2, "b", "SECOND")]
    history = long.query("SELECT version, action, detail FROM sqlmig.sqlmig_history ORDER BY id")
    assert history == [(v, "apply", "applied from checkpoints/0004_checkpoint.sql")
                       for v in (1, 2, 3, 4)] + [(5, "apply", None)]
    assert [(r[0], r[3]) for r in long.ledger_rows()] == [(v, "applied") for v in range(1, 6)]
    # Rows are the migrations' own: status and drift see nothing wrong.
    assert long.cli("status").exit_code == 0
    drift = long.cli("drift")
    assert drift.exit_code == 0, drift.output


def test_a_database_with_ledger_rows_ignores_the_checkpoint(long):
    long.apply(to=2)
    assert long.cli("checkpoint", "--to", "4").exit_code == 0
    assert long.cli("apply").exit_code == 0
    details = long.query("SELECT version, detail FROM sqlmig.sqlmig_history ORDER BY id")
    assert details == [(v, None) for v in range(1, 6)]


def test_a_checkpoint_that_does_not_rebuild_the_schema_is_not_written(long, monkeypatch):
    from sqlmig.backup import checkpoint

    real = checkpoint.clean

    def loses_an_index(dump: str) -> str:  # a dump missing a statement, as a bug would make it
        return "\n".join(line for line in real(dump).splitlines()
                         if not line.startswith("CREATE INDEX")) + "\n"

    monkeypatch.setattr(checkpoint, "clean", loses_an_index)
    manifest = (long.root / "sql" / "manifest.sha256").read_bytes()
    with pytest.raises(DriftDetected) as caught:
        checkpoint.checkpoint(long.root, to=4)
    assert "users_email_idx is missing from the checkpoint" in "\n".join(caught.value.problems)
    assert not (long.root / "sql" / "checkpoints" / "0004_checkpoint.sql").exists()
    assert [p.name for p in (long.root / "sql" / "checkpoints").iterdir()] == []
    assert (long.root / "sql" / "manifest.sha256").read_bytes() == manifest


def test_drift_replays_from_the_checkpoint(long):
    from sqlmig.core import checkpoint

    assert long.cli("checkpoint", "--to", "4").exit_code == 0
    p = sqlmig.Session(long.root).project
    replay = checkpoint.replay_files(p.checkpoints, p.migrations, [1, 2, 3, 4, 5])
    assert [m.name for m in replay] == ["0004_checkpoint", "0005_later"]
    assert [m.name for m in checkpoint.replay_files(p.checkpoints, p.migrations, [1, 2, 3])] == [
        "0001_kinds", "0002_users", "0003_functions"]


def test_a_stray_file_in_checkpoints_is_a_usage_error(long):
    (long.root / "sql" / "checkpoints").mkdir()
    (long.root / "sql" / "checkpoints" / "notes.sql").write_text("-- hi\n")
    result = long.cli("status")
    assert result.exit_code == 2
    assert "checkpoints/notes.sql: not a checkpoint file" in result.output
    assert "Traceback" not in result.output
