"""``sqlmig docs``: generation, determinism, --check, coverage, grouping and
migration history, through the CLI against a real server."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from test_catalog import SCHEMA_SQL


@pytest.fixture
def shop(project):
    project.add(1, "shop", SCHEMA_SQL, "SELECT 1;")
    project.add(2, "orders_note", "ALTER TABLE shop.orders ADD COLUMN note text;\n"
                "COMMENT ON COLUMN shop.orders.note IS 'Free text.';\n", "ALTER TABLE shop.orders DROP COLUMN note;")
    project.apply()
    return project


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generates_index_table_pages_and_diagrams(shop):
    result = shop.cli("docs", "--out", "schema-docs", "--no-stats")
    assert result.exit_code == 0, result.output
    out = shop.root / "schema-docs"
    files = tree(out)
    for name in ("README.md", "views.md", "functions.md", "types.md", "diagrams.md",
                 "tables/shop.orders.md", "tables/shop.customers.md", "tables/public.events.md",
                 "diagrams/all.mmd", "diagrams/all.dot", "diagrams/group-sales.mmd"):
        assert name in files, name
    # Partitions are documented on their parent's page, not on pages of their own.
    assert "tables/public.events_2025.md" not in files
    index = files["README.md"].decode()
    assert "### sales" in index and "### billing" in index
    assert "[shop.orders](tables/shop.orders.md) | Orders placed by customers. |" in index
    assert "@group" not in index
    assert "100.0%" in index
    events = files["tables/public.events.md"].decode()
    assert "Partition key: <code>RANGE (occurred_at)</code>" in events
    assert "| public.events_2025 | <code>FOR VALUES FROM" in events
    assert "events_log" in events and "<code>public.log_event()</code>" in events
    views = files["views.md"].decode()
    assert "## shop.daily" in views and "materialized view" in views
    types = files["types.md"].decode()
    assert "`new`, `paid`, `shipped`, `cancelled`" in types and "email_has_at" in types
    assert "shop.archive(IN p_before date)" in files["functions.md"].decode()
    assert "wrote" in result.output


def test_table_page_lists_foreign_keys_both_ways_with_links(shop):
    shop.cli("docs", "--out", "d", "--no-stats")
    orders = (shop.root / "d/tables/shop.orders.md").read_text()
    assert ("| orders_customer_id_fkey | customer_id | [shop.customers](shop.customers.md) (id) "
            "| CASCADE | NO ACTION |") in orders
    assert "| [shop.invoices](shop.invoices.md) | invoices_order_id_fkey | order_id |" in orders
    assert "| [shop.customers](shop.customers.md) | customers_best_order_fk | best_order_id | SET NULL |" in orders
    assert "CREATE INDEX orders_customer_idx ON shop.orders USING btree (customer_id)" in orders
    assert "generated (stored): <code>(total * 1.2)</code>" in orders
    assert "```mermaid\nerDiagram\n" in orders


def test_table_page_names_the_migrations_that_created_and_last_changed_it(shop):
    shop.cli("docs", "--out", "d", "--no-stats")
    orders = (shop.root / "d/tables/shop.orders.md").read_text()
    assert "- Created by: `0001_shop`\n- Last changed by: `0002_orders_note`" in orders
    customers = (shop.root / "d/tables/shop.customers.md").read_text()
    assert "- Created by: `0001_shop`\n- Last changed by: `0001_shop`" in customers


def test_pending_migrations_do_not_count_as_history(shop):
    shop.rollback()
    shop.cli("docs", "--out", "d", "--no-stats")
    orders = (shop.root / "d/tables/shop.orders.md").read_text()
    assert "Last changed by: `0001_shop`" in orders and "0002_orders_note" not in orders


def test_regenerating_gives_identical_bytes_and_writes_nothing(shop):
    shop.cli("docs", "--out", "d")
    first = tree(shop.root / "d")
    again = shop.cli("docs", "--out", "d")
    assert again.exit_code == 0
    assert tree(shop.root / "d") == first
    assert f"wrote 0 of {len(first)} files" in again.output


def test_check_passes_on_fresh_docs_and_fails_naming_the_changed_file(shop):
    shop.cli("docs", "--out", "d", "--no-stats")
    ok = shop.cli("docs", "--out", "d", "--no-stats", "--check")
    assert ok.exit_code == 0, ok.output
    assert "up to date" in ok.output
    before = tree(shop.root / "d")
    shop.query("COMMENT ON COLUMN shop.orders.total IS NULL")
    bad = shop.cli("docs", "--out", "d", "--no-stats", "--check")
    assert bad.exit_code == 1
    assert "changed: tables/shop.orders.md" in bad.stderr
    assert "column shop.orders.total" in bad.stderr
    assert tree(shop.root / "d") == before  # --check writes nothing


def test_check_reports_missing_and_stale_files(shop):
    shop.cli("docs", "--out", "d", "--no-stats")
    (shop.root / "d/tables/shop.invoices.md").unlink()
    (shop.root / "d/tables/shop.gone.md").write_text("old\n")
    result = shop.cli("docs", "--out", "d", "--no-stats", "--check")
    assert result.exit_code == 1
    assert "missing: tables/shop.invoices.md" in result.stderr
    assert "stale: tables/shop.gone.md" in result.stderr
    # A regular run removes the stale page it owns.
    shop.cli("docs", "--out", "d", "--no-stats")
    assert not (shop.root / "d/tables/shop.gone.md").exists()


def test_removing_a_comment_drops_coverage_and_lists_the_object(shop):
    full = shop.cli("docs", "--coverage")
    assert full.exit_code == 0
    assert "tables:  8/8 documented (100.0%)" in full.output
    shop.query("COMMENT ON TABLE shop.invoices IS NULL; COMMENT ON COLUMN shop.orders.note IS NULL")
    low = shop.cli("docs", "--coverage")
    assert low.exit_code == 1  # below the default minimum (100), like --check
    assert "tables:  7/8 documented (87.5%)" in low.output
    assert "  table shop.invoices\n" in low.output and "  column shop.orders.note\n" in low.output
    strict = shop.cli("docs", "--coverage", "--min-coverage", "100")
    assert strict.exit_code == 1
    assert "below the minimum 100%" in strict.stderr
    assert shop.cli("docs", "--coverage", "--min-coverage", "80").exit_code == 0


def test_check_fails_on_low_coverage_even_when_files_match(shop):
    shop.query("COMMENT ON TABLE shop.invoices IS NULL")
    shop.cli("docs", "--out", "d", "--no-stats")
    result = shop.cli("docs", "--out", "d", "--no-stats", "--check")
    assert result.exit_code == 1
    assert "documentation coverage is too low" in result.stderr
    assert "table shop.invoices" in result.stderr
    assert shop.cli("docs", "--out", "d", "--no-stats", "--check",
                    "--min-coverage", "80").exit_code == 0


def test_group_by_schema_and_by_pattern(shop):
    shop.cli("docs", "--out", "s", "--group-by", "schema", "--no-stats")
    index = (shop.root / "s/README.md").read_text()
    assert "### public" in index and "### shop" in index
    shop.cli("docs", "--out", "p", "--group-pattern", "money=shop.orders,*invoices",
             "--group-pattern", "people=*customers", "--no-stats")
    index = (shop.root / "p/README.md").read_text()
    assert "### money" in index and "### people" in index and "### ungrouped" in index
    assert index.index("[shop.orders]") > index.index("### money")


def test_docs_settings_come_from_the_environment_config(shop):
    cfg = shop.root / "config/dev.yaml"
    cfg.write_text(cfg.read_text() + "docs:\n  out: generated\n  groups:\n    everything: ['*']\n"
                   "  stats: false\n")
    result = shop.cli("docs")
    assert result.exit_code == 0, result.output
    index = (shop.root / "generated/README.md").read_text()
    assert "### everything" in index and "Rows (estimate)" not in index


@pytest.mark.parametrize("bad", [
    "docs: [1]",
    "docs:\n  group_by: color",
    "docs:\n  min_coverage: 101",
    "docs:\n  groups: {core: []}",
    "docs:\n  colour: x",
])
def test_bad_docs_config_is_refused_with_exit_2(shop, bad):
    cfg = shop.root / "config/dev.yaml"
    cfg.write_text(cfg.read_text() + bad + "\n")
    result = shop.cli("docs", "--out", "d")
    assert result.exit_code == 2
    assert "bad value for `docs`" in result.stderr and "dev.yaml" in result.stderr
    assert not (shop.root / "d").exists()


@pytest.mark.parametrize("args, message", [
    (["--group-pattern", "nogroup"], "bad --group-pattern 'nogroup'"),
    (["--group-by", "pattern"], "--group-by pattern needs patterns"),
])
def test_bad_grouping_options_exit_2_and_write_nothing(shop, args, message):
    result = shop.cli("docs", "--out", "d", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (shop.root / "d").exists()


def test_svg_is_skipped_with_a_reason_when_dot_is_absent(shop, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = shop.cli("docs", "--out", "d", "--no-stats", env={"PATH": str(empty)})
    assert result.exit_code == 0
    assert "SVG skipped: the Graphviz `dot` program is not installed" in result.output
    files = tree(shop.root / "d")
    assert not [f for f in files if f.endswith(".svg")]
    # The reason is in the output; the files do not depend on the machine.
    assert "SVG skipped" not in files["diagrams.md"].decode()
    assert "[SVG]" not in files["diagrams.md"].decode()


def test_docs_made_with_dot_pass_check_on_a_machine_without_it(shop, tmp_path, debian_tools):
    if "dot" in debian_tools:
        pytest.skip(debian_tools["dot"] + ": the SVG path cannot run here")
    assert shop.cli("docs", "--out", "d", "--no-stats").exit_code == 0
    assert "[SVG](diagrams/all.svg)" in (shop.root / "d/diagrams.md").read_text()
    empty = tmp_path / "bin"
    empty.mkdir()
    result = shop.cli("docs", "--check", "--out", "d", "--no-stats", env={"PATH": str(empty)})
    assert result.exit_code == 0, result.output
    assert "SVG skipped" in result.output


def test_svg_is_written_when_dot_is_installed(shop, debian_tools):
    if "dot" in debian_tools:
        pytest.skip(debian_tools["dot"] + ": the SVG path cannot run here")
    result = shop.cli("docs", "--out", "d", "--no-stats")
    assert "SVG skipped" not in result.output
    svg = (shop.root / "d/diagrams/group-sales.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "shop.orders" in svg
    assert "Generated by graphviz" not in svg


def test_json_output_and_stats(shop):
    result = shop.cli("docs", "--out", "d", "--json")
    data = json.loads(result.stdout)["result"]
    assert data["mode"] == "write" and data["coverage"]["tables"] == 8
    assert data["queries"] <= 13  # a handful, whatever the number of tables
    index = (shop.root / "d/README.md").read_text()
    assert "| Rows (estimate) | Size |" in index


def test_unreachable_database_is_a_clean_error(project):
    cfg = project.root / "config/dev.yaml"
    cfg.write_text("database_url: 'postgresql://nobody:s3cret@127.0.0.1:1/none'\n")
    result = project.cli("docs", "--out", "d")
    assert result.exit_code == 2
    assert "cannot connect" in result.stderr and "s3cret" not in result.stderr
    assert not (project.root / "d").exists()


def test_subprocess_run_of_the_installed_command(shop):
    proc = shop.run("docs", "--out", "d", "--no-stats", "--check")
    assert proc.returncode == 1
    assert "missing: README.md" in proc.stderr
    assert os.path.exists(shop.root / "config")


@pytest.mark.parametrize("sql, expected", [
    ("CREATE TABLE IF NOT EXISTS a (id int REFERENCES b (id));", [("create", "a")]),
    ("ALTER TABLE ONLY s.a ADD COLUMN x int; COMMENT ON COLUMN a.x IS 'alter table z';",
     [("change", "s.a"), ("change", "a")]),
    ("CREATE UNIQUE INDEX CONCURRENTLY i ON ONLY a (x);", [("change", "a")]),
    ("CREATE TRIGGER t BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f();", [("change", "a")]),
    ("CREATE TABLE p1 PARTITION OF a DEFAULT;", [("create", "p1"), ("change", "a")]),
    ("-- ALTER TABLE a ADD x int;\n/* DROP TABLE a; */ SELECT 1;", []),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ ALTER TABLE a ADD x int $$;", []),
    ("DO $$ BEGIN IF true THEN ALTER TABLE a ADD x int; END IF; END $$;", [("change", "a")]),
    ("SELECT make_parts('a'::regclass, 'not a name!');", [("change", "a")]),
    ("INSERT INTO a VALUES ('b');", []),
    ('ALTER TABLE "Mixed" ADD y int;', [("change", "Mixed")]),
])
def test_history_scanner_finds_the_target_of_each_statement(sql, expected):
    from sqlmig.docs.history import targets

    assert list(targets(sql)) == expected


def test_table_page_shows_row_level_security_policies(project):
    project.add(1, "rls", "CREATE TABLE docs (id int PRIMARY KEY, owner text);\n"
                          "COMMENT ON TABLE docs IS 'Documents.';\n"
                          "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n"
                          "CREATE POLICY own_docs ON docs FOR SELECT USING (owner = current_user);\n")
    project.apply()
    r = project.cli("docs", "--out", "d", "--no-stats")
    assert r.exit_code == 0, r.output
    page = (project.root / "d/tables/public.docs.md").read_text()
    assert "## Row-level security" in page and "Row-level security is enabled." in page
    assert "| own_docs | SELECT | permissive | public | <code>owner = CURRENT_USER</code> |" in page
