"""What ``sqlmig docs`` writes and says: the repository's own settings
regenerate its committed docs/schema exactly, ``--format html --out FILE.html``
writes that one file, "DOT files were written" is said only by a run that
wrote some, and ``--coverage`` judges by the same minimum as ``--check``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sqlmig
from test_catalog import SCHEMA_SQL

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "docs" / "schema"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def shop(project):
    project.add(1, "shop", SCHEMA_SQL, "SELECT 1;")
    project.apply()
    return project


@pytest.mark.skipif(not (COMMITTED / "README.md").exists(), reason="docs/schema not committed")
def test_docs_with_no_options_leaves_the_committed_docs_as_they_are(db_url, tmp_path):
    from click.testing import CliRunner

    from sqlmig.cli.main import cli

    # A copy of the repository's project, so a failure cannot dirty the real tree.
    copy = tmp_path / "repo"
    for part in ("sql", "config", "docs/schema"):
        shutil.copytree(REPO / part, copy / part)
    sqlmig.apply(copy, database_url=db_url)
    result = CliRunner().invoke(cli, ["docs", "--project", str(copy)],
                                env={"DATABASE_URL": db_url, "SQLMIG_DATABASE_URL": None,
                                     "SQLMIG_ENV": None})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote 0 of "), result.stdout
    assert tree(copy / "docs" / "schema") == tree(COMMITTED)


def test_html_out_file_writes_that_one_file(shop):
    result = shop.cli("docs", "--format", "html", "--out", "schema.html", "--no-stats")
    assert result.exit_code == 0, result.output
    assert (shop.root / "schema.html").read_text().startswith("<!DOCTYPE html>")
    assert not (shop.root / "schema.html").is_dir()
    assert not (shop.root / "index.html").exists()
    assert not (shop.root / "docs").exists()
    check = shop.cli("docs", "--format", "html", "--out", "schema.html", "--no-stats", "--check")
    assert check.exit_code == 0, check.output
    (shop.root / "schema.html").write_text("stale\n")
    check = shop.cli("docs", "--format", "html", "--out", "schema.html", "--no-stats", "--check")
    assert check.exit_code == 1 and "changed: schema.html" in check.stderr


def test_html_out_directory_still_gets_index_html(shop):
    result = shop.cli("docs", "--format", "html", "--out", "site", "--no-stats")
    assert result.exit_code == 0, result.output
    assert sorted(tree(shop.root / "site")) == ["index.html"]


def test_dot_files_are_mentioned_only_when_written(shop, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-graphviz"))  # no `dot`: no SVG
    first = shop.cli("docs", "--out", "d", "--no-stats")
    assert first.exit_code == 0, first.output
    assert "SVG skipped" in first.stdout and "DOT files were written." in first.stdout
    again = shop.cli("docs", "--out", "d", "--no-stats")
    assert "SVG skipped" in again.stdout and "DOT files" not in again.stdout
    for extra in (["--check"], ["--coverage"]):
        result = shop.cli("docs", "--out", "d", "--no-stats", *extra)
        assert result.exit_code == 0, result.output
        assert "DOT files" not in result.output, extra
    html = shop.cli("docs", "--format", "html", "--out", "page.html", "--no-stats")
    assert html.exit_code == 0, html.output
    page = (shop.root / "page.html").read_text()
    assert "SVG skipped" in page and "DOT files" not in page


@pytest.mark.parametrize("mode", ["--coverage", "--check"])
def test_coverage_and_check_judge_by_the_same_default_minimum(shop, mode):
    shop.cli("docs", "--out", "d", "--no-stats")
    assert shop.cli("docs", "--out", "d", "--no-stats", mode).exit_code == 0
    shop.query("COMMENT ON TABLE shop.invoices IS NULL")
    shop.cli("docs", "--out", "d", "--no-stats")  # the files match; coverage is what fails
    low = shop.cli("docs", "--out", "d", "--no-stats", mode)
    assert low.exit_code == 1, low.output
    assert "below the minimum 100%" in low.stderr
    config = shop.root / "config" / "dev.yaml"
    config.write_text(config.read_text() + "docs:\n  min_coverage: 80\n")
    assert shop.cli("docs", "--out", "d", "--no-stats", mode).exit_code == 0
