"""Every lint rule: a migration that triggers it and one that must not.

These are static (no database): lint only reads files unless --env is given.
The negative examples include the tricky ones: keywords inside strings,
comments and dollar-quoted bodies, and objects created earlier in the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sqlmig
from sqlmig.linter import RULES, LintReport

TX = "-- sqlmig: no-transaction\n"
STRICT = {"lint.yaml": "profile: strict\n"}
LT = "SET LOCAL lock_timeout = '5s';\n"


def lint_sql(tmp_path: Path, up: str, down: str | None = "SELECT 1;",
             config: dict[str, str] | None = None) -> LintReport:
    root = tmp_path / "proj"
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "sql" / "rollbacks").mkdir(parents=True)
    (root / "config").mkdir()
    for name, text in (config or {}).items():
        (root / "config" / name).write_text(text)
    (root / "sql" / "migrations" / "0001_test.sql").write_text(up)
    if down is not None:
        (root / "sql" / "rollbacks" / "0001_test.sql").write_text(down)
    return sqlmig.lint(root)


def rules_of(report: LintReport) -> set[str]:
    """Rules found, leaving out destructive changes whose data is kept in
    sqlmig_backup (those are notes, tested separately)."""
    return {f.rule for f in report.findings if "data is preserved" not in f.message}


CASES: list[tuple[str, str, str]] = [
    # (rule, triggers it, does not)
    ("create-index-not-concurrently",
     "CREATE INDEX IF NOT EXISTS users_email_idx ON users (email);",
     "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, email text);\n"
     "CREATE INDEX IF NOT EXISTS t_email_idx ON t (email);"),
    ("create-index-not-concurrently",
     "CREATE INDEX IF NOT EXISTS a_idx ON app.accounts (email);",
     TX + "CREATE INDEX CONCURRENTLY IF NOT EXISTS a_idx ON app.accounts (email);"),
    ("drop-index-not-concurrently", "DROP INDEX IF EXISTS users_email_idx;",
     TX + "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;"),
    ("concurrently-in-transaction",
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);",
     TX + "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);"),
    ("concurrently-in-transaction", "DROP INDEX CONCURRENTLY IF EXISTS i;",
     "SELECT 'DROP INDEX CONCURRENTLY i';"),
    ("constraint-without-not-valid",
     LT + "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);",
     LT + "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) "
     "REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;"),
    ("constraint-without-not-valid",
     LT + "ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0);",
     LT + "ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;"),
    ("alter-column-type", LT + "ALTER TABLE users ALTER COLUMN id TYPE bigint;",
     "CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY);\nALTER TABLE t ALTER COLUMN id TYPE bigint;"),
    ("set-not-null", LT + "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
     LT + "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n"
     "ALTER TABLE users VALIDATE CONSTRAINT email_nn;\n"
     "ALTER TABLE users ALTER COLUMN email SET NOT NULL;"),
    ("volatile-default", LT + "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
     LT + "ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();"),
    ("volatile-default", LT + "ALTER TABLE users ADD COLUMN seq bigserial;",
     LT + "ALTER TABLE users ADD COLUMN note text DEFAULT 'random()';"),
    ("vacuum-full", "VACUUM FULL users;", "VACUUM (ANALYZE) users;"),
    ("cluster", "CLUSTER users USING users_pkey;", "SELECT 'CLUSTER users';"),
    ("missing-lock-timeout", "ALTER TABLE users ADD COLUMN bio text;",
     LT + "ALTER TABLE users ADD COLUMN bio text;"),
    ("drop-table", "DROP TABLE IF EXISTS legacy_events;",
     "CREATE TABLE IF NOT EXISTS scratch (id bigint PRIMARY KEY);\nDROP TABLE scratch;"),
    ("drop-table", "DROP TABLE IF EXISTS legacy_events;",
     "CREATE TABLE IF NOT EXISTS sqlmig_backup.legacy_events_0001 AS SELECT * FROM legacy_events;\n"
     "DROP TABLE IF EXISTS legacy_events;"),
    ("drop-column", LT + "ALTER TABLE users DROP COLUMN phone;",
     LT + "CREATE TABLE sqlmig_backup.users_0001 AS SELECT id, phone FROM users;\n"
     "ALTER TABLE users DROP COLUMN phone;"),
    ("drop-column", LT + "ALTER TABLE users DROP COLUMN phone;",
     "-- ALTER TABLE users DROP COLUMN phone;\n/* DROP COLUMN */ SELECT 'ALTER TABLE users DROP COLUMN x';"),
    ("truncate", "TRUNCATE audit_log;",
     "CREATE TABLE IF NOT EXISTS tmp_load (id bigint PRIMARY KEY);\nTRUNCATE tmp_load;"),
    ("drop-schema-cascade", "DROP SCHEMA IF EXISTS reporting CASCADE;",
     "DROP SCHEMA IF EXISTS reporting;"),
    ("rename-table", LT + "ALTER TABLE users RENAME TO accounts;",
     "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);\nALTER TABLE t RENAME TO t2;"),
    ("rename-column", LT + "ALTER TABLE users RENAME COLUMN name TO full_name;",
     "COMMENT ON COLUMN users.name IS 'do not RENAME COLUMN name';"),
    ("delete-without-where", "DELETE FROM sessions;",
     "DELETE FROM sessions WHERE expires_at < now();"),
    ("update-without-where", "UPDATE users SET active = true;",
     "UPDATE users SET active = true WHERE active IS NULL;"),
    ("add-not-null-column-without-default",
     LT + "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;",
     LT + "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;"),
    ("create-without-if-not-exists", "CREATE SCHEMA reporting;",
     "CREATE SCHEMA IF NOT EXISTS reporting;"),
    ("create-without-if-not-exists", "CREATE EXTENSION pgcrypto;",
     "CREATE EXTENSION IF NOT EXISTS pgcrypto;"),
    ("create-without-if-not-exists", "CREATE TABLE t (id bigint PRIMARY KEY);",
     "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);"),
    ("transaction-control", "BEGIN;\nCREATE SCHEMA IF NOT EXISTS s;\nCOMMIT;",
     "SAVEPOINT a;\nCREATE SCHEMA IF NOT EXISTS s;\nRELEASE SAVEPOINT a;"),
    ("psql-meta-command", "\\set ON_ERROR_STOP on\nCREATE SCHEMA IF NOT EXISTS s;",
     "SELECT E'\\\\set not a command';"),
    ("syntax-error", "CREATE TABEL t (id int);", "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);"),
    ("timestamp-without-time-zone", "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, at timestamp);",
     "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, at timestamptz);"),
    ("char-type", "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, code char(3));",
     "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, code text CHECK (length(code) = 3));"),
    ("varchar-length", "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, name varchar(50));",
     "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, name varchar);"),
    ("int-primary-key", "CREATE TABLE IF NOT EXISTS t (id serial PRIMARY KEY);",
     "CREATE TABLE IF NOT EXISTS t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"),
    ("int-primary-key", "CREATE TABLE IF NOT EXISTS t (id integer PRIMARY KEY);",
     "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);"),
    ("missing-primary-key", "CREATE TABLE IF NOT EXISTS t (a text);",
     "CREATE TABLE IF NOT EXISTS t (a text);\nALTER TABLE t ADD PRIMARY KEY (a);"),
    ("foreign-key-without-index",
     "CREATE TABLE IF NOT EXISTS o (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));",
     "CREATE TABLE IF NOT EXISTS o (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n"
     "CREATE INDEX IF NOT EXISTS o_user_idx ON o (user_id, id);"),
    ("missing-comment", "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);",
     "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);\nCOMMENT ON TABLE t IS 'x';\n"
     "COMMENT ON COLUMN t.id IS 'y';"),
    ("unclassified-personal-data", "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);\n"
     "COMMENT ON TABLE t IS 'People. @contains-personal-data';",
     "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);\n"
     "COMMENT ON TABLE t IS 'People. @contains-personal-data';\n"
     "COMMENT ON COLUMN t.id IS 'Key. @pii none';"),
    ("empty-file", "-- placeholder, written later\n\n/* nothing yet */\n",
     "-- a comment above\nSELECT 1;"),
    ("empty-file", "", "CREATE SCHEMA IF NOT EXISTS s;"),
    ("server-wide-statement", "ALTER ROLE app PASSWORD 'x';",
     "GRANT SELECT ON users TO app;"),
]


@pytest.mark.parametrize(("rule", "bad", "good"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(tmp_path: Path, rule: str, bad: str, good: str) -> None:
    # Opt-in rules run in the strict profile; each is tested there.
    config = STRICT if RULES[rule].opt_in else None
    assert rule in rules_of(lint_sql(tmp_path / "bad", bad, config=config))
    assert rule not in rules_of(lint_sql(tmp_path / "good", good, config=config))


@pytest.mark.parametrize("rule", sorted(r for r in RULES if RULES[r].opt_in))
def test_opt_in_rules_are_off_in_the_default_profile(tmp_path: Path, rule: str) -> None:
    bad = next(c[1] for c in CASES if c[0] == rule) if rule != "drop-without-if-exists" else ""
    down = "DROP TABLE t;" if rule == "drop-without-if-exists" else "SELECT 1;"
    assert rule not in rules_of(lint_sql(tmp_path / "default", bad or "SELECT 1;", down))
    assert rule in rules_of(lint_sql(tmp_path / "strict", bad or "SELECT 1;", down, config=STRICT))
    named = {"lint.yaml": f"rules:\n  {rule}: error\n"}
    found = lint_sql(tmp_path / "named", bad or "SELECT 1;", down, config=named).findings
    assert (rule, "error") in {(f.rule, f.severity) for f in found}


def test_empty_rollback_is_a_note_on_the_rollback(tmp_path: Path) -> None:
    report = lint_sql(tmp_path, "CREATE SCHEMA IF NOT EXISTS s;", down="-- nothing to undo\n")
    (f,) = [f for f in report.findings if f.rule == "empty-file"]
    assert (f.path, f.line, f.severity) == ("sql/rollbacks/0001_test.sql", 1, "note")


def test_mixed_case_names_are_quoted_in_messages(tmp_path: Path) -> None:
    report = lint_sql(tmp_path, LT + 'ALTER TABLE "TaskRun" ADD COLUMN "Queue" text NOT NULL;\n'
                      'ALTER TABLE "order" DROP COLUMN note;\n')
    messages = {f.rule: f.message for f in report.findings}
    assert messages["add-not-null-column-without-default"].startswith(
        'column "TaskRun"."Queue" is added NOT NULL')
    assert messages["drop-column"].startswith('DROP COLUMN "order".note destroys')


def test_every_statement_rule_has_a_case() -> None:
    project_level = {"missing-rollback", "rollback-incomplete", "checksum-drift",
                     "invalid-suppression", "drop-without-if-exists",
                     "versioned-uses-repeatable"}  # tests/test_repeatable.py
    assert set(RULES) - project_level == {c[0] for c in CASES}


def test_keywords_in_dollar_quoted_function_body_do_not_trigger(tmp_path: Path) -> None:
    body = ("CREATE OR REPLACE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $fn$\n"
            "BEGIN\n  DELETE FROM sessions;\n  TRUNCATE audit_log;\n  DROP TABLE old;\n"
            "  UPDATE users SET x = 1;\nEND\n$fn$;\n")
    report = lint_sql(tmp_path, body, down="DROP FUNCTION IF EXISTS purge();")
    assert rules_of(report) & {"delete-without-where", "truncate", "drop-table",
                               "update-without-where", "transaction-control"} == set()


def test_location_is_the_statement_line_and_column(tmp_path: Path) -> None:
    report = lint_sql(tmp_path, "-- header\n" + LT + "\n  ALTER TABLE users DROP COLUMN phone;\n")
    (f,) = [f for f in report.findings if f.rule == "drop-column"]
    assert (f.path, f.line, f.column, f.severity) == ("sql/migrations/0001_test.sql", 4, 3, "error")
    assert f.explanation == RULES["drop-column"].explanation


def test_backup_inside_do_block_downgrades_drop_column_to_note(tmp_path: Path) -> None:
    up = (LT + "DO $$ BEGIN\n  CREATE TABLE sqlmig_backup.users_0001 AS\n"
          "    SELECT id, legacy_col FROM users;\nEND $$;\nALTER TABLE users DROP COLUMN legacy_col;\n")
    (f,) = [f for f in lint_sql(tmp_path, up).findings if f.rule == "drop-column"]
    assert f.severity == "note" and "preserved in sqlmig_backup" in f.message


def test_backup_of_another_column_does_not_count(tmp_path: Path) -> None:
    up = (LT + "CREATE TABLE sqlmig_backup.users_0001 AS SELECT id, other FROM users;\n"
          "ALTER TABLE users DROP COLUMN legacy_col;\n")
    (f,) = [f for f in lint_sql(tmp_path, up).findings if f.rule == "drop-column"]
    assert f.severity == "error"


def test_syntax_error_does_not_hide_the_other_statements(tmp_path: Path) -> None:
    report = lint_sql(tmp_path, "SELEC 1;\nTRUNCATE audit_log;\n")
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["syntax-error"].line == 1
    assert by_rule["truncate"].line == 2


def test_lock_timeout_in_every_environment_config_counts(tmp_path: Path) -> None:
    cfg = {"dev.yaml": "database_url: x\nlock_timeout: 5s\n",
           "prod.yaml": "database_url: y\nlock_timeout: 2s\n"}
    assert "missing-lock-timeout" not in rules_of(
        lint_sql(tmp_path / "a", "ALTER TABLE users ADD COLUMN bio text;", config=cfg))
    cfg["prod.yaml"] = "database_url: y\n"
    assert "missing-lock-timeout" in rules_of(
        lint_sql(tmp_path / "b", "ALTER TABLE users ADD COLUMN bio text;", config=cfg))


def test_lock_timeout_zero_does_not_count(tmp_path: Path) -> None:
    up = "SET lock_timeout = 0;\nALTER TABLE users ADD COLUMN bio text;"
    assert "missing-lock-timeout" in rules_of(lint_sql(tmp_path, up))


def test_fk_index_from_an_earlier_migration_counts(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "sql" / "migrations" / "0001_a.sql").write_text(
        "CREATE TABLE IF NOT EXISTS o (id bigint PRIMARY KEY, user_id bigint);\n"
        "CREATE INDEX IF NOT EXISTS o_user_idx ON o (user_id);\n")
    (root / "sql" / "migrations" / "0002_b.sql").write_text(
        LT + "ALTER TABLE o ADD CONSTRAINT o_user_fk FOREIGN KEY (user_id) REFERENCES users (id) "
        "NOT VALID;\n")
    report = sqlmig.lint(root, paths=[root / "sql" / "migrations" / "0002_b.sql"])
    assert "foreign-key-without-index" not in rules_of(report)
    assert report.files == ["sql/migrations/0002_b.sql"]
