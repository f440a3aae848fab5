"""Lint precision: labelled findings on realistic migrations.

Each case is a migration (and its rollback) of a shape seen in real public
corpora, one rule, and the verdict a reviewer gives: ``True`` when the
finding is a real risk that must be reported, ``False`` when it is noise that
must not be.  The true positives are the risks lint caught correctly in those
corpora (NOT NULL without default, non-concurrent indexes, ALTER TYPE,
UPDATE without WHERE, incomplete rollbacks); the false positives are the
shapes that made the tools cry wolf (objects a rollback drops implicitly,
NOT NULL after the table was emptied, IF [NOT] EXISTS advice on transactional
ledgered migrations, case-sensitive names printed without quotes).

25 cases: 14 real, 11 noise.  Before issue 17 all 11 false alarms were
reported, and 2 of the 12 real findings the linter could already make printed
a mixed-case name unquoted (2 more cases test what issue 17 adds: the strict
profile and the empty-file note); now all 25 verdicts hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import sqlmig
from sqlmig.linter import LintReport

LT = "SET LOCAL lock_timeout = '5s';\n"


@dataclass(frozen=True)
class Case:
    id: str
    rule: str
    up: str
    down: str | None
    real: bool  # the verdict: a finding of ``rule`` must (True) or must not (False) be reported
    message: str | None = None  # for a real one: text its message must contain
    lint_yaml: str | None = None


CASES = [
    # -- real risks: they must stay ---------------------------------------------------------
    Case("not-null-without-default", "add-not-null-column-without-default",
         LT + "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;\n",
         "ALTER TABLE users DROP COLUMN IF EXISTS tenant_id;\n", True),
    Case("not-null-after-a-filtered-delete", "add-not-null-column-without-default",
         LT + "DELETE FROM sessions WHERE expires_at < now();\n"
         "ALTER TABLE sessions ADD COLUMN device text NOT NULL;\n",
         "ALTER TABLE sessions DROP COLUMN device;\n", True),
    Case("index-not-concurrently", "create-index-not-concurrently",
         "CREATE INDEX orders_created_idx ON orders (created_at);\n",
         "DROP INDEX orders_created_idx;\n", True),
    Case("alter-type", "alter-column-type",
         LT + "ALTER TABLE events ALTER COLUMN payload TYPE jsonb USING payload::jsonb;\n",
         LT + "ALTER TABLE events ALTER COLUMN payload TYPE json;\n", True),
    Case("update-without-where", "update-without-where",
         "UPDATE accounts SET plan = 'free';\n", "SELECT 1;\n", True),
    Case("delete-before-not-null-is-still-reported", "delete-without-where",
         LT + "DELETE FROM sessions;\nALTER TABLE sessions ADD COLUMN device text NOT NULL;\n",
         "ALTER TABLE sessions DROP COLUMN device;\n", True),
    Case("rollback-forgets-function", "rollback-incomplete",
         LT + "ALTER TABLE users ADD COLUMN nickname text;\n"
         "CREATE FUNCTION touch() RETURNS void LANGUAGE sql AS $$ SELECT 1 $$;\n",
         "ALTER TABLE users DROP COLUMN nickname;\n", True, "function touch"),
    Case("index-outlives-another-dropped-column", "rollback-incomplete",
         LT + "ALTER TABLE users ADD COLUMN handle text;\n"
         "CREATE INDEX users_email_idx ON users (email);\n",
         "ALTER TABLE users DROP COLUMN handle;\n", True, "index users_email_idx"),
    Case("cascade-of-an-unrelated-table", "rollback-incomplete",
         "CREATE TABLE audit (id bigint PRIMARY KEY);\n"
         "CREATE VIEW active_users AS SELECT id FROM users WHERE active;\n",
         "DROP TABLE audit CASCADE;\n", True, "view active_users"),
    Case("mixed-case-not-null", "add-not-null-column-without-default",
         LT + 'ALTER TABLE "TaskRun" ADD COLUMN queue text NOT NULL;\n',
         'ALTER TABLE "TaskRun" DROP COLUMN queue;\n', True, 'column "TaskRun".queue'),
    Case("mixed-case-rollback-incomplete", "rollback-incomplete",
         'CREATE INDEX "TaskRun_queue_idx" ON "TaskRun" (queue);\n',
         "SELECT 1;\n", True, 'index "TaskRun_queue_idx"'),
    Case("set-not-null", "set-not-null",
         LT + "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n",
         LT + "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;\n", True),
    Case("strict-profile-keeps-missing-comment", "missing-comment",
         "CREATE TABLE tags (id bigint PRIMARY KEY, label text);\n",
         "DROP TABLE tags;\n", True, lint_yaml="profile: strict\n"),
    Case("empty-rollback", "empty-file",
         "CREATE TABLE tags (id bigint PRIMARY KEY);\n",
         "-- nothing to undo yet\n", True),
    # -- noise: it must go -----------------------------------------------------------------
    Case("index-dropped-with-its-column", "rollback-incomplete",
         LT + "ALTER TABLE users ADD COLUMN email_lower text;\n"
         "CREATE INDEX users_email_lower_idx ON users (email_lower);\n",
         "ALTER TABLE users DROP COLUMN email_lower;\n", False),
    Case("constraint-dropped-with-its-column", "rollback-incomplete",
         LT + "ALTER TABLE users ADD COLUMN org_id bigint;\n"
         "ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) "
         "REFERENCES orgs (id) NOT VALID;\n",
         "ALTER TABLE users DROP COLUMN org_id;\n", False),
    Case("view-under-drop-table-cascade", "rollback-incomplete",
         "CREATE TABLE orders_archive (id bigint PRIMARY KEY, total numeric);\n"
         "CREATE VIEW orders_archive_totals AS SELECT sum(total) FROM orders_archive;\n",
         "DROP TABLE orders_archive CASCADE;\n", False),
    Case("everything-under-drop-schema-cascade", "rollback-incomplete",
         "CREATE SCHEMA billing;\n"
         "CREATE TYPE billing.status AS ENUM ('open', 'paid');\n"
         "CREATE TABLE billing.invoices (id bigint PRIMARY KEY, status billing.status);\n"
         "CREATE INDEX invoices_status_idx ON billing.invoices (status);\n"
         "CREATE FUNCTION billing.total() RETURNS numeric LANGUAGE sql AS $$ SELECT 0 $$;\n",
         "DROP SCHEMA billing CASCADE;\n", False),
    Case("trigger-under-drop-function-cascade", "rollback-incomplete",
         "CREATE FUNCTION users_audit() RETURNS trigger LANGUAGE plpgsql AS "
         "$$ BEGIN RETURN NEW; END $$;\n"
         "CREATE TRIGGER users_audit_trg AFTER UPDATE ON users "
         "FOR EACH ROW EXECUTE FUNCTION users_audit();\n",
         "DROP FUNCTION users_audit() CASCADE;\n", False),
    Case("not-null-after-delete-all", "add-not-null-column-without-default",
         LT + "DELETE FROM sessions;\nALTER TABLE sessions ADD COLUMN device text NOT NULL;\n",
         "ALTER TABLE sessions DROP COLUMN device;\n", False),
    Case("not-null-after-truncate", "add-not-null-column-without-default",
         LT + "-- sqlmig: allow truncate sessions are recreated at the next login\n"
         "TRUNCATE sessions;\nALTER TABLE sessions ADD COLUMN device text NOT NULL;\n",
         "ALTER TABLE sessions DROP COLUMN device;\n", False),
    Case("textbook-first-migration-if-not-exists", "create-without-if-not-exists",
         "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);\n",
         "DROP TABLE users;\n", False),
    Case("textbook-first-migration-comment", "missing-comment",
         "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);\n",
         "DROP TABLE users;\n", False),
    Case("rollback-drop-if-exists", "drop-without-if-exists",
         "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);\n",
         "DROP TABLE users;\n", False),
    Case("extension-if-not-exists", "create-without-if-not-exists",
         "CREATE EXTENSION pgcrypto;\n", "DROP EXTENSION pgcrypto;\n", False),
]


def lint_case(tmp_path: Path, case: Case) -> LintReport:
    root = tmp_path / "proj"
    (root / "sql" / "migrations").mkdir(parents=True)
    (root / "sql" / "rollbacks").mkdir(parents=True)
    (root / "config").mkdir()
    if case.lint_yaml is not None:
        (root / "config" / "lint.yaml").write_text(case.lint_yaml)
    (root / "sql" / "migrations" / "0001_change.sql").write_text(case.up)
    if case.down is not None:
        (root / "sql" / "rollbacks" / "0001_change.sql").write_text(case.down)
    return sqlmig.lint(root)


def test_the_labelled_set_has_both_kinds() -> None:
    assert len({c.id for c in CASES}) == len(CASES)
    real = sum(c.real for c in CASES)
    assert real >= 10 and len(CASES) - real >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_verdict(tmp_path: Path, case: Case) -> None:
    found = [f for f in lint_case(tmp_path, case).findings if f.rule == case.rule]
    if not case.real:
        assert found == [], [f.message for f in found]
        return
    assert found, f"{case.rule} must be reported"
    if case.message is not None:
        assert any(case.message in f.message for f in found), [f.message for f in found]
