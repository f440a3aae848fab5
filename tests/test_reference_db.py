"""Tests of the Brainliest reference database (sql/ and demo/seed.py).

They need a real PostgreSQL server: the ``db_url`` fixture (provided by
tests/conftest.py) yields the conninfo of a fresh, empty database per test,
and sqlmig's pytest plugin's ``sqlmig_db`` a clone of a template migrated to
head.  Migrations are applied and rolled back with sqlmig itself, and schemas
compared with sqlmig's snapshots.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import re
from pathlib import Path

import psycopg
import pytest

import sqlmig
from sqlmig.schema.snapshot import Snapshot, diff_snapshots
from sqlmig.schema.snapshot import take as take_snapshot

ROOT = Path(__file__).resolve().parent.parent
SQL = ROOT / "sql"
MIGRATIONS = sorted((SQL / "migrations").glob("*.sql"))
CHECKS = sorted((SQL / "checks").glob("*.sql"))
NAME_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


# --- helpers -------------------------------------------------------------

def _header(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line)
    return lines


def _no_transaction(text: str) -> bool:
    return any(re.fullmatch(r"--\s*sqlmig:\s*no-transaction\s*", line) for line in _header(text))


def version_of(path: Path) -> int:
    return int(path.name[:4])


def apply_file(url: str, path: Path) -> None:
    """Apply one migration (sql/migrations/...) or roll it back (sql/rollbacks/...) with sqlmig."""
    if path.parent.name == "migrations":
        result = sqlmig.apply(ROOT, database_url=url, to=version_of(path))
        assert [m.version for m in result.applied] == [version_of(path)]
    else:
        result = sqlmig.rollback(ROOT, database_url=url, steps=1)
        assert [m.version for m in result.rolled_back] == [version_of(path)]


def rollback_path(migration: Path) -> Path:
    return SQL / "rollbacks" / migration.name


def migrate(url: str, upto: int | None = None) -> None:
    sqlmig.apply(ROOT, database_url=url, to=upto)


def with_ledger(url: str) -> str:
    """Create sqlmig's ledger first, so that schema snapshots compare the project's objects only."""
    with sqlmig.Session(ROOT, database_url=url) as s:
        s.ledger.ensure(s.conn)
    return url


@pytest.fixture(scope="session")
def sqlmig_server(pg_server):
    """The sqlmig pytest plugin's ``sqlmig_db`` clones its template on the test server."""
    return pg_server.url("postgres")


def snapshot(url: str) -> Snapshot:
    """sqlmig's own schema snapshot (sqlmig's tables and the backup schema left out)."""
    with psycopg.connect(url, autocommit=True) as conn:
        return take_snapshot(conn)


def assert_same_schema(after: Snapshot, before: Snapshot, what: str) -> None:
    found = diff_snapshots(before, after)
    assert found.empty, f"{what}: " + "; ".join(found.lines(added="is left over"))


def run_checks(url: str) -> dict[str, list[tuple]]:
    """Run every check in a READ ONLY transaction; returns check name -> non-PASS rows."""
    found = {}
    with psycopg.connect(url) as conn:
        for path in CHECKS:
            with conn.transaction():
                conn.execute("SET TRANSACTION READ ONLY")
                cur = conn.execute(path.read_text())
                cols = [d.name for d in cur.description]
                assert cols[:3] == ["status", "name", "detail"], path.name
                rows = cur.fetchall()
            bad = [r for r in rows if r[0] != "PASS"]
            for r in bad:
                assert r[0] in ("WARN", "FAIL") and r[1] and r[2], (path.name, r)
            if bad:
                found[path.stem] = bad
    return found


def load_seed_module():
    spec = importlib.util.spec_from_file_location("brainliest_seed", ROOT / "demo" / "seed.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fetch_one(url: str, sql: str, params=None):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()


# --- file contract -------------------------------------------------------

def test_file_contract_and_manifest():
    rollbacks = sorted((SQL / "rollbacks").glob("*.sql"))
    assert [p.name for p in MIGRATIONS] == [p.name for p in rollbacks]
    versions = [int(NAME_RE.match(p.name).group(1)) for p in MIGRATIONS]
    assert versions == sorted(set(versions)) and len(versions) >= 8
    for path in MIGRATIONS + rollbacks:
        text = path.read_text()
        header = _header(text)
        assert len(header) >= 2, f"{path}: missing header comment"
        for line in text.splitlines():
            if re.match(r"--\s*sqlmig:", line):
                assert re.fullmatch(r"-- sqlmig: no-transaction", line) and line in header, (path, line)
            assert not line.startswith("\\"), f"{path}: psql meta-command {line!r}"
            assert not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|END|START\s+TRANSACTION)\s*;", line, re.I), (path, line)
    # the no-transaction migration has a no-transaction rollback
    for m in MIGRATIONS:
        assert _no_transaction(m.read_text()) == _no_transaction(rollback_path(m).read_text()), m.name
    expected = "".join(
        f"{hashlib.sha256((SQL / rel).read_bytes()).hexdigest()}  {rel}\n"
        for rel in sorted((str(p.relative_to(SQL)) for p in MIGRATIONS + rollbacks), key=lambda s: s.encode()))
    assert (SQL / "manifest.sha256").read_text() == expected, "regenerate sql/manifest.sha256"
    for c in CHECKS:
        header = "\n".join(_header(c.read_text()))
        assert "-- sqlmig: description " in header and "-- sqlmig: tags " in header, c.name


# --- migrations ------------------------------------------------------------

def test_every_migration_rolls_back_exactly(db_url):
    with_ledger(db_url)
    snapshots = [snapshot(db_url)]
    for m in MIGRATIONS:
        apply_file(db_url, m)
        snapshots.append(snapshot(db_url))
    for i in range(len(MIGRATIONS) - 1, -1, -1):
        apply_file(db_url, rollback_path(MIGRATIONS[i]))
        assert_same_schema(snapshot(db_url), snapshots[i], f"after rolling back {MIGRATIONS[i].name}")
    # back to an empty database: apply everything again
    migrate(db_url)
    assert_same_schema(snapshot(db_url), snapshots[-1], "re-applying all migrations")


def test_documentation_coverage(sqlmig_db):
    db_url = sqlmig_db.url  # a clone of the template migrated to head
    with psycopg.connect(db_url) as conn:
        missing = conn.execute("""
            SELECT c.relname FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
               AND c.relname NOT LIKE 'sqlmig\\_%' AND c.relname <> 'schema_migrations'
               AND obj_description(c.oid, 'pg_class') IS NULL
            UNION ALL
            SELECT c.relname || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
               AND c.relname NOT LIKE 'sqlmig\\_%' AND c.relname <> 'schema_migrations'
               AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
            UNION ALL
            SELECT p.proname FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
               AND p.proname NOT LIKE 'sqlmig\\_%'
        """).fetchall()
        assert missing == []
        ungrouped = conn.execute("""
            SELECT relname FROM pg_class
             WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
               AND relname NOT LIKE 'sqlmig\\_%' AND relname <> 'schema_migrations'
               AND obj_description(oid, 'pg_class') !~ '@group (core|analytics|security)$'
        """).fetchall()
        assert ungrouped == []
        groups = dict(conn.execute("""
            SELECT relname, substring(obj_description(oid, 'pg_class') FROM '@group (\\w+)$')
              FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
        """).fetchall())
    assert groups["questions"] == "core" and groups["detailed_answers"] == "analytics"
    assert groups["auth_logs"] == "security" and groups["auth_logs_2026_03"] == "security"


def test_data_preserving_rollback_0008(db_url):
    with_ledger(db_url)
    migrate(db_url, upto=7)
    with psycopg.connect(db_url) as conn:
        conn.execute("""INSERT INTO users (email, password_hash, display_name, phone) VALUES
                        ('a@example.com', '$2b$12$abcdefghijklmnopqrstuv', 'A', '+4915112345678'),
                        ('b@example.com', '$2b$12$abcdefghijklmnopqrstuv', 'B', NULL)""")
    before = snapshot(db_url)
    apply_file(db_url, MIGRATIONS[7])
    assert fetch_one(db_url, "SELECT count(*), min(phone) FROM sqlmig_backup.users_0008") == (1, "+4915112345678")
    assert fetch_one(db_url, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass "
                             "AND attname = 'phone' AND NOT attisdropped") == (0,)
    apply_file(db_url, rollback_path(MIGRATIONS[7]))
    assert fetch_one(db_url, "SELECT string_agg(coalesce(phone, '-'), ',' ORDER BY email) FROM users") == \
        ("+4915112345678,-",)
    assert fetch_one(db_url, "SELECT to_regnamespace('sqlmig_backup')") == (None,)
    assert_same_schema(snapshot(db_url), before, "0008 rollback")
    # a pre-existing backup schema is kept by the rollback
    with psycopg.connect(db_url) as conn:
        conn.execute("CREATE SCHEMA sqlmig_backup")
    apply_file(db_url, MIGRATIONS[7])
    apply_file(db_url, rollback_path(MIGRATIONS[7]))
    assert fetch_one(db_url, "SELECT to_regnamespace('sqlmig_backup') IS NOT NULL") == (True,)


# --- behaviour ---------------------------------------------------------------

COUNTS_OK = """
    SELECT (SELECT count(*) FROM exams e WHERE question_count <> (SELECT count(*) FROM questions q WHERE q.exam_id = e.id))
         + (SELECT count(*) FROM subjects s WHERE exam_count <> (SELECT count(*) FROM exams e WHERE e.subject_id = s.id)
               OR question_count <> (SELECT count(*) FROM questions q JOIN exams e ON e.id = q.exam_id
                                      WHERE e.subject_id = s.id))
"""


def test_count_triggers(sqlmig_db):
    db_url = sqlmig_db.url  # a clone of the template migrated to head
    with psycopg.connect(db_url, autocommit=True) as conn:
        def q(sql, *args):
            return conn.execute(sql, args or None)

        def counts():
            return q("SELECT array_agg(question_count ORDER BY id) FROM exams").fetchone()[0], \
                q("SELECT array_agg(array[exam_count, question_count] ORDER BY id) FROM subjects").fetchone()[0]

        s1, s2 = [r[0] for r in q("""INSERT INTO subjects (slug, name, category) VALUES
                   ('s-one', 'Subject One', 'academic'), ('s-two', 'Subject Two', 'certification') RETURNING id""")]
        e1, e2, e3 = [r[0] for r in q("""INSERT INTO exams (subject_id, title, difficulty) VALUES
                   (%s, 'E1', 'Beginner'), (%s, 'E2', 'Advanced'), (%s, 'E3', 'Intermediate') RETURNING id""",
                                        s1, s1, s2)]
        qs = [r[0] for r in q("""INSERT INTO questions (exam_id, question_text, options, correct_answers, difficulty, domain)
                   SELECT CASE WHEN g <= 5 THEN %s WHEN g <= 8 THEN %s ELSE %s END, 'Question ' || g,
                          '["a","b","c"]', '{1}', 'Beginner', 'Fundamentals'
                     FROM generate_series(1, 10) g RETURNING id""", e1, e2, e3)]
        assert counts() == ([5, 3, 2], [[2, 8], [1, 2]])
        # single-row insert and delete
        q("""INSERT INTO questions (exam_id, question_text, options, correct_answers, difficulty, domain)
             VALUES (%s, 'Extra', '["a","b"]', '{0}', 'Advanced', 'Design')""", e2)
        q("DELETE FROM questions WHERE id = ANY(%s)", qs[:2])
        assert counts() == ([3, 4, 2], [[2, 7], [1, 2]])
        # move a question to an exam of another subject
        q("UPDATE questions SET exam_id = %s WHERE id = %s", e3, qs[2])
        assert counts() == ([2, 4, 3], [[2, 6], [1, 3]])
        # an update that does not move anything changes nothing
        q("UPDATE questions SET explanation = 'why' WHERE exam_id = %s", e2)
        assert counts() == ([2, 4, 3], [[2, 6], [1, 3]])
        # move an exam (with its questions) to the other subject
        q("UPDATE exams SET subject_id = %s WHERE id = %s", s2, e2)
        assert counts() == ([2, 4, 3], [[1, 2], [2, 7]])
        # delete an exam: its questions cascade
        q("DELETE FROM exams WHERE id = %s", e3)
        assert counts() == ([2, 4], [[1, 2], [1, 4]])
        assert q(COUNTS_OK).fetchone()[0] == 0
        q("TRUNCATE questions CASCADE")
        assert counts() == ([0, 0], [[1, 0], [1, 0]])
        # comment threading: depth derived from the parent, max 5 levels
        q("""INSERT INTO questions (exam_id, question_text, options, correct_answers, difficulty, domain)
             VALUES (%s, 'Q', '["a","b"]', '{0}', 'Advanced', 'Design')""", e1)
        qid = q("SELECT max(id) FROM questions").fetchone()[0]
        parent = None
        for depth in range(6):
            parent = q("INSERT INTO comments (question_id, parent_id, body) VALUES (%s, %s, 'x') RETURNING id, depth",
                       qid, parent).fetchone()
            assert parent[1] == depth
            parent = parent[0]
        with pytest.raises(psycopg.errors.CheckViolation):
            q("INSERT INTO comments (question_id, parent_id, body) VALUES (%s, %s, 'too deep')", qid, parent)


def test_retention_enforcement(sqlmig_db):
    db_url = sqlmig_db.url  # a clone of the template migrated to head
    now = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
    with psycopg.connect(db_url, autocommit=True) as conn:
        uid = conn.execute("""INSERT INTO users (email, password_hash, display_name)
                              VALUES ('r@example.com', '$2b$12$abcdefghijklmnopqrstuv', 'R') RETURNING id""").fetchone()[0]
        conn.execute("""INSERT INTO auth_logs (occurred_at, user_id, event_type, ip_address, user_agent)
                        SELECT %s - g * interval '1 day', %s, 'login', '10.0.0.1', 'ua'
                          FROM generate_series(1, 400, 50) g""", (now, uid))   # 1, 51, ..., 351 days old
        conn.execute("""INSERT INTO auth_sessions (user_id, token_hash, created_at, last_seen_at, expires_at)
                        SELECT %s, sha256(g::text::bytea), %s - g * interval '1 day', %s - g * interval '1 day',
                               %s - g * interval '1 day' + interval '7 days'
                          FROM generate_series(10, 100, 10) g""", (uid, now, now, now))  # expired 3..93 days ago
        conn.execute("""INSERT INTO data_retention_policies (table_name, data_class, timestamp_column,
                            retention_period, action, anonymize_columns, legal_basis) VALUES
                        ('auth_logs', 'network_identifiers', 'occurred_at', '180 days', 'anonymize',
                         '{ip_address,user_agent}', 'GDPR'),
                        ('auth_logs', 'auth_events', 'occurred_at', '300 days', 'delete', NULL, 'SOX'),
                        ('auth_sessions', 'expired', 'expires_at', '30 days', 'delete', NULL, 'GDPR')""")
        backlog = conn.execute("SELECT data_class, rows_due FROM retention_backlog(%s) ORDER BY policy_id",
                               (now,)).fetchall()
        # auth_logs ages 201, 251, 301, 351 are > 180 days; 301, 351 > 300 days; sessions expired > 30 days ago: 40..100
        assert backlog == [("network_identifiers", 4), ("auth_events", 2), ("expired", 7)]
        dry = conn.execute("SELECT rows_affected FROM enforce_retention_policies(%s, true)", (now,)).fetchall()
        assert dry == [(4,), (2,), (7,)]
        assert conn.execute("SELECT count(*) FROM retention_runs").fetchone()[0] == 0
        done = conn.execute("SELECT data_class, action, rows_affected FROM enforce_retention_policies(%s)",
                            (now,)).fetchall()
        assert done == [("network_identifiers", "anonymize", 4), ("auth_events", "delete", 2), ("expired", "delete", 7)]
        ages = conn.execute("""SELECT extract(day FROM %s - occurred_at)::int, ip_address IS NULL, user_agent IS NULL
                                 FROM auth_logs ORDER BY 1""", (now,)).fetchall()
        assert ages == [(1, False, False), (51, False, False), (101, False, False), (151, False, False),
                        (201, True, True), (251, True, True)]
        assert conn.execute("SELECT count(*) FROM auth_sessions").fetchone()[0] == 3
        assert conn.execute("SELECT sum(rows_due) FROM retention_backlog(%s)", (now,)).fetchone()[0] == 0
        again = conn.execute("SELECT sum(rows_affected) FROM enforce_retention_policies(%s)", (now,)).fetchone()[0]
        assert again == 0
        assert conn.execute("SELECT count(*), sum(rows_affected) FROM retention_runs").fetchone() == (6, 13)


# --- checks on generated data -------------------------------------------------

def test_checks_pass_on_clean_demo_data(sqlmig_db):
    db_url = sqlmig_db.url  # a clone of the template migrated to head
    result = load_seed_module().seed(db_url, scale=0.02, seed=7, defects=False)
    assert result["defects"] == []
    assert result["rows"]["detailed_answers"] > 10_000 and result["rows"]["questions"] > 300
    assert run_checks(db_url) == {}
    # all data landed in monthly partitions and the counters are exact
    assert fetch_one(db_url, "SELECT count(*) FROM auth_logs_default") == (0,)
    assert fetch_one(db_url, COUNTS_OK) == (0,)


def test_checks_find_exactly_the_planted_defects(sqlmig_db):
    db_url = sqlmig_db.url  # a clone of the template migrated to head
    result = load_seed_module().seed(db_url, scale=0.02, seed=42, defects=True)
    found = run_checks(db_url)
    planted = {(d["check"], d["status"]) for d in result["defects"]}
    assert {(name, r[0]) for name, rows in found.items() for r in rows} == planted
    for d in result["defects"]:
        detail = " ".join(r[2] for r in found[d["check"]])
        if d["check"] in ("difficulty_standardized", "cached_counts", "duplicate_questions"):
            for i in d["ids"]:
                assert re.search(rf"\b{i}\b", detail), (d, detail)
    difficulty = {r[1]: r[2] for r in found["difficulty_standardized"]}
    assert difficulty["exams.difficulty standardized"].startswith("3 records need attention")
    assert "UPDATE exams SET difficulty = initcap" in difficulty["exams.difficulty standardized"]
    assert found["retention_backlog"][0][2].startswith("3 rows of study_recommendations")
