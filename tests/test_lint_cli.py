"""`sqlmig lint`: suppressions, config/lint.yaml, output formats, exit codes,
project-level rules, and --env against a real server (sizes, drift, read-only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import sqlmig
from sqlmig.cli.main import cli
from sqlmig.linter import RULES

REPO = Path(__file__).resolve().parents[1]
LT = "SET LOCAL lock_timeout = '5s';\n"


def make(root: Path, files: dict[str, str]) -> Path:
    (root / "sql" / "migrations").mkdir(parents=True, exist_ok=True)
    (root / "sql" / "rollbacks").mkdir(parents=True, exist_ok=True)
    (root / "config").mkdir(exist_ok=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["lint", *args, "--project", str(root)])
    return result.exit_code, result.stdout, result.stderr


# -- suppressions ------------------------------------------------------------------------------


def test_allow_on_the_line_before_suppresses_with_its_reason(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "sql/migrations/0001_a.sql": LT + "-- sqlmig: allow truncate staging table, reloaded nightly\n"
                                     "TRUNCATE staging;\nTRUNCATE other;\n",
        "sql/rollbacks/0001_a.sql": "SELECT 1;\n",
    })
    report = sqlmig.lint(root)
    assert [(f.rule, f.line) for f in report.findings] == [("truncate", 4)]
    (s,) = report.suppressed
    assert (s.rule, s.line, s.suppressed) == ("truncate", 3, "staging table, reloaded nightly")


def test_allow_in_the_header_covers_the_whole_file(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "sql/migrations/0001_a.sql": "-- sqlmig: allow truncate both tables are caches\n\n"
                                     "TRUNCATE a;\n\nTRUNCATE b;\n",
        "sql/rollbacks/0001_a.sql": "SELECT 1;\n",
    })
    report = sqlmig.lint(root)
    assert report.findings == [] and len(report.suppressed) == 2


def test_allow_without_reason_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "sql/migrations/0001_a.sql": "SELECT 1;\n-- sqlmig: allow truncate\nTRUNCATE a;\n",
        "sql/rollbacks/0001_a.sql": "SELECT 1;\n",
    })
    code, out, _ = run(root)
    assert code == 1
    assert "sql/migrations/0001_a.sql" in out
    assert "2:1\terror    `sqlmig: allow truncate` needs a reason" in out
    assert "[truncate]" in out  # not suppressed


def test_allow_of_unknown_rule_is_an_error(tmp_path: Path) -> None:
    root = make(tmp_path, {"sql/migrations/0001_a.sql": "-- sqlmig: allow truncat typo here\nSELECT 1;\n",
                           "sql/rollbacks/0001_a.sql": "SELECT 1;\n"})
    (f,) = sqlmig.lint(root).findings
    assert (f.rule, f.line, f.severity) == ("invalid-suppression", 1, "error")
    assert "unknown rule id `truncat`" in f.message


def test_bare_allow_directive_in_header_is_refused_with_exit_2(tmp_path: Path) -> None:
    root = make(tmp_path, {"sql/migrations/0001_a.sql": "-- sqlmig: allow\nSELECT 1;\n"})
    code, _, err = run(root)
    assert code == 2
    assert "migrations/0001_a.sql:1: directive `sqlmig: allow` needs a reason" in err


def test_runner_applies_a_file_with_allow_directives(project: object) -> None:
    p = project  # conftest's TestProject
    p.add(1, "cache", "-- sqlmig: allow missing-primary-key cache table\n"  # type: ignore[attr-defined]
          "-- sqlmig: allow missing-comment internal\nCREATE TABLE c (v text);\n"
          "-- sqlmig: allow truncate empty on purpose\nTRUNCATE c;\n", "DROP TABLE c;")
    p.apply()  # type: ignore[attr-defined]
    assert p.ledger_versions() == [1]  # type: ignore[attr-defined]


# -- config/lint.yaml -------------------------------------------------------------------------------


def test_lint_yaml_disables_rules_and_changes_severities(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "sql/migrations/0001_a.sql": "TRUNCATE a;\nDELETE FROM b;\n",
        "config/lint.yaml": "rules:\n  truncate: off\n  delete-without-where: warning\n",
    })
    report = sqlmig.lint(root)
    assert {(f.rule, f.severity) for f in report.findings} == {
        ("delete-without-where", "warning"), ("missing-rollback", "warning")}
    assert run(root)[0] == 0
    assert run(root, "--strict")[0] == 1


@pytest.mark.parametrize(("yaml", "message"), [
    ("rules:\n  truncat: off\n", "unknown rule `truncat`"),
    ("rules:\n  truncate: fatal\n", "bad value for rule `truncate`"),
    ("thresholds:\n  large_rows: 5\n", "unknown threshold `large_rows`"),
    ("thresholds:\n  large_table_rows: -1\n", "bad value for threshold `large_table_rows`"),
    ("colors: true\n", "unknown key `colors`"),
    ("profile: strcit\n", "unknown profile `strcit`. Did you mean `strict`?"),
    ("profile: [strict]\n", "`profile:` must be one of default, strict"),
    ("rules: [\n", "not valid YAML"),
])
def test_bad_lint_yaml_exits_2_naming_the_file(tmp_path: Path, yaml: str, message: str) -> None:
    root = make(tmp_path, {"sql/migrations/0001_a.sql": "SELECT 1;\n", "config/lint.yaml": yaml})
    code, out, err = run(root)
    assert code == 2 and out == ""
    assert "lint.yaml" in err and message in err


def test_repository_lint_yaml_is_valid() -> None:
    from sqlmig.linter import settings

    loaded = settings.load(REPO / "config")
    assert loaded.path == REPO / "config" / "lint.yaml"


# -- formats and exit codes -------------------------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    return make(tmp_path, {
        "sql/migrations/0001_a.sql": LT + "ALTER TABLE users DROP COLUMN phone;\n"
                                     "-- sqlmig: allow truncate cache\nTRUNCATE cache;\n",
        "sql/rollbacks/0001_a.sql": "ALTER TABLE users ADD COLUMN phone text;\n",
    })


def test_human_output_groups_by_file_and_exits_1_on_errors(mixed: Path) -> None:
    code, out, _ = run(mixed)
    assert code == 1
    assert out.splitlines()[0] == "sql/migrations/0001_a.sql"
    assert "  2:1\terror    DROP COLUMN users.phone destroys its data" in out
    assert out.rstrip().endswith("1 error, 0 warnings, 0 notes in 2 files (1 suppressed)")


def test_json_output(mixed: Path) -> None:
    code, out, _ = run(mixed, "--format", "json")
    data = json.loads(out)["result"]
    assert code == 1
    assert data["summary"] == {"errors": 1, "warnings": 0, "notes": 0, "suppressed": 1}
    (f,) = data["findings"]
    assert f == {"rule": "drop-column", "severity": "error", "path": "sql/migrations/0001_a.sql",
                 "line": 2, "column": 1, "message": f["message"],
                 "explanation": RULES["drop-column"].explanation, "suppressed": None,
                 "table": "users"}
    assert data["suppressed"][0]["suppressed"] == "cache"


def test_sarif_output_has_the_required_structure(mixed: Path) -> None:
    _, out, _ = run(mixed, "--format", "sarif")
    log = json.loads(out)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert run_["tool"]["driver"]["name"] == "sqlmig-lint"
    assert {r["id"] for r in rules} == set(RULES)
    for r in rules:
        assert r["shortDescription"]["text"] and r["defaultConfiguration"]["level"] in (
            "error", "warning", "note")
    results = run_["results"]
    assert len(results) == 2
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note") and res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "sql/migrations/0001_a.sql"
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
    suppressed = [r for r in results if "suppressions" in r]
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "justification": "cache"}]


def test_github_annotations(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mixed)
    _, out, _ = run(mixed, "--format", "github")
    first = out.splitlines()[0]
    assert first.startswith("::error file=sql/migrations/0001_a.sql,line=2,col=1,"
                            "title=sqlmig drop-column::DROP COLUMN users.phone")


def test_warnings_only_exit_0_unless_strict(tmp_path: Path) -> None:
    root = make(tmp_path, {"sql/migrations/0001_a.sql": "CREATE TABLE t (note text);\n",
                           "sql/rollbacks/0001_a.sql": "DROP TABLE t;\n"})
    assert run(root)[0] == 0
    assert run(root, "--strict")[0] == 1


def test_clean_project(tmp_path: Path) -> None:
    root = make(tmp_path, {"sql/migrations/0001_a.sql": "CREATE SCHEMA IF NOT EXISTS s;\n",
                           "sql/rollbacks/0001_a.sql": "DROP SCHEMA IF EXISTS s;\n"})
    code, out, _ = run(root)
    assert (code, out) == (0, "0 errors, 0 warnings, 0 notes in 2 files: clean\n")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    root = make(tmp_path, {"sql/migrations/0001_a.sql": "SELECT 1;\n"})
    assert run(root, "--format", "xml")[0] == 2
    code, _, err = run(root, "--explain", "no-such-rule")
    assert code == 2 and "unknown rule `no-such-rule`" in err
    code, _, err = run(root, str(tmp_path / "missing.sql"))
    assert code == 2 and "missing.sql: no such file" in err


def test_explain_prints_the_why_and_what_instead(tmp_path: Path) -> None:
    code, out, _ = run(make(tmp_path, {}), "--explain", "set-not-null")
    assert code == 0
    assert out.startswith("set-not-null (locking, default severity warning)")
    assert "CHECK (col IS NOT NULL)" in out


def test_files_outside_a_project(tmp_path: Path) -> None:
    f = tmp_path / "loose.sql"
    f.write_text("SELECT 1;\nVACUUM FULL t;\n")
    result = CliRunner().invoke(cli, ["lint", str(f)])
    assert result.exit_code == 1
    assert f"{f}\n  2:1\terror    VACUUM FULL" in result.stdout


# -- project-level rules ------------------------------------------------------------------------------


def test_missing_rollback_unless_irreversible(tmp_path: Path) -> None:
    root = make(tmp_path, {"sql/migrations/0001_a.sql": "SELECT 1;\n",
                           "sql/migrations/0002_b.sql": "-- sqlmig: irreversible data fix\nSELECT 1;\n"})
    found = [(f.rule, f.path) for f in sqlmig.lint(root).findings]
    assert found == [("missing-rollback", "sql/migrations/0001_a.sql")]


def test_rollback_must_mention_created_objects(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "sql/migrations/0001_a.sql": LT + "CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);\n"
        "COMMENT ON TABLE t IS 'x'; COMMENT ON COLUMN t.id IS 'y';\n"
        "ALTER TABLE users ADD COLUMN nickname text;\n"
        "CREATE OR REPLACE FUNCTION touch() RETURNS void LANGUAGE sql AS $$ SELECT 1 $$;\n",
        "sql/rollbacks/0001_a.sql": "-- forgot touch() and nickname\nDROP TABLE IF EXISTS t;\n",
    })
    (f,) = [f for f in sqlmig.lint(root).findings if f.rule == "rollback-incomplete"]
    assert f.path == "sql/rollbacks/0001_a.sql"
    assert f.message.endswith("never mentions column nickname, function touch")


def test_drop_without_if_exists_in_rollback(tmp_path: Path) -> None:
    root = make(tmp_path, {"sql/migrations/0001_a.sql": "SELECT 1;\n",
                           "config/lint.yaml": "profile: strict\n",
                           "sql/rollbacks/0001_a.sql": "DROP TABLE t;\nDROP INDEX IF EXISTS i;\n"
                           "ALTER TABLE u DROP COLUMN c;\n"})
    found = [(f.rule, f.line) for f in sqlmig.lint(root).findings]
    assert found == [("drop-without-if-exists", 1), ("drop-without-if-exists", 3)]


def test_reference_migrations_have_no_errors() -> None:
    report = sqlmig.lint(REPO)
    assert report.errors == 0, [f for f in report.findings if f.severity == "error"]


# -- --env: the target's catalog ----------------------------------------------------------------------


def test_env_uses_real_table_sizes(project: object) -> None:
    p = project
    p.add(1, "base", "CREATE TABLE big (id bigint PRIMARY KEY, v text);\n"  # type: ignore[attr-defined]
          "CREATE TABLE empty (id bigint PRIMARY KEY, v text);", "DROP TABLE big, empty;")
    p.apply()  # type: ignore[attr-defined]
    p.query("INSERT INTO big SELECT g, 'x' FROM generate_series(1, 500) g")  # type: ignore[attr-defined]
    p.query("ANALYZE big")  # type: ignore[attr-defined]
    (p.root / "config" / "lint.yaml").write_text(  # type: ignore[attr-defined]
        "thresholds:\n  large_table_rows: 100\n  rewrite_mb_per_second: 0.01\n")
    p.add(2, "idx", LT + "CREATE INDEX IF NOT EXISTS big_v ON big (v);\n"  # type: ignore[attr-defined]
          "CREATE INDEX IF NOT EXISTS empty_v ON empty (v);\n"
          "ALTER TABLE big ALTER COLUMN v TYPE varchar(10);\n"
          "ALTER TABLE empty ALTER COLUMN v TYPE text;\n", "SELECT 1;")
    report = sqlmig.lint(p.root, env="dev")  # type: ignore[attr-defined]
    assert report.files == ["sql/migrations/0002_idx.sql", "sql/rollbacks/0002_idx.sql"]
    got = {(f.rule, f.line): f for f in report.findings}
    assert got[("create-index-not-concurrently", 2)].severity == "error"
    assert "~500 rows" in got[("create-index-not-concurrently", 2)].message
    assert got[("create-index-not-concurrently", 3)].severity == "note"
    assert "empty in dev" in got[("create-index-not-concurrently", 3)].message
    big_type = got[("alter-column-type", 4)]
    assert big_type.severity == "error" and "estimated rewrite" in big_type.message
    assert "binary-coercible" in got[("alter-column-type", 5)].message
    assert got[("alter-column-type", 5)].severity == "note"


def test_env_run_treats_tables_of_earlier_pending_migrations_as_new(project: object) -> None:
    p = project
    p.add(1, "t", "CREATE TABLE t (id bigint PRIMARY KEY, v text);", "DROP TABLE t;")  # type: ignore[attr-defined]
    p.add(2, "i", "CREATE INDEX IF NOT EXISTS t_v ON t (v);", "DROP INDEX IF EXISTS t_v;")  # type: ignore[attr-defined]
    assert "create-index-not-concurrently" not in {
        f.rule for f in sqlmig.lint(p.root, env="dev").findings}  # type: ignore[attr-defined]
    assert "create-index-not-concurrently" in {
        f.rule for f in sqlmig.lint(p.root).findings}  # type: ignore[attr-defined]


def test_env_reports_checksum_drift(project: object) -> None:
    p = project
    path = p.add(1, "t", "CREATE TABLE t (id bigint PRIMARY KEY);", "DROP TABLE t;")  # type: ignore[attr-defined]
    p.apply()  # type: ignore[attr-defined]
    path.write_text("CREATE TABLE t (id bigint PRIMARY KEY, extra text);")
    result = p.cli("lint", "--env", "dev")  # type: ignore[attr-defined]
    assert result.exit_code == 1
    assert "0001_t was applied to dev with checksum" in result.stdout
    assert "[checksum-drift]" in result.stdout


def test_env_lint_changes_nothing(project: object) -> None:
    p = project
    p.add(1, "t", "CREATE TABLE t (id bigint PRIMARY KEY);", "DROP TABLE t;")  # type: ignore[attr-defined]
    result = p.cli("lint", "--env", "dev", "--format", "json")  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["result"]["env"] == "dev"
    assert not p.table_exists("public.schema_migrations")  # type: ignore[attr-defined]
    assert not p.table_exists("public.t")  # type: ignore[attr-defined]


def test_env_connection_error_exits_2_without_password(tmp_path: Path) -> None:
    root = make(tmp_path, {"sql/migrations/0001_a.sql": "SELECT 1;\n",
                           "config/dev.yaml": "database_url: postgresql://u:s3cret@127.0.0.1:1/db\n"})
    code, _, err = run(root, "--env", "dev")
    assert code == 2 and "cannot connect" in err and "s3cret" not in err


# -- --changed: only what a branch changes ------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "init.defaultBranch=main", *args], cwd=root, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    """A repository whose main has two applied-style migrations (each with a finding),
    and a feature branch that adds a third, edits a rollback and leaves one untracked."""
    root = make(tmp_path / "repo", {
        "sql/migrations/0001_a.sql": "TRUNCATE a;\n",
        "sql/rollbacks/0001_a.sql": "SELECT 1;\n",
        "sql/migrations/0002_b.sql": "DELETE FROM b;\n",
        "sql/rollbacks/0002_b.sql": "SELECT 1;\n",
    })
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "main")
    git(root, "checkout", "-q", "-b", "feature")
    (root / "sql/migrations/0003_c.sql").write_text("UPDATE c SET x = 1;\n")
    (root / "sql/rollbacks/0003_c.sql").write_text("SELECT 1;\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "feature")
    (root / "sql/rollbacks/0001_a.sql").write_text("-- nothing to undo\n")  # unstaged edit
    (root / "sql/migrations/0004_d.sql").write_text("VACUUM FULL d;\n")  # untracked
    return root


def test_changed_lints_only_files_changed_against_the_merge_base(branch: Path) -> None:
    report = sqlmig.lint(branch, changed=True)
    assert report.files == ["sql/migrations/0003_c.sql", "sql/rollbacks/0003_c.sql",
                            "sql/migrations/0004_d.sql", "sql/rollbacks/0001_a.sql"]
    assert {f.rule for f in report.findings} == {
        "update-without-where", "vacuum-full", "missing-rollback", "empty-file"}
    assert report.changed_since is not None and report.changed_since.startswith("main (")


def test_changed_with_an_explicit_base_and_on_the_command_line(branch: Path) -> None:
    head = git(branch, "rev-parse", "HEAD").strip()
    code, out, _ = run(branch, f"--changed={head}")
    assert code == 1
    assert "0003_c" not in out and "0004_d.sql" in out
    assert f"in 2 files changed since {head} ({head[:12]})" in out
    code, out, _ = run(branch, "--changed")
    assert "update-without-where" in out and "delete-without-where" not in out


def test_changed_outside_git_or_without_a_base_exits_2(tmp_path: Path, branch: Path) -> None:
    loose = make(tmp_path / "loose", {"sql/migrations/0001_a.sql": "SELECT 1;\n"})
    code, _, err = run(loose, "--changed")
    assert code == 2 and "--changed needs a git repository" in err
    git(branch, "branch", "-q", "-m", "main", "trunk")
    code, _, err = run(branch, "--changed")
    assert code == 2 and "none of origin/main, main or master exists" in err
    code, _, err = run(branch, "--changed=nope")
    assert code == 2 and "--changed nope: no such branch, tag or commit" in err
    code, _, err = run(branch, "--changed", str(branch / "sql/migrations/0001_a.sql"))
    assert code == 2
