"""The lint corpus (tests/lint_corpus/files, made by generate.py): 300
real-world-style migrations, each labelled with the rules it must trigger.
Lint must find exactly those: no miss, no false alarm."""

from __future__ import annotations

from pathlib import Path

import sqlmig

CORPUS = Path(__file__).parent / "lint_corpus" / "files"


def expected(path: Path) -> set[str]:
    first = path.read_text().splitlines()[0]
    assert first.startswith("-- expect: ")
    labels = first.removeprefix("-- expect: ").strip()
    return set() if labels == "none" else {r.strip() for r in labels.split(",")}


def test_corpus_findings_match_the_labels_exactly() -> None:
    files = sorted(CORPUS.glob("*.sql"))
    assert len(files) >= 300
    report = sqlmig.lint(Path(__file__).resolve().parents[1], paths=files)
    found: dict[str, set[str]] = {str(f): set() for f in files}
    for finding in report.findings:
        found[finding.path].add(finding.rule)
    wrong = {Path(p).name: (sorted(rules), sorted(expected(Path(p))))
             for p, rules in found.items() if rules != expected(Path(p))}
    assert wrong == {}
