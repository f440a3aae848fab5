"""SQL text is read with PostgreSQL's grammar: tricky SQL, judged by the server.

Where a case is about statement boundaries, the oracle is PostgreSQL itself:
each statement sqltext finds is sent alone with psycopg's default (extended)
query protocol, which carries exactly one statement: the server answers
42601 "cannot insert multiple commands into a prepared statement" if the text
holds two, and a syntax error if it holds half of one.  So a statement the
server executes is exactly one complete statement, whatever sqltext thinks.
The statements of a case run in order in one transaction that is rolled back.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import psycopg
import pytest

from sqlmig.core import sqltext
from sqlmig.core.connection import redact
from sqlmig.core.files import SqlFile
from sqlmig.errors import MigrationFileError

ATOMIC = ("CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
          "  SELECT CASE WHEN a > 0 THEN a END;\nEND")


@pytest.fixture(scope="module")
def oracle(pg_server):
    """A connection to a database of this module's own (statements run in
    transactions that are rolled back)."""
    name = f"sqlmig_sqltext_{uuid.uuid4().hex[:8]}"
    janitor = pg_server.janitor(name)
    janitor.init()
    try:
        with psycopg.connect(pg_server.url(name)) as conn:
            yield conn
    finally:
        janitor.drop()


# (case, SQL, [(line, statement text)]): what a file splits into.
BOUNDARIES = [
    ("standard string ending in a backslash", "SELECT 'C:\\';\nCOMMIT;\nSELECT 'D:\\';\n",
     [(1, "SELECT 'C:\\'"), (2, "COMMIT"), (3, "SELECT 'D:\\'")]),
    ("column named begin", "CREATE TABLE k (begin int, \"end\" int);\nSELECT begin FROM k;\n",
     [(1, 'CREATE TABLE k (begin int, "end" int)'), (2, "SELECT begin FROM k")]),
    ("identifiers named commit and end", "CREATE TABLE c (commit int, \"end\" int);\n"
     "SELECT commit, \"end\" FROM c;",
     [(1, 'CREATE TABLE c (commit int, "end" int)'), (2, 'SELECT commit, "end" FROM c')]),
    ("E'' string with an escaped quote", "SELECT E'it\\'s; still the string';\nSELECT 2;",
     [(1, "SELECT E'it\\'s; still the string'"), (2, "SELECT 2")]),
    ("dollar quotes with tags",
     "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$ SELECT 'a; b' $body$;\n"
     "SELECT $x$ ; $y$ ; COMMIT; $x$;",
     [(1, "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$ SELECT 'a; b' $body$"),
      (2, "SELECT $x$ ; $y$ ; COMMIT; $x$")]),
    ("nested block comments", "/* outer /* inner; */ still; COMMIT; */ SELECT 1;\nSELECT 2 /* ; */;",
     [(1, "SELECT 1"), (2, "SELECT 2 /* ; */")]),
    ("BEGIN ATOMIC body", ATOMIC + ";\nSELECT g(1);", [(1, ATOMIC), (5, "SELECT g(1)")]),
    ("U& identifier", 'CREATE TABLE U&"d\\0061t\\+000061" (x int);\nSELECT x FROM data;',
     [(1, 'CREATE TABLE U&"d\\0061t\\+000061" (x int)'), (2, "SELECT x FROM data")]),
    ("CRLF line endings", "SELECT 1;\r\n\r\nSELECT 'a\r\nb';\r\n",
     [(1, "SELECT 1"), (3, "SELECT 'a\r\nb'")]),
    ("semicolons in comments", "SELECT 1; -- not; a; statement\nSELECT 2 -- ;\n;",
     [(1, "SELECT 1"), (2, "SELECT 2 -- ;")]),
    ("comments repeating later statements", "-- SELECT 1;\nSELECT 1;\n/* SELECT 2; */\nSELECT 2;",
     [(2, "SELECT 1"), (4, "SELECT 2")]),
    ("non-ASCII before statements", "-- héllo wörld ✓ 𝄞\nSELECT 'ü€𝄞';\n\nSELECT 2;",
     [(2, "SELECT 'ü€𝄞'"), (4, "SELECT 2")]),
    ("empty statements and a trailing comment", ";;\nSELECT 1;;\n-- the end\n",
     [(2, "SELECT 1")]),
]


@pytest.mark.parametrize("sql, expected", [c[1:] for c in BOUNDARIES],
                         ids=[c[0] for c in BOUNDARIES])
def test_statement_boundaries_are_the_servers(oracle, sql, expected):
    analysis = sqltext.analyse(sql)
    assert analysis.parsed
    found = [(s.line, s.text) for s in analysis.statements]
    assert found == expected
    for s in analysis.statements:
        assert sql[s.offset:s.offset + len(s.text)] == s.text
    try:
        for s in analysis.statements:
            oracle.execute(s.text)  # one statement, or the server refuses it
    finally:
        oracle.rollback()


def test_the_scanner_split_of_an_unparsable_file_keeps_atomic_bodies(oracle):
    sql = ATOMIC + ";\nSELECT 'C:\\';\nSELEC 1;\nCOMMIT;"
    analysis = sqltext.analyse(sql)
    assert not analysis.parsed and analysis.syntax is not None
    texts = [s.text for s in analysis.statements]
    assert texts == [ATOMIC, "SELECT 'C:\\'", "SELEC 1", "COMMIT"]
    assert [s.line for s in analysis.statements] == [1, 5, 6, 7]
    try:
        for text in (t for t in texts if t != "SELEC 1"):
            oracle.execute(text)
    finally:
        oracle.rollback()


def _file(sql: str, *, transactional: bool = True) -> SqlFile:
    return SqlFile(path=Path("0001_x.sql"), relpath="migrations/0001_x.sql", checksum="",
                   text=sql, directives={} if transactional else {"no-transaction": ""})


# (case, SQL, transactional, (line, words in the error) or None when accepted)
REFUSALS = [
    ("COMMIT after a backslash string", "SELECT 'C:\\';\nCOMMIT;\nSELECT 'D:\\';", True,
     (2, "top-level COMMIT")),
    ("END after a column named begin", "CREATE TABLE t (begin int);\nEND;", True,
     (2, "top-level END")),
    ("BEGIN after a dollar quote", "SELECT $$;$$;\nBEGIN;", True, (2, "top-level BEGIN")),
    ("START TRANSACTION", "SELECT 1;\n\nSTART TRANSACTION;", True, (3, "top-level START")),
    ("PREPARE TRANSACTION", "PREPARE TRANSACTION 'x';", True, (1, "top-level PREPARE")),
    ("COMMIT PREPARED", "COMMIT PREPARED 'x';", True, (1, "top-level COMMIT")),
    ("ABORT in a no-transaction file", "SELECT 1;\nABORT;", False, (2, "top-level ABORT")),
    ("COMMIT in an unparsable file", "SELECT 'C:\\';\nCOMMIT;\nSELEC 'D:\\';", True,
     (2, "top-level COMMIT")),
    ("COMMIT after non-ASCII and CRLF", "-- ü\r\nSELECT 'é\\';\r\nCOMMIT;\r\nSELECT '\\';", True,
     (3, "top-level COMMIT")),
    ("CREATE INDEX CONCURRENTLY in a transaction",
     "CREATE TABLE t (x int);\nCREATE INDEX CONCURRENTLY i ON t (x);", True,
     (2, "CREATE INDEX CONCURRENTLY")),
    ("COPY FROM STDIN", "COPY t FROM STDIN;", True, (1, "COPY ... FROM STDIN")),
    ("CLUSTER without a table", "SELECT 1;\nCLUSTER;", True, (2, "`CLUSTER` cannot run")),
    ("DETACH PARTITION CONCURRENTLY", "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;", True,
     (1, "cannot run inside a transaction block")),
    ("a comment inside CREATE INDEX CONCURRENTLY", "CREATE /* fast */ INDEX CONCURRENTLY i ON t (x);",
     True, (1, "cannot run inside a transaction block")),
    ("psql meta-command", "SELECT 1;\n\\set x 1\nSELECT 2;", True, (2, "meta-command \\set")),
    ("unterminated string", "SELECT 1;\nSELECT 'abc;\n", True, (2, "unterminated quoted string")),
    ("ROLLBACK TO SAVEPOINT", "SAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\nRELEASE s;", True, None),
    ("keywords in comments and literals", "-- COMMIT;\n/* BEGIN; */ SELECT 'COMMIT;', $$END$$;",
     True, None),
    ("END closing a BEGIN ATOMIC body", ATOMIC + ";\nSELECT 1;", True, None),
    ("PREPARE of a statement", "PREPARE p AS SELECT 1;", True, None),
    ("COPY to a server file", "COPY (SELECT 1) TO '/tmp/x';", True, None),
    ("backslashes inside literals", "SELECT E'\\\\set', '\\i', $$\\x$$;", True, None),
    ("CREATE INDEX CONCURRENTLY in a no-transaction file",
     "CREATE TABLE t (p text DEFAULT 'C:\\');\nCREATE INDEX CONCURRENTLY i ON t (p);\n"
     "COMMENT ON INDEX i IS 'D:\\';", False, None),
]


@pytest.mark.parametrize("sql, transactional, refusal", [c[1:] for c in REFUSALS],
                         ids=[c[0] for c in REFUSALS])
def test_what_validation_refuses(sql, transactional, refusal):
    f = _file(sql, transactional=transactional)
    if refusal is None:
        f.validate()
        return
    line, words = refusal
    with pytest.raises(MigrationFileError) as info:
        f.validate()
    assert f"migrations/0001_x.sql:{line}:" in str(info.value)
    assert info.value.line == line
    assert words in str(info.value)


def test_a_no_transaction_file_splits_like_the_server():
    sql = ("CREATE TABLE t (p text DEFAULT 'C:\\');\n"
           "-- CREATE INDEX CONCURRENTLY i ON t (p);\n"
           "CREATE INDEX CONCURRENTLY i ON t (p);\n"
           "COMMENT ON INDEX i IS 'D:\\';")
    stmts = _file(sql, transactional=False).statements()
    assert [(s.line, s.text) for s in stmts] == [
        (1, "CREATE TABLE t (p text DEFAULT 'C:\\')"), (3, "CREATE INDEX CONCURRENTLY i ON t (p)"),
        (4, "COMMENT ON INDEX i IS 'D:\\'")]


# (statement, what sqltext calls it or None).  The oracle: the server, which
# answers 25001 inside a transaction block exactly for the refused ones.
NO_BLOCK = [
    ("CREATE INDEX CONCURRENTLY i ON t (x)", "CREATE INDEX CONCURRENTLY"),
    ("CREATE UNIQUE INDEX CONCURRENTLY i ON t (x)", "CREATE INDEX CONCURRENTLY"),
    ("DROP INDEX CONCURRENTLY IF EXISTS nope", "DROP INDEX CONCURRENTLY"),
    ("REINDEX TABLE CONCURRENTLY t", "REINDEX CONCURRENTLY"),
    ("REINDEX (CONCURRENTLY) TABLE t", "REINDEX CONCURRENTLY"),
    ("REINDEX SCHEMA public", "REINDEX SCHEMA"),
    ("VACUUM t", "VACUUM"),
    ("VACUUM (ANALYZE) t", "VACUUM"),
    ("CREATE DATABASE sqlmig_never", "CREATE DATABASE"),
    ("DROP DATABASE IF EXISTS sqlmig_never", "DROP DATABASE"),
    ("ALTER SYSTEM SET work_mem = '4MB'", "ALTER SYSTEM"),
    ("CREATE TABLESPACE sqlmig_ts LOCATION '/nonexistent'", "CREATE TABLESPACE"),
    ("DROP TABLESPACE IF EXISTS sqlmig_ts", "DROP TABLESPACE"),
    ("CLUSTER", "CLUSTER"),
    ("DISCARD ALL", "DISCARD ALL"),
    ("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY",
     "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY"),
    ("CREATE SUBSCRIPTION s CONNECTION 'dbname=none' PUBLICATION p",
     "CREATE SUBSCRIPTION ... WITH (create_slot = true)"),
    ("CREATE SUBSCRIPTION s CONNECTION 'dbname=none' PUBLICATION p WITH (connect = false)", None),
    ("ALTER TYPE mood ADD VALUE 'b'", None),
    ("REFRESH MATERIALIZED VIEW CONCURRENTLY mv", None),
    ("CREATE INDEX i ON t (x)", None),
    ("CLUSTER t USING t_x", None),
    ("ANALYZE t", None),
    ("DISCARD PLANS", None),
    ("REINDEX TABLE t", None),
]


@pytest.mark.parametrize("sql, expected", NO_BLOCK)
def test_statements_refusing_a_transaction_block_are_the_servers(oracle, sql, expected):
    (stmt,) = sqltext.analyse(sql).statements
    assert stmt.no_transaction_block() == expected
    try:
        with oracle.cursor() as cur:
            for setup in ("CREATE TABLE t (x int)", "CREATE INDEX t_x ON t (x)",
                          "CREATE TABLE p (x int) PARTITION BY LIST (x)",
                          "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)",
                          "CREATE TYPE mood AS ENUM ('a')",
                          "CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x",
                          "CREATE UNIQUE INDEX ON mv (x)"):
                cur.execute(setup)
            if expected is None:
                cur.execute(sql)
            else:
                with pytest.raises(psycopg.errors.ActiveSqlTransaction):
                    cur.execute(sql)
    finally:
        oracle.rollback()


@pytest.mark.parametrize("sql", [
    "CREATE ROLE a PASSWORD 'se''cret'",
    "CREATE ROLE a PASSWORD E'se\\'cret'",
    "CREATE ROLE a PASSWORD $$se'cret$$",
    "CREATE ROLE a PASSWORD $pw$se'cret$pw$",
    "CREATE ROLE a PASSWORD U&'se\\0063ret'",
    "CREATE ROLE a LOGIN ENCRYPTED PASSWORD /* why */ 'se''cret' VALID UNTIL 'infinity'",
    "ALTER ROLE a WITH PASSWORD -- note\n  'se''cret'",
    "ALTER USER a password 'se''cret'",
    "0001_x.sql:3:1: can't do that\n> 3 | CREATE ROLE a PASSWORD 'se''cret",
])
def test_password_literals_are_masked_in_every_spelling(sql):
    masked = redact(sql)
    assert "se" not in masked.split("PASSWORD")[-1].split("password")[-1].replace("'***'", ""), masked
    assert "'***'" in masked


def test_password_spans_are_where_postgresql_reads_the_literal():
    sql = "SELECT 'PASSWORD ''x'''; CREATE ROLE a PASSWORD /* c */ E'p\\'w';"
    spans = sqltext.password_spans(sql)
    # The scanner's span is the whole literal, comments between skipped; the
    # regex safety net may mask more (inside the first literal), never less.
    assert (sql.index("E'p"), len(sql) - 1) in spans


def test_analysis_is_linear_in_the_size_of_the_file():
    row = "INSERT INTO items (id, name, note) VALUES ({}, 'item {} ü', 'C:\\');\n"
    small = "".join(row.format(i, i) for i in range(20_000))  # ~1.4 MB
    big = small * 4
    timings = []
    for text in (small, big):
        t0 = time.perf_counter()
        f = _file(text)
        f.validate()
        assert len(f.statements()) == text.count("\n")
        timings.append(time.perf_counter() - t0)
    # Linear is x4; the old splitter, counting lines from offset 0 for each
    # statement, was x16 (and 45 s for 4 MB).
    assert timings[1] < 8 * timings[0] + 0.5, timings


def test_excerpt_numbers_lines_as_line_col_counts_them():
    text = "SELECT 1;\r\n-- a form feed \f and a line separator \u2028 here\r\nSELECT nope;\r\n"
    line, _ = sqltext.line_col(text, text.index("nope"))
    assert line == 3
    assert "> 3 | SELECT nope;" in sqltext.excerpt(text, line)


# -- through the CLI -----------------------------------------------------------------------------


@pytest.mark.parametrize("encode", [
    lambda s: s.encode(),
    lambda s: b"\xef\xbb\xbf" + s.replace("\n", "\r\n").encode(),
], ids=["plain", "bom-crlf"])
def test_commit_after_a_backslash_string_is_refused_and_nothing_applied(project, encode):
    project.add(1, "win_paths", encode(
        "CREATE TABLE paths (p text DEFAULT 'C:\\');\nCOMMIT;\n"
        "CREATE TABLE later (p text DEFAULT 'D:\\');\n"))
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert "migrations/0001_win_paths.sql:2: top-level COMMIT is not allowed" in r.stderr
    assert not project.table_exists("paths") and not project.table_exists("later")
    assert project.ledger_versions() == []


def test_a_no_transaction_file_runs_each_statement_alone(project):
    project.add(1, "concurrent", "-- sqlmig: no-transaction\n"
                "CREATE TABLE paths (p text DEFAULT 'C:\\');\n"
                "CREATE INDEX CONCURRENTLY paths_p ON paths (p);\n"
                "COMMENT ON INDEX paths_p IS 'on D:\\ too';\n")
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert project.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'paths_p'::regclass")
    assert project.ledger_versions() == [1]


def test_the_error_line_is_the_statements_not_a_comment_repeating_it(project):
    project.add(1, "repeat", "-- sqlmig: no-transaction\n"
                "CREATE TABLE t (x int);\n"
                "-- CREATE INDEX CONCURRENTLY t_y ON t (y);\n"
                "CREATE INDEX CONCURRENTLY t_y ON t (y);\n")
    r = project.cli("apply")
    assert r.exit_code == 1
    assert "migrations/0001_repeat.sql:4:" in r.stderr, r.stderr
    assert "42703" in r.stderr
