"""Lint's cost: each statement of a run goes through PostgreSQL's parser once
(the JSON form, sqlnodes.parse_json), and no pglast.ast tree is built (the
object-per-node trees of pglast.parse_sql are most of what parsing costs).
The passes after the statement rules (classification, repeatables) read the
kept JSON again instead of parsing again.  Counted, not timed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pglast
import pytest
from pglast import parser

import sqlmig
from sqlmig.core import sqlnodes, sqltext

STRICT = "profile: strict\nrules:\n  unclassified-personal-data: error\n"

MIGRATIONS = {
    "0001_users.sql": """
        CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);
        COMMENT ON TABLE users IS 'people @contains-personal-data';
        COMMENT ON COLUMN users.email IS 'their address @pii email';
        INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com');
    """,
    "0002_more.sql": """
        SET LOCAL lock_timeout = '5s';
        ALTER TABLE users ADD COLUMN phone text;
        CREATE INDEX users_phone ON users (phone);
        SELECT refresh_totals() AS total;
        DO $$ BEGIN PERFORM refresh_totals(); END $$;
    """,
}
ROLLBACKS = {"0001_users.sql": "DROP TABLE IF EXISTS users;\n",
             "0002_more.sql": "ALTER TABLE users DROP COLUMN IF EXISTS phone;\n"}
REPEATABLE = ("CREATE OR REPLACE FUNCTION refresh_totals() RETURNS int LANGUAGE sql "
              "AS $$ SELECT 1 $$;\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "dev.yaml").write_text("database_url: embedded\n")
    (tmp_path / "config" / "lint.yaml").write_text(STRICT)
    for sub, files in (("migrations", MIGRATIONS), ("rollbacks", ROLLBACKS),
                       ("repeatable", {"totals.sql": REPEATABLE})):
        (tmp_path / "sql" / sub).mkdir(parents=True)
        for name, text in files.items():
            (tmp_path / "sql" / sub / name).write_text(text)
    return tmp_path


def top_level_statements(root: Path) -> Counter[str]:
    return Counter(stmt.text for path in sorted((root / "sql").rglob("*.sql"))
                   for stmt in sqltext.analyse(path.read_text()).statements)


def test_each_statement_is_parsed_once_and_no_pglast_tree_is_built(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: Counter[str] = Counter()
    real = sqlnodes.parse_json

    def counting(text: str) -> str:
        parsed[text] += 1
        return real(text)

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("lint built a pglast.ast tree")

    monkeypatch.setattr(sqlnodes, "parse_json", counting)
    monkeypatch.setattr(parser, "parse_sql", refused)
    monkeypatch.setattr(pglast, "parse_sql", refused)
    report = sqlmig.lint(project)
    # The passes that read every file again ran: these findings come from them.
    assert {f.rule for f in report.findings} >= {"unclassified-personal-data",
                                                  "versioned-uses-repeatable"}
    files = top_level_statements(project)
    # The DO block's statement (PL/pgSQL's PERFORM reads as a SELECT) is parsed by
    # the readers of DO bodies, not being a statement of a file.
    assert set(parsed) - set(files) == {"SELECT refresh_totals()"}
    assert Counter({t: n for t, n in parsed.items() if t in files}) == files

