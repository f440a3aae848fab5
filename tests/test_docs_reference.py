"""``sqlmig docs`` on the reference database (this repository's sql/migrations):
every table, column, foreign key, index, trigger and partition appears,
coverage is 100%, a removed comment fails --check, output is deterministic,
and the committed docs/schema is what the migrations produce."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

import sqlmig
from sqlmig.docs.build import generate_docs, raise_for
from sqlmig.errors import CheckFailed

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "docs" / "schema"

pytestmark = pytest.mark.skipif(
    not list((REPO / "sql" / "migrations").glob("*.sql")),
    reason="the reference database's migrations are not in sql/migrations",
)


@pytest.fixture
def reference(db_url):
    sqlmig.apply(REPO, database_url=db_url)
    return db_url


def rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def generate(url: str, out: Path, **kw) -> sqlmig.DocsResult:
    return generate_docs(REPO, database_url=url, out=out, stats=False, **kw)


def page(out: Path, schema: str, table: str) -> str:
    return (out / "tables" / f"{schema}.{table}.md").read_text()


def test_every_object_of_the_reference_database_is_documented(reference, tmp_path):
    out = tmp_path / "docs"
    result = generate(reference, out)
    assert result.coverage.percent == 100.0, result.coverage.undocumented
    assert result.coverage.tables > 10
    tables = rows(reference, """
        SELECT n.nspname, c.relname, c.relispartition, p.relname
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
         WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'
           AND c.relname <> 'schema_migrations' AND c.relname !~ '^sqlmig_'""")
    partitions = 0
    for schema, name, is_partition, parent in tables:
        if is_partition:
            partitions += 1
            assert f"| {schema}.{name} | <code>" in page(out, schema, parent), name
        else:
            assert (out / "tables" / f"{schema}.{name}.md").exists(), name
    assert partitions > 0
    for schema, table, column in rows(reference, """
            SELECT n.nspname, c.relname, a.attname FROM pg_attribute a
              JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = 'public'
               AND c.relname <> 'schema_migrations' AND c.relname !~ '^sqlmig_'
               AND a.attnum > 0 AND NOT a.attisdropped"""):
        assert f"| **{column}**" in page(out, schema, table), (table, column)
    fks = rows(reference, """
        SELECT n.nspname, c.relname, con.conname, fc.relname FROM pg_constraint con
          JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_class fc ON fc.oid = con.confrelid
         WHERE con.contype = 'f' AND con.conparentid = 0 AND n.nspname = 'public'
           AND c.relname !~ '^sqlmig_'""")
    assert fks
    for schema, table, fk, ref in fks:
        assert f"| {fk} |" in page(out, schema, table)
        assert f"| {fk} |" in page(out, schema, ref)  # referenced-by side
    for schema, table, index in rows(reference, """
            SELECT n.nspname, c.relname, ic.relname FROM pg_index i
              JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND NOT c.relispartition AND c.relkind IN ('r', 'p')
               AND c.relname <> 'schema_migrations' AND c.relname !~ '^sqlmig_'"""):
        assert f"| {index} | <code>CREATE" in page(out, schema, table), index
    triggers = rows(reference, """
        SELECT n.nspname, c.relname, t.tgname FROM pg_trigger t
          JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND n.nspname = 'public'
           AND c.relname !~ '^sqlmig_'""")
    assert triggers
    for schema, table, trigger in triggers:
        assert f"| {trigger} | <code>" in page(out, schema, table), trigger
    index = (out / "README.md").read_text()
    for group in ("core", "analytics", "security"):
        assert f"### {group}" in index
    assert "sqlmig_backup" not in index and "schema_migrations" not in index


def test_regenerating_twice_is_byte_identical(reference, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate(reference, a)
    generate(reference, b)
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert files_a == files_b
    html_a = generate(reference, tmp_path / "ha", format="html")
    generate(reference, tmp_path / "hb", format="html")
    assert html_a.files == ("index.html",)
    assert (tmp_path / "ha/index.html").read_bytes() == (tmp_path / "hb/index.html").read_bytes()


def test_removing_a_comment_drops_coverage_and_fails_check(reference, tmp_path):
    out = tmp_path / "docs"
    generate(reference, out)
    raise_for(generate(reference, out, check=True))
    rows(reference, "COMMENT ON COLUMN users.email IS NULL")
    result = generate(reference, out, check=True)
    assert result.coverage.percent < 100
    assert "column public.users.email" in result.coverage.undocumented
    assert "changed: tables/public.users.md" in result.differences
    with pytest.raises(CheckFailed) as err:
        raise_for(result)
    assert err.value.exit_code == 1
    assert "column public.users.email" in str(err.value)


def test_committed_docs_match_the_migrations(reference):
    if not (COMMITTED / "README.md").exists():
        pytest.skip("docs/schema is not committed yet")
    result = generate(reference, COMMITTED, check=True)
    assert result.differences == (), (
        "docs/schema is out of date: regenerate it with "
        "`sqlmig docs` (config/dev.yaml pins its docs: settings) on a freshly migrated database")
