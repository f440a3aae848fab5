"""Schema snapshots: deterministic, complete, parseable, and diffs in words."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from sqlmig.schema import snapshot
from sqlmig.schema.snapshot import Snapshot, diff, parse

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS citext;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'The app.';
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.email AS citext CHECK (VALUE LIKE '%@%');
CREATE TYPE app.pair AS (a int, b text);
CREATE SEQUENCE app.ticket_no START 100 INCREMENT 5 MINVALUE 0;
CREATE TABLE app.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email app.email NOT NULL UNIQUE,
    name text COLLATE "C" NOT NULL,
    mood app.mood DEFAULT 'ok',
    score int GENERATED ALWAYS AS (length(name)) STORED,
    ticket bigint DEFAULT nextval('app.ticket_no')
);
COMMENT ON COLUMN app.users.name IS 'Full "display" name.';
CREATE TABLE app.events (at timestamptz NOT NULL, user_id bigint REFERENCES app.users (id))
    PARTITION BY RANGE (at);
CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX events_at_idx ON app.events (at);
CREATE VIEW app.happy AS SELECT id, name FROM app.users WHERE mood = 'happy' WITH LOCAL CHECK OPTION;
CREATE MATERIALIZED VIEW app.counts AS SELECT mood, count(*) FROM app.users GROUP BY mood;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE PROCEDURE app.noop() LANGUAGE sql AS $$ SELECT 1 $$;
"""


@pytest.fixture
def two_dbs(pg_server, db_url):
    name = f"sqlmig_t_{uuid.uuid4().hex[:12]}"
    janitor = pg_server.janitor(name)
    janitor.init()
    try:
        yield db_url, pg_server.url(name)
    finally:
        janitor.drop()


def take(url: str, **kw) -> Snapshot:
    with psycopg.connect(url, autocommit=True) as conn:
        return snapshot.take(conn, **kw)


def run(url: str, sql: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def test_identical_schemas_give_byte_identical_snapshots(two_dbs):
    a, b = two_dbs
    run(a, SCHEMA)
    # the same schema, built in a different order with a dropped column in between
    run(b, "CREATE TABLE scratch_first (x int); ALTER TABLE scratch_first DROP COLUMN x;"
           "DROP TABLE scratch_first;" + SCHEMA)
    sa, sb = take(a), take(b)
    assert sa.to_text() == sb.to_text() and sa.to_json() == sb.to_json()
    assert sa == sb and diff(sa, sb).empty


def test_snapshot_covers_every_kind_of_object(db_url):
    run(db_url, SCHEMA)
    text = take(db_url).to_text()
    for header in ("schema app", "extension citext", "enum app.mood", "domain app.email",
                   "composite type app.pair", "sequence app.ticket_no", "table app.users",
                   "column app.users.email", "constraint app.users.users_email_key",
                   "foreign key app.events.events_user_id_fkey", "index app.events_at_idx",
                   "trigger app.users.users_touch", "view app.happy", "materialized view app.counts",
                   "function app.touch()", "procedure app.noop()", "table app.events_2026"):
        assert f"\n{header}\n" in text, header
    assert '  collation: "pg_catalog.\\"C\\""' in text or '  collation: "\\"C\\""' in text
    assert '  min_value: 0' in text and '  options: ["check_option=local"]' in text
    assert '  column_order: ["id", "email", "name", "mood", "score", "ticket"]' in text
    assert "  definition: |\n    |CREATE OR REPLACE FUNCTION app.touch()" in text


def test_text_and_json_read_back(db_url):
    run(db_url, SCHEMA)
    snap = take(db_url)
    assert parse(snap.to_text()) == snap and parse(snap.to_json()) == snap
    assert parse(snap.to_text()).to_text() == snap.to_text()


def test_sqlmig_tables_and_backup_schema_are_left_out(project):
    project.add(1, "t", "CREATE TABLE t (id int);\n", "DROP TABLE t;\n")
    project.apply()
    run(project.url, "CREATE SCHEMA sqlmig_backup; CREATE TABLE sqlmig_backup.t_0001 (id int)")
    snap = take(project.url)
    names = {name for _, name in snap.objects}
    assert "public.t" in names and "public.schema_migrations" not in names
    assert not any(n.startswith(("sqlmig", "public.sqlmig_")) for n in names)  # sqlmig, sqlmig.*
    assert ("schema", "sqlmig_backup") in take(project.url, include_backup=True).objects


def test_diff_names_objects_in_words(db_url):
    run(db_url, "CREATE TABLE users (id int PRIMARY KEY, email text, role text DEFAULT 'x');"
                "CREATE TABLE questions (id int, rank int)")
    before = take(db_url)
    run(db_url, "ALTER TABLE users ALTER COLUMN role SET DEFAULT 'y';"
                "ALTER TABLE users ALTER COLUMN email SET NOT NULL;"
                "DROP TABLE questions CASCADE; CREATE TABLE questions (rank int, id int);"
                "CREATE INDEX questions_rank_idx ON questions (rank);"
                "CREATE TABLE extra (id int)")
    d = diff(before, take(db_url))
    assert d.lines(added="is left over") == [
        "column users.email is now NOT NULL",
        "default of users.role changed from 'x'::text to 'y'::text",
        "table extra is left over",
        "index questions_rank_idx is left over",
        "column order of table questions changed from (id, rank) to (rank, id)",
    ]
    assert [x.describe() for x in d.order] == [
        "column order of table questions changed from (id, rank) to (rank, id)"]


def test_a_dropped_table_is_reported_once(db_url):
    run(db_url, "CREATE TABLE t (id int PRIMARY KEY, v text); CREATE INDEX t_v ON t (v)")
    before = take(db_url)
    run(db_url, "DROP TABLE t")
    assert diff(before, take(db_url)).lines() == ["table t is missing"]


def test_cli_writes_and_checks_a_committed_snapshot(project):
    project.add(1, "t", "CREATE TABLE t (id int PRIMARY KEY);\n", "DROP TABLE t;\n")
    project.apply()
    out = project.cli("snapshot", "--out", "schema.snapshot")
    assert out.exit_code == 0 and out.stdout.startswith("wrote ")
    written = (project.root / "schema.snapshot").read_text()
    assert written == project.cli("snapshot").stdout
    ok = project.cli("snapshot", "--out", "schema.snapshot", "--check")
    assert ok.exit_code == 0 and "matches the database" in ok.stdout
    project.query("ALTER TABLE t ADD COLUMN note text")
    bad = project.cli("snapshot", "--out", "schema.snapshot", "--check")
    assert bad.exit_code == 1
    assert "  column t.note is not in the committed snapshot" in bad.stdout
    assert (project.root / "schema.snapshot").read_text() == written  # --check writes nothing
    assert project.cli("snapshot", "--out", "s.json").exit_code == 0
    assert (project.root / "s.json").read_text().startswith('{\n "format"')


@pytest.mark.parametrize("content, message", [
    ("# sqlmig schema snapshot, format 1\n\nbogus thing\n", "schema.snapshot:3: not a sqlmig snapshot"),
    ("# sqlmig schema snapshot, format 1\n\ntable public.t\n  comment: not json\n",
     "schema.snapshot:4: not a sqlmig snapshot: the value of `comment` is not JSON"),
    ('{"format": 1}', "not a sqlmig JSON snapshot"),
])
def test_check_against_a_broken_file_is_a_usage_error(project, content, message):
    (project.root / "schema.snapshot").write_text(content)
    result = project.cli("snapshot", "--out", "schema.snapshot", "--check")
    assert result.exit_code == 2 and message in result.stderr


def test_check_needs_an_existing_file(project):
    assert project.cli("snapshot", "--check").exit_code == 2
    missing = project.cli("snapshot", "--out", "nope.snapshot", "--check")
    assert missing.exit_code == 2 and "does not exist: write it first" in missing.stderr


def test_row_level_security_policies_are_compared(db_url):
    run(db_url, "CREATE TABLE docs (id int PRIMARY KEY, owner text);"
                "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;"
                "CREATE POLICY own_docs ON docs FOR SELECT USING (owner = current_user)")
    before = take(db_url)
    attrs = before.objects[("policy", "public.docs.own_docs")]
    assert attrs["command"] == "SELECT" and attrs["roles"] == ["public"]
    assert "CURRENT_USER" in attrs["using"]
    run(db_url, "DROP POLICY own_docs ON docs;"
                "CREATE POLICY own_docs ON docs AS RESTRICTIVE FOR SELECT USING (owner = 'x');"
                "CREATE POLICY writers ON docs FOR INSERT WITH CHECK (true)")
    assert diff(before, take(db_url)).lines(added="is left over") == [
        "using of policy docs.own_docs changed from owner = CURRENT_USER to owner = 'x'::text",
        "policy docs.own_docs is now RESTRICTIVE",
        "policy docs.writers is left over",
    ]


LONG_VIEW = ("CREATE OR REPLACE VIEW active_accounts AS SELECT id, email, display_name, "
             "created_at, last_login_at, plan FROM accounts WHERE plan {op} 'free' "
             "AND last_login_at > now() - interval '30 days'")


def test_long_definitions_differ_by_a_unified_diff_of_the_change(db_url):
    run(db_url, "CREATE TABLE accounts (id int, email text, display_name text, "
                "created_at timestamptz, last_login_at timestamptz, plan text);"
                "CREATE INDEX accounts_recent_idx ON accounts (plan, last_login_at, email, "
                "display_name) WHERE plan = 'pro';" + LONG_VIEW.format(op="<>"))
    before = take(db_url)
    run(db_url, "DROP INDEX accounts_recent_idx; CREATE INDEX accounts_recent_idx ON accounts "
                "(plan, last_login_at, email, display_name) WHERE plan = 'team';"
                + LONG_VIEW.format(op="="))
    index, view = diff(before, take(db_url)).lines()
    # Both definitions are longer than the old 77-character cut, and differ after it.
    assert index.splitlines() == [
        "definition of index accounts_recent_idx changed:",
        "  ...",
        "    email,",
        "    display_name)",
        "  - WHERE (plan = 'pro'::text)",
        "  + WHERE (plan = 'team'::text)",
    ]
    removed = [ln for ln in view.splitlines() if ln.startswith("  - ")]
    added = [ln for ln in view.splitlines() if ln.startswith("  + ")]
    assert view.startswith("definition of view active_accounts changed:\n")
    assert len(removed) == len(added) == 1
    assert "<>" in removed[0] and "<>" not in added[0] and "=" in added[0]
    assert len(view.splitlines()) <= 8  # trimmed around the change, not both whole views


def test_definition_diff_is_deterministic_and_trimmed():
    old = "\n".join(f"line {i}" for i in range(100))
    new = old.replace("line 50", "line fifty")
    out = snapshot.definition_diff(old, new)
    assert out == ["...", "  line 48", "  line 49", "- line 50", "+ line fifty", "  line 51",
                   "  line 52", "..."]
    assert snapshot.definition_diff(old, new) == out
    many = snapshot.definition_diff(old, "\n".join(f"other {i}" for i in range(100)))
    assert len(many) == 25 and many[-1] == "... (176 more lines)"
