"""Benchmark of `sqlmig lint`, and the evidence for its parser choice.

    python benchmarks/bench_lint.py            # both parts
    python benchmarks/bench_lint.py --quick    # smaller inputs

1. Speed: lint 1,000 generated migrations totalling >= 5 MB (templates of
   tests/lint_corpus/generate.py), then 1, 2 and 5 MB to show linear growth.
   Baseline: splitting and validating the same SQL the way apply does
   (read_sql_file, then SqlFile.validate: pglast's split, no trees).
2. Parser accuracy: for every statement of the reference migrations
   (sql/migrations, sql/rollbacks) and of the corpus, the facts the rules need
   (statement kind, target table) as extracted by sqlparse's grouping, compared
   with PostgreSQL's own parser (pglast), which is the ground truth by definition.
   sqlparse is no dependency of sqlmig any more: it is only this comparison's
   peer (``pip install sqlparse``; the part is skipped without it).
No database is needed: lint without --env reads files only.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "lint_corpus"))

import generate  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report as readme  # noqa: E402  benchmarks/report.py

import sqlmig  # noqa: E402
from sqlmig import MigrationFileError  # noqa: E402
from sqlmig.core.files import read_sql_file  # noqa: E402


def build(dest: Path, megabytes: float, files: int) -> list[Path]:
    """``files`` migrations of about ``megabytes`` MB in total."""
    per_file = megabytes * 1_000_000 / files
    parts = max(1, int(per_file / 145))  # a template renders to ~145 bytes on average
    paths = generate.generate(dest, files, seed=11, parts=(parts, parts + 2))
    for path in paths:  # valid as apply wants them: CONCURRENTLY, VACUUM... outside a transaction
        try:
            read_sql_file(path, path.name).validate()
        except MigrationFileError as exc:
            if "no-transaction" not in str(exc):
                raise
            path.write_text("-- sqlmig: no-transaction\n" + path.read_text(encoding="utf-8"),
                            encoding="utf-8")
    return paths


def timed_lint(paths: list[Path]) -> tuple[float, float, int]:
    """(wall seconds, process CPU seconds, findings)."""
    start, cpu = time.perf_counter(), time.process_time()
    report = sqlmig.lint(ROOT, paths=paths)
    return time.perf_counter() - start, time.process_time() - cpu, len(report.findings)


def speed(quick: bool) -> None:
    print(f"== speed == (load average {os.getloadavg()[0]:.2f})")
    with tempfile.TemporaryDirectory() as tmp:
        sizes = [1.0, 2.0, 5.2] if not quick else [0.5, 1.0, 2.0]
        per_mb = []
        for mb in sizes:
            paths = build(Path(tmp) / f"m{mb}", mb, 1000)
            total = sum(p.stat().st_size for p in paths)
            seconds, cpu, findings = timed_lint(paths)
            per_mb.append(cpu / (total / 1e6))
            print(f"lint {len(paths)} files, {total / 1e6:.2f} MB: {seconds:.2f} s, CPU {cpu:.2f} s "
                  f"({cpu / (total / 1e6):.2f} CPU s/MB, {findings} findings)")
            if mb == sizes[-1]:
                start = time.perf_counter()
                for path in paths:
                    read_sql_file(path, path.name).validate()
                base = time.perf_counter() - start
                print(f"baseline: apply's split and validation of the same {total / 1e6:.2f} MB: "
                      f"{base:.2f} s; lint / baseline = {seconds / base:.2f}")
        readme.row(f"`bench_lint.py`: lint of {len(paths):,} generated migrations, "
                   f"{total / 1e6:.2f} MB",
                   f"{seconds:.2f} s ({cpu / (total / 1e6):.2f} CPU s/MB; CPU s/MB at "
                   f"{', '.join(f'{mb:g}' for mb in sizes)} MB relative to the smallest: "
                   + ", ".join(f"{x / per_mb[0]:.2f}" for x in per_mb) + ")")
        print(f"CPU s/MB at each size, relative to the smallest (load average "
              f"{os.getloadavg()[0]:.2f}): "
              + ", ".join(f"{x / per_mb[0]:.2f}" for x in per_mb) + "  (1.00 everywhere = linear)")


# -- parser accuracy -------------------------------------------------------------------------

def truth(node: object) -> tuple[str, str | None]:
    """(kind, table) from pglast's parse tree."""
    from sqlmig.linter.analysis import names, qualified, relname

    kind = type(node).__name__
    table = None
    for attr in ("relation", "view", "sequence"):
        rel = getattr(node, attr, None)
        if rel is not None and hasattr(rel, "relname"):
            table = relname(rel)
            break
    if kind == "DropStmt" and node.objects and isinstance(node.objects[0], tuple):  # type: ignore[attr-defined]
        table = qualified(names(node.objects[0]))  # type: ignore[attr-defined]
    if kind == "CreateTableAsStmt":
        table = relname(node.into.rel)  # type: ignore[attr-defined]
    if kind == "TruncateStmt":
        table = relname(node.relations[0])  # type: ignore[attr-defined]
    return KIND.get(kind, "OTHER"), table


KIND = {"CreateStmt": "CREATE TABLE", "CreateTableAsStmt": "CREATE TABLE", "IndexStmt": "CREATE INDEX",
        "AlterTableStmt": "ALTER TABLE", "RenameStmt": "ALTER TABLE", "DropStmt": "DROP",
        "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE", "TruncateStmt": "TRUNCATE",
        "InsertStmt": "INSERT"}


def sqlparse_facts(text: str) -> tuple[str, str | None]:
    """The best-effort sqlparse equivalent: keywords and the identifier after them."""
    import sqlparse
    from sqlparse import tokens as T
    from sqlparse.sql import Identifier

    stmt = sqlparse.parse(text)[0]
    words = [t for t in stmt.flatten() if t.ttype in T.Keyword or t.ttype in T.Keyword.DDL
             or t.ttype in T.Keyword.DML]
    w = [t.normalized for t in words[:4]]
    kind = "OTHER"
    if w[:1] == ["CREATE"] and "TABLE" in w:
        kind = "CREATE TABLE"
    elif w[:1] == ["CREATE"] and "INDEX" in w:
        kind = "CREATE INDEX"
    elif w[:2] == ["ALTER", "TABLE"]:
        kind = "ALTER TABLE"
    elif w[:1] in (["DROP"], ["UPDATE"], ["DELETE"], ["TRUNCATE"], ["INSERT"]):
        kind = w[0]
    table = None
    idents = [t for t in stmt.tokens if isinstance(t, Identifier)]
    if kind == "CREATE INDEX":
        # the table follows ON
        seen_on = False
        for t in stmt.flatten():
            if seen_on and t.ttype in T.Name:
                table = t.value
                break
            seen_on = seen_on or (t.ttype in T.Keyword and t.normalized == "ON")
    elif idents:
        table = idents[0].get_real_name()
        parent = idents[0].get_parent_name()
        if parent and parent != "public":
            table = f"{parent}.{table}"
    return kind, table


def accuracy() -> None:
    import pglast

    try:
        import sqlparse  # noqa: F401
    except ImportError:
        print("== parser accuracy: skipped (pip install sqlparse to compare with it) ==")
        return

    print("== parser accuracy (facts the rules need, pglast = PostgreSQL's grammar) ==")
    sets = {
        "reference sql/": sorted((ROOT / "sql").glob("*/*.sql")),
        "corpus": sorted((ROOT / "tests" / "lint_corpus" / "files").glob("*.sql")),
    }
    for label, paths in sets.items():
        total = agree = 0
        sp_time = pg_time = 0.0
        for path in paths:
            text = path.read_text()
            t0 = time.perf_counter()
            raws = pglast.parse_sql(text)
            pg_time += time.perf_counter() - t0
            for raw in raws:
                piece = text[raw.stmt_location: raw.stmt_location + (raw.stmt_len or len(text))]
                want = truth(raw.stmt)
                t0 = time.perf_counter()
                got = sqlparse_facts(piece)
                sp_time += time.perf_counter() - t0
                if want[0] == "OTHER":  # no rule needs the table of these
                    got = (got[0], None)
                total += 1
                agree += got == want
        print(f"{label}: {len(paths)} files, {total} statements: sqlparse agrees with "
              f"PostgreSQL's parser on {agree}/{total} ({100 * agree / max(total, 1):.1f}%); "
              f"time sqlparse.parse {sp_time:.2f} s vs pglast.parse_sql {pg_time:.2f} s")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    speed(quick)
    accuracy()
