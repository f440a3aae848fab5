"""``sqlmig docs --format html``: one self-contained file, checked in a real
headless browser (Debian's chromium) when one is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from test_catalog import SCHEMA_SQL

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def html(project) -> Path:
    project.add(1, "shop", SCHEMA_SQL, "SELECT 1;")
    project.apply()
    result = project.cli("docs", "--format", "html", "--out", "site", "--no-stats")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (project.root / "site").iterdir())
    assert files == ["index.html"]
    return project.root / "site" / "index.html"


def test_html_is_one_self_contained_file(html):
    text = html.read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), "no network resources"
    assert "<script src" not in text and "<link rel=\"stylesheet\"" not in text
    assert 'id="search"' in text
    for name in ("shop.orders", "shop.customers", "shop.invoices", "public.events"):
        assert f'data-name="{name}"' in text
    if shutil.which("dot"):
        assert "<svg" in text
    else:
        assert "erDiagram" in text and "SVG skipped" in text


def run_headless(url: str, tmp_path: Path) -> tuple[str, list[str]]:
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", "--enable-logging=stderr", "--v=0",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=90, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    # Chromium logs every console message (errors and uncaught exceptions
    # included) on stderr as "...:INFO:CONSOLE:<line>] ...".
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return proc.stdout, console


def hidden_names(dom: str) -> dict[str, bool]:
    return {m[1]: "hidden" in m[0] for m in re.findall(r'(<li [^>]*data-name="([^"]+)"[^>]*>)', dom)}


@pytest.mark.slow
def test_page_loads_without_console_errors_and_search_filters_the_list(html, tmp_path,
                                                                        debian_tools):
    if "chromium" in debian_tools:
        pytest.skip(debian_tools["chromium"] + ": the headless-browser check cannot run")
    # The detector itself: a page with an error must be caught.
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><script>undefinedFunction();</script></body></html>")
    _, console = run_headless(bad.as_uri(), tmp_path)
    assert any("undefinedFunction" in line for line in console)

    dom, console = run_headless(html.as_uri(), tmp_path)
    assert console == []
    assert hidden_names(dom) == {n: False for n in hidden_names(dom)}
    assert len(hidden_names(dom)) == 4

    dom, console = run_headless(html.as_uri() + "#q=orders", tmp_path)
    assert console == []
    assert hidden_names(dom) == {"shop.customers": True, "shop.invoices": True,
                                 "shop.orders": False, "public.events": True}
    assert 'value="orders"' in dom or re.search(r'<section id="t-shop\.customers"[^>]*hidden', dom)
