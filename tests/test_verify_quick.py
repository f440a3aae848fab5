"""`sqlmig verify` proves with fingerprints first: the verdicts, and their words,
are the ones detailed snapshots give, against a real server."""

from __future__ import annotations

import itertools

import pytest

import sqlmig
from sqlmig.schema import verify as verify_mod

BASE = """CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE SEQUENCE ticket_no INCREMENT 5;
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    email text NOT NULL, role text NOT NULL DEFAULT 'guest', feeling mood);
CREATE TABLE notes (id int PRIMARY KEY, user_id bigint, body text);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END $$;
CREATE VIEW active AS SELECT id, email FROM users WHERE role <> 'gone';
CREATE TABLE counter (n int NOT NULL);
INSERT INTO counter VALUES (0);
"""
BASE_DOWN = """DROP VIEW active; DROP TABLE counter, notes, users; DROP FUNCTION touch();
DROP SEQUENCE ticket_no; DROP TYPE mood;
"""

# (slug, up, rollback, what verify must say about it: a line of its rollback
# or re-apply differences, or the start of an error; None: it passes).
MIGRATIONS = [
    ("role_default", "ALTER TABLE users ALTER COLUMN role SET DEFAULT 'member';\n",
     "ALTER TABLE users ALTER COLUMN role DROP DEFAULT;\n",
     "rollback: default 'guest'::text of users.role was removed"),
    ("email_check", "ALTER TABLE users ADD CONSTRAINT email_at CHECK (email LIKE '%@%');\n",
     "SELECT 1;\n", "rollback: constraint users.email_at is left over"),
    ("email_index", "CREATE INDEX users_email_idx ON users (email);\n", "SELECT 1;\n",
     "rollback: index users_email_idx is left over"),
    ("bios", "ALTER TABLE users ADD COLUMN bio text;\n", "ALTER TABLE users DROP COLUMN bio;\n",
     None),
    ("touch_trigger", "CREATE OR REPLACE TRIGGER users_touch BEFORE UPDATE ON users\n"
                      "    FOR EACH ROW EXECUTE FUNCTION touch();\n",
     "CREATE OR REPLACE TRIGGER users_touch AFTER UPDATE ON users\n"
     "    FOR EACH ROW EXECUTE FUNCTION touch();\n",
     "rollback: trigger users.users_touch is left over"),
    ("active_view", "CREATE OR REPLACE VIEW active AS SELECT id, email FROM users"
                    " WHERE role <> 'banned';\n",
     "CREATE OR REPLACE VIEW active AS SELECT id, email FROM users WHERE role <> 'left';\n",
     "rollback: definition of view active changed:"),
    ("touch_body", "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                   "BEGIN\n    NEW.email := lower(NEW.email);\n    RETURN NEW;\nEND $$;\n",
     "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
     "BEGIN\n    RETURN NULL;\nEND $$;\n",
     "rollback: definition of function touch() changed:"),
    ("notes_comment", "COMMENT ON TABLE notes IS 'Notes.';\n",
     "COMMENT ON TABLE notes IS 'notes';\n", "rollback: comment \"notes\" was added to table notes"),
    ("happy_mood", "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy';\n", "SELECT 1;\n",
     "rollback: labels of enum mood changed from"),
    ("ticket_increment", "ALTER SEQUENCE ticket_no INCREMENT 7;\n", "SELECT 1;\n",
     "rollback: increment of sequence ticket_no changed from 5 to 7"),
    ("notes_owner", "ALTER TABLE notes ADD CONSTRAINT notes_user_fkey FOREIGN KEY (user_id)"
                    " REFERENCES users (id);\n",
     "ALTER TABLE notes DROP CONSTRAINT notes_user_fkey;\n"
     "ALTER TABLE notes ADD CONSTRAINT notes_user_fkey FOREIGN KEY (user_id) REFERENCES users (id)"
     " ON DELETE CASCADE;\n",
     "rollback: foreign key notes.notes_user_fkey is left over"),
    ("feeling_text", "ALTER TABLE users ALTER COLUMN feeling TYPE text;\n",
     "ALTER TABLE users DROP COLUMN feeling;\nALTER TABLE users ADD COLUMN feeling mood;\n",
     "rollback: column order of table users changed from (id, email, role, feeling, bio) to"
     " (id, email, role, bio, feeling)"),
    ("own_notes", "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n"
                  "CREATE POLICY own ON notes USING (user_id > 0);\n",
     "ALTER TABLE notes DISABLE ROW LEVEL SECURITY;\n",
     "rollback: policy notes.own is left over"),
    ("counted_table",
     "UPDATE counter SET n = n + 1;\n"
     "DO $$ BEGIN EXECUTE format('CREATE TABLE gen_%s (id int)', (SELECT n FROM counter)); END $$;\n",
     "DO $$ BEGIN EXECUTE format('DROP TABLE gen_%s', (SELECT n FROM counter)); END $$;\n",
     "re-apply: table gen_2 appears"),
    ("more_counters", "INSERT INTO counter VALUES (10);\n", "DELETE FROM counter WHERE n = 10;\n",
     None),
]


@pytest.fixture
def kinds(project):
    """A base, then one migration whose rollback (or re-apply) breaks one thing of
    each kind, and two correct ones."""
    project.add(1, "base", BASE, BASE_DOWN)
    for version, (slug, up, down, _) in enumerate(MIGRATIONS, start=2):
        project.add(version, slug, up, down, manifest=False)
    project.write_manifest()
    return project


def verdicts(result: verify_mod.VerifyResult) -> list[tuple[str, str, list[str]]]:
    return [(c.name, c.status, c.problems) for c in result.checks]


def run(project, monkeypatch, detail_after: int) -> verify_mod.VerifyResult:
    monkeypatch.setattr(verify_mod, "DETAIL_AFTER", detail_after)
    return sqlmig.verify_migrations(project.root)


def test_fingerprints_give_the_verdicts_detailed_snapshots_give(kinds, monkeypatch):
    # Every mismatch found by fingerprints (then proven again in detail) ...
    quick = run(kinds, monkeypatch, 1000)
    # ... against detailed snapshots only, as before fingerprints.
    detailed = run(kinds, monkeypatch, 0)
    assert verdicts(quick) == verdicts(detailed)
    by_name = {c.name: c for c in quick.checks}
    assert by_name["0001_base"].status == "pass"
    for version, (slug, _, _, expected) in enumerate(MIGRATIONS, start=2):
        check = by_name[f"{version:04d}_{slug}"]
        if expected is None:
            assert check.status == "pass", (slug, check.problems)
        else:
            assert check.status == "fail", slug
            assert any(p.startswith(expected) for p in check.problems), (slug, check.problems)
    # ... and with the default switch to detailed snapshots after a few mismatches
    assert verdicts(run(kinds, monkeypatch, verify_mod.DETAIL_AFTER)) == verdicts(detailed)


def test_a_project_that_passes_builds_no_detailed_snapshot(project, monkeypatch):
    project.add(1, "base", BASE, BASE_DOWN)
    project.add(2, "bios", "ALTER TABLE users ADD COLUMN bio text;\n",
                "ALTER TABLE users DROP COLUMN bio;\n")
    project.add(3, "counters", "INSERT INTO counter VALUES (10);\n",
                "DELETE FROM counter WHERE n = 10;\n")
    project.add(4, "email_index", "CREATE INDEX users_email_idx ON users (email);\n",
                "DROP INDEX users_email_idx;\n")
    detailed = []
    original = verify_mod.Migrator.detail

    def counted(self):
        detailed.append(1)
        return original(self)

    monkeypatch.setattr(verify_mod.Migrator, "detail", counted)
    result = sqlmig.verify_migrations(project.root)
    assert result.ok and result.named("pass") == [c.name for c in result.checks]
    assert detailed == [] and result.snapshots == 3 * 4 + 1


def test_fingerprints_that_always_differ_still_give_the_detailed_verdicts(kinds, monkeypatch):
    detailed = run(kinds, monkeypatch, 0)
    unique = itertools.count()
    monkeypatch.setattr(verify_mod.Migrator, "fingerprint", lambda self: (str(next(unique)),))
    assert verdicts(run(kinds, monkeypatch, 1000)) == verdicts(detailed)
    assert verdicts(run(kinds, monkeypatch, 3)) == verdicts(detailed)
