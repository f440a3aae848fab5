"""Files, manifest and config: refused before any SQL runs."""

from __future__ import annotations

import json

import subprocess
from pathlib import Path

import psycopg
import pytest

import sqlmig
import sqlmig.core.duration
import sqlmig.core.files
from sqlmig.core.sqltext import split_statements


def test_manifest_is_verifiable_with_sha256sum(project):
    project.add(1, "create_users", "CREATE TABLE users (id bigint PRIMARY KEY);", "DROP TABLE users;")
    project.add(2, "add_email", "ALTER TABLE users ADD COLUMN email text;")
    text = (project.root / "sql" / "manifest.sha256").read_text()
    assert [line.split("  ")[1] for line in text.splitlines()] == [
        "migrations/0001_create_users.sql",
        "migrations/0002_add_email.sql",
        "rollbacks/0001_create_users.sql",
    ]
    proc = subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=project.root / "sql",
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_manifest_check_names_missing_extra_and_changed_files(project):
    project.add(1, "a", "SELECT 1;", "SELECT 1;")
    project.add(2, "b", "SELECT 2;")
    (project.root / "sql" / "migrations" / "0001_a.sql").write_text("SELECT 11;")
    (project.root / "sql" / "rollbacks" / "0001_a.sql").unlink()
    project.add(3, "c", "SELECT 3;", manifest=False)
    r = project.cli("manifest", "--check")
    assert r.exit_code == 3
    assert "changed since the manifest was written: migrations/0001_a.sql" in r.stderr
    assert "listed in the manifest but missing: rollbacks/0001_a.sql" in r.stderr
    assert "not in the manifest: migrations/0003_c.sql" in r.stderr


def test_manifest_tampering_refuses_apply_and_changes_nothing(project):
    project.add(1, "create_t", "CREATE TABLE t (id int);")
    manifest = project.root / "sql" / "manifest.sha256"
    manifest.write_text(manifest.read_text().replace("migrations/0001", "migrations/0009"))
    r = project.cli("apply")
    assert r.exit_code == 3
    assert "manifest.sha256 does not match" in r.stderr
    assert not project.table_exists("t")
    assert not project.table_exists("schema_migrations")


def test_new_creates_next_numbered_pair_and_updates_manifest(project):
    project.add(7, "first", "SELECT 1;", "SELECT 1;")
    r = project.cli("new", "Add user profiles!")
    assert r.exit_code == 0, r.output
    up = project.root / "sql" / "migrations" / "0008_add_user_profiles.sql"
    down = project.root / "sql" / "rollbacks" / "0008_add_user_profiles.sql"
    assert up.exists() and down.exists()
    assert sqlmig.check_manifest(project.root).ok
    # The new files are a header only, whose example directive is not one:
    # a valid no-op until SQL is written, pending with no problem.
    assert sqlmig.Project(project.root).by_version()[8].up.directives == {}
    r = project.cli("status")
    assert r.exit_code == 0, r.output
    assert "0008_add_user_profiles" in r.stdout and "no problems" in r.stdout


def test_new_refuses_when_manifest_already_mismatched(project):
    project.add(1, "a", "SELECT 1;")
    (project.root / "sql" / "migrations" / "0001_a.sql").write_text("SELECT 2;")
    r = project.cli("new", "next")
    assert r.exit_code == 3
    assert not (project.root / "sql" / "migrations" / "0002_next.sql").exists()


@pytest.mark.parametrize(
    "name",
    ["1_short.sql", "0001-dash.sql", "0001_Upper.sql", "abcd_x.sql", "0001_.sql"],
)
def test_badly_named_files_are_refused(project, name):
    (project.root / "sql" / "migrations" / name).write_text("SELECT 1;")
    r = project.cli("status")
    assert r.exit_code == 2
    assert f"migrations/{name}: bad file name" in r.stderr
    assert "NNNN_slug.sql" in r.stderr


def test_duplicate_versions_are_refused(project):
    project.add(1, "one", "SELECT 1;", manifest=False)
    project.add(1, "uno", "SELECT 1;", manifest=False)
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "version 1 is also used by" in r.stderr
    assert not project.table_exists("schema_migrations")


def test_rollback_without_migration_is_refused(project):
    (project.root / "sql" / "rollbacks" / "0004_ghost.sql").write_text("SELECT 1;")
    r = project.cli("status")
    assert r.exit_code == 2
    assert "rollbacks/0004_ghost.sql" in r.stderr


def test_unknown_directive_is_refused_with_line(project):
    project.add(1, "x", "-- create things\n-- sqlmig: no-transacton\nSELECT 1;", manifest=False)
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "0001_x.sql:2: unknown directive `sqlmig: no-transacton`" in r.stderr


def test_irreversible_needs_a_reason(project):
    project.add(1, "x", "-- sqlmig: irreversible\nSELECT 1;", manifest=False)
    r = project.cli("status")
    assert r.exit_code == 2
    assert "needs a reason" in r.stderr


def test_unknown_config_key_is_an_error_naming_file_and_key(project):
    cfg = project.root / "config" / "dev.yaml"
    cfg.write_text(cfg.read_text() + "lock_timout: 5s\n")
    r = project.cli("status")
    assert r.exit_code == 2
    assert "dev.yaml: unknown key `lock_timout`. Did you mean `lock_timeout`?" in r.stderr
    assert "keep_backups" in r.stderr  # every known key is listed, the features' too


@pytest.mark.parametrize("value", ["five seconds", "true", "[1, 2]"])
def test_bad_config_value_is_an_error(project, value):
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nlock_timeout: {value}\n")
    r = project.cli("status")
    assert r.exit_code == 2
    assert "bad value for `lock_timeout`" in r.stderr


def test_config_expands_variables_with_defaults(tmp_path):
    from sqlmig.core import settings as config

    cfg_dir = tmp_path / "config"
    cfg_dir.mkdir()
    (cfg_dir / "dev.yaml").write_text(
        "database_url: ${DATABASE_URL:-embedded}\nschema: ${LEDGER_SCHEMA:-ops}\n")
    c = config.load(cfg_dir, "dev", environ={})
    assert c.database_url == "embedded" and c.embedded and c.schema == "ops"
    c = config.load(cfg_dir, "dev", environ={"DATABASE_URL": "postgresql://h/db"})
    assert c.database_url == "postgresql://h/db"
    (cfg_dir / "staging.yaml").write_text("database_url: ${STAGING_URL}\n")
    with pytest.raises(sqlmig.ConfigError, match=r"staging.yaml: key `database_url` uses \$\{STAGING_URL\}"):
        config.load(cfg_dir, "staging", environ={})


def test_missing_environment_lists_the_known_ones(project):
    (project.root / "config" / "lint.yaml").write_text("profile: default\n")  # no environment
    r = project.cli("status", "--env", "prod")
    assert r.exit_code == 2
    assert "prod.yaml does not exist (environments: dev)" in r.stderr


def test_split_statements_keeps_bodies_and_offsets():
    text = (
        "-- header\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n"
        "CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + 1;\nEND;\n"
        "COMMENT ON FUNCTION f() IS 'a; b';\n"
    )
    stmts = split_statements(text)
    assert len(stmts) == 3
    assert [s.line for s in stmts] == [2, 7, 11]
    assert text[stmts[2].offset:].startswith("COMMENT ON FUNCTION")


def test_help_does_not_import_heavy_modules():
    code = ("import sys, sqlmig.cli; "
            "print(sorted(m for m in ('psycopg', 'pglast', 'yaml') if m in sys.modules))")
    out = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[]"


def test_public_api_is_deliberate():
    assert sqlmig.__all__ == sorted(sqlmig.__all__)
    for name in sqlmig.__all__:
        assert getattr(sqlmig, name) is not None
    assert issubclass(sqlmig.MigrationFailed, sqlmig.SqlmigError)
    assert sqlmig.SafetyRefusal.exit_code == 3
    assert sqlmig.ConfigError.exit_code == 2


def test_public_names_survive_importing_every_submodule():
    """A submodule named like a public function would replace it on the package
    (Python binds ``sqlmig.<submodule>`` when it is imported): keep names apart."""
    import importlib
    import pkgutil
    import types

    for info in pkgutil.walk_packages(sqlmig.__path__, "sqlmig."):
        if info.name not in ("sqlmig.adapters.pytest_plugin", "sqlmig.testing"):
            importlib.import_module(info.name)
    clobbered = [n for n in sqlmig.__all__ if isinstance(getattr(sqlmig, n), types.ModuleType)]
    assert clobbered == []


def test_every_command_has_help_and_is_in_the_readme():
    import click

    from sqlmig.cli.main import cli

    readme = (Path(__file__).parent.parent / "README.md").read_text()

    def walk(group: click.Group, prefix: str):
        for name, cmd in group.commands.items():
            full = f"{prefix} {name}".strip()
            yield full, cmd
            if isinstance(cmd, click.Group):
                yield from walk(cmd, full)

    for full, cmd in walk(cli, ""):
        assert (cmd.help or "").strip(), f"`sqlmig {full}` has no help text"
        assert f"sqlmig {full}" in readme, f"`sqlmig {full}` is not documented in README.md"


def test_database_url_option_overrides_an_unset_variable_in_the_config(project):
    (project.root / "config" / "staging.yaml").write_text(
        "database_url: ${SQLMIG_TEST_UNSET_URL}\nlock_timeout: 5s\n")
    r = project.cli("status", "--env", "staging", "--database-url", project.url)
    assert r.exit_code == 0, r.output
    r = project.cli("status", "--env", "staging")
    assert r.exit_code == 2 and "SQLMIG_TEST_UNSET_URL" in r.stderr


# -- bad input gets one clear refusal (issue 14) --------------------------------------------


def nothing_was_applied(project) -> bool:
    """No table of the migrations, and no ledger in any schema."""
    return not project.table_exists("t") and not project.scalar(
        "SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'")


@pytest.mark.parametrize(
    ("folder", "name", "hint"),
    [
        ("migrations", "0002_x.SQL", "Rename it to migrations/0002_x.sql"),
        ("rollbacks", "0001_t.Sql", "Rename it to rollbacks/0001_t.sql"),
        ("migrations", "0002_x.sql.orig", "looks like a backup or merge leftover"),
        ("migrations", "0002_x.sql~", "looks like a backup or merge leftover"),
        ("migrations", "notes.md", "move it out of sql/migrations"),
        ("migrations", "\u0660\u0660\u0660\u0662_x.sql", "not written with the ASCII digits 0-9"),
        ("migrations", "\uff10\uff10\uff10\uff12_x.sql", "not written with the ASCII digits 0-9"),
        ("migrations", "0002_x.sql\n", "Rename it"),
    ],
)
def test_a_file_that_is_not_exactly_a_migration_is_refused_not_skipped(project, folder, name,
                                                                        hint):
    project.add(1, "t", "CREATE TABLE t (id int);", "DROP TABLE t;")
    (project.root / "sql" / folder / name).write_text("CREATE TABLE t2 (id int);")
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("error: ") and "Traceback" not in r.output
    assert f"{folder}/{name}: bad file name" in r.stderr and "NNNN_slug.sql" in r.stderr
    assert hint in r.stderr
    assert nothing_was_applied(project)


def test_a_directory_among_the_migrations_is_refused_and_hidden_files_are_ignored(project):
    project.add(1, "t", "CREATE TABLE t (id int);")
    (project.root / "sql" / "migrations" / ".gitkeep").write_text("")
    (project.root / "sql" / "migrations" / "old").mkdir()
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "migrations/old: a directory, which sqlmig does not read" in r.stderr
    assert nothing_was_applied(project)
    (project.root / "sql" / "migrations" / "old").rmdir()
    assert project.cli("apply").exit_code == 0
    assert project.ledger_versions() == [1]


@pytest.mark.parametrize("directive", ["", "-- sqlmig: no-transaction\n"])
def test_a_version_above_bigint_is_refused_before_anything_runs(project, directive):
    top = 2**63 - 1
    (project.root / "sql" / "migrations" / f"{top + 1}_t.sql").write_text(
        directive + "CREATE TABLE t (id int);")
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert (f"migrations/{top + 1}_t.sql: version {top + 1} is above {top}, the largest "
            "version the ledger can record") in r.stderr
    assert nothing_was_applied(project)


def test_the_largest_bigint_is_a_valid_version(project):
    top = 2**63 - 1
    (project.root / "sql" / "migrations" / f"{top}_t.sql").write_text("CREATE TABLE t (id int);")
    project.write_manifest()
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert project.ledger_versions() == [top]


@pytest.mark.parametrize(
    ("line", "right"),
    [
        ("-- SQLMIG: irreversible drops the table", "-- sqlmig: irreversible drops the table"),
        ("-- sqlmig : irreversible drops the table", "-- sqlmig: irreversible drops the table"),
        ("-- Sqlmig: no-transaction", "-- sqlmig: no-transaction"),
        ("--- sqlmig: no-transaction", "-- sqlmig: no-transaction"),
        ("-- sqlmig irreversible drops it", "-- sqlmig: irreversible drops it"),
        ("-- sql-mig: irreversible x", "-- sqlmig: irreversible x"),
        ("-- sqlmig= no-transaction", "-- sqlmig: no-transaction"),
    ],
)
def test_a_directive_in_another_spelling_is_refused_with_the_right_spelling(project, line, right):
    project.add(1, "t", f"-- drops things\n{line}\nCREATE TABLE t (id int);", "DROP TABLE t;",
                manifest=False)
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert f"migrations/0001_t.sql:2: `{line}` is spelled like a directive" in r.stderr
    assert f"Write it as `{right}`" in r.stderr
    assert nothing_was_applied(project)


def test_a_directive_in_a_block_comment_is_refused(project):
    project.add(1, "t", "/* sqlmig: irreversible drops it */\nCREATE TABLE t (id int);",
                manifest=False)
    r = project.cli("apply")
    assert r.exit_code == 2
    assert "0001_t.sql:1: a directive in a /* */ comment is not read" in r.stderr
    assert nothing_was_applied(project)


def test_prose_about_sqlmig_in_the_header_is_not_a_directive(project):
    project.add(1, "t", "-- sqlmig runs this file in one transaction\nCREATE TABLE t (id int);")
    assert project.cli("apply").exit_code == 0
    assert project.table_exists("t")


LATE_DIRECTIVES = {
    "own-line": ("CREATE TABLE t (id int);\n-- sqlmig: no-transaction\nSELECT 1;\n", 2, 1),
    "after-a-statement": ("CREATE TABLE t (id int); -- sqlmig: no-transaction\n", 1, 26),
    "other-spelling": ("CREATE TABLE t (id int);\n\n  -- SQLMIG: irreversible gone\n", 3, 3),
    "inside-a-statement": ("CREATE TABLE t (\n  -- sqlmig: no-transaction\n  id int);\n", 2, 3),
    "below-a-block-comment": ("/* about */\n-- sqlmig: no-transaction\nCREATE TABLE t (id int);\n",
                              2, 1),
}


@pytest.mark.parametrize(("body", "line", "column"), list(LATE_DIRECTIVES.values()),
                         ids=list(LATE_DIRECTIVES))
def test_a_directive_below_the_header_is_refused_with_its_line(project, body, line, column):
    project.add(1, "t", body, "DROP TABLE t;")
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    [error] = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert error.startswith(f"error: migrations/0001_t.sql:{line}:{column}: `-- ")
    assert ("directives are read only from the comment block at the top of the file, so this "
            "one would be ignored; move it up") in error
    assert project.ledger_rows() == [] and not project.table_exists("t")


@pytest.mark.parametrize("body", [
    "CREATE TABLE t (note text DEFAULT '\n-- sqlmig: no-transaction\n');\n",
    "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$\nBEGIN\n"
    "-- sqlmig: no-transaction\nRETURN 1;\nEND $fn$;\nCREATE TABLE t (id int);\n",
    "CREATE TABLE t (id int);\n/*\n-- sqlmig: no-transaction\n*/\n",
    "CREATE TABLE t (id int);\n-- sqlmig: allow truncate the table is new\nTRUNCATE t;\n",
    "CREATE TABLE t (id int);\n-- sqlmig runs this file in one transaction\n",
], ids=["string", "dollar-quoted", "block-comment", "lint-suppression", "prose"])
def test_sqlmig_colon_below_the_header_but_not_a_line_comment_directive_is_fine(project, body):
    project.add(1, "t", body)
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert project.table_exists("t")


def test_a_misspelled_lint_suppression_below_the_header_is_refused(project):
    project.add(1, "t", "CREATE TABLE t (id int);\n-- sqlmig allow truncate it is new\nTRUNCATE t;\n")
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert ("migrations/0001_t.sql:2:1: `-- sqlmig allow truncate it is new`: it is spelled like "
            "a lint suppression but is not one") in r.stderr
    assert project.ledger_rows() == [] and not project.table_exists("t")


# -- status reports what apply would refuse ---------------------------------------------------

REFUSED_BY_APPLY = {
    "commit": ("CREATE TABLE t (id int);\nCOMMIT;\n", "0002_bad.sql:2: top-level COMMIT"),
    "concurrently": ("CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_i ON t (id);\n",
                     "0002_bad.sql:2: `CREATE INDEX CONCURRENTLY t_i` cannot run inside"),
    "copy-stdin": ("CREATE TABLE t (id int);\nCOPY t FROM STDIN;\n",
                   "0002_bad.sql:2: COPY ... FROM STDIN"),
    "meta-command": ("CREATE TABLE t (id int);\n\\i other.sql\n",
                     "0002_bad.sql:2:1: psql meta-command \\i"),
    "unterminated": ("CREATE TABLE t (id int);\nSELECT 'oops;\n",
                     "0002_bad.sql:2:8: unterminated quoted string"),
    "late-directive": ("CREATE TABLE t (id int);\n-- sqlmig: no-transaction\n",
                       "0002_bad.sql:2:1: `-- sqlmig: no-transaction`: directives are read only"),
}


@pytest.mark.parametrize(("body", "message"), list(REFUSED_BY_APPLY.values()),
                         ids=list(REFUSED_BY_APPLY))
def test_status_reports_a_pending_file_that_apply_refuses(project, body, message):
    project.add(1, "ok", "CREATE TABLE ok (id int);")
    project.add(2, "bad", body)
    status = project.cli("status")
    assert status.exit_code == 3, status.output
    assert "no problems" not in status.stdout
    assert f"[invalid] migrations/{message}" in status.stdout
    import json
    as_json = project.cli("status", "--json")
    assert as_json.exit_code == 3
    assert [(p["kind"], p["version"]) for p in json.loads(as_json.stdout)["result"]["problems"]] == [
        ("invalid", 2)]
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert f"error: migrations/{message}" in r.stderr
    assert project.ledger_rows() == [] and not project.table_exists("ok")


def test_apply_to_below_an_invalid_file_still_applies(project):
    project.add(1, "ok", "CREATE TABLE ok (id int);")
    project.add(2, "bad", "CREATE TABLE t (id int);\nCOMMIT;\n")
    r = project.cli("apply", "--to", "1")
    assert r.exit_code == 0, r.output
    assert [row[0] for row in project.ledger_rows()] == [1]
    assert project.table_exists("ok")
    status = project.cli("status")
    assert status.exit_code == 3 and "[invalid] migrations/0002_bad.sql:2:" in status.stdout


def test_a_misspelled_irreversible_cannot_let_the_rollback_run(project):
    """The tracker's case: the migration was applied with the misspelled
    directive, so its rollback would have run; now nothing runs at all."""
    project.add(1, "t", "CREATE TABLE t (id int);", "DROP TABLE t;")
    project.apply()
    path = project.root / "sql" / "migrations" / "0001_t.sql"
    path.write_text("-- SQLMIG: irreversible the data is gone\nCREATE TABLE t (id int);")
    r = project.cli("rollback", "--yes")
    assert r.exit_code == 2, r.output
    assert "Write it as `-- sqlmig: irreversible the data is gone`" in r.stderr
    assert project.table_exists("t") and project.ledger_versions() == [1]


# -- config files ---------------------------------------------------------------------------


def write_config(project, body: str) -> None:
    (project.root / "config" / "dev.yaml").write_text(f"database_url: '{project.url}'\n{body}")


def test_a_key_given_twice_is_refused_with_both_lines(project):
    project.add(1, "t", "CREATE TABLE t (id int);")
    write_config(project, "approval: required\nlock_timeout: 5s\napproval: off\n")
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert ("dev.yaml:4: key `approval` is given twice (first on line 2); YAML would silently "
            "keep the last one. Remove one of them.") in r.stderr
    assert nothing_was_applied(project)


def test_a_nested_duplicate_key_is_refused(tmp_path):
    from sqlmig.core import settings

    path = tmp_path / "lint.yaml"
    path.write_text("rules:\n  a: 1\n  a: 2\n")
    with pytest.raises(sqlmig.ConfigError, match=r"lint.yaml:3: key `a` is given twice"):
        settings.read_yaml(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # A "billion laughs" under a known key: 9 levels of 9 aliases, a few
        # hundred bytes that expand to 9**9 strings when walked.
        ("lock_timeout: &a0 [x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"lock_wait{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)),
         "dev.yaml:2: anchor `&a0` is not allowed in a settings file"),
        ("defaults: &d {approval: required}\n", "dev.yaml:2: anchor `&d` is not allowed"),
        ("<<: {approval: required}\n", "dev.yaml:2: merge key `<<` is not allowed"),
    ],
)
def test_anchors_aliases_and_merge_keys_are_refused(project, body, message):
    project.add(1, "t", "CREATE TABLE t (id int);")
    write_config(project, body)
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert nothing_was_applied(project)


@pytest.mark.parametrize("schema", ["pg_catalog", "pg_toast", "pg_temp", "pg_temp_3",
                                    "pg_mine", "information_schema", "s" * 64])
def test_a_schema_postgresql_reserves_or_would_truncate_is_refused(project, schema):
    project.add(1, "t", "CREATE TABLE t (id int);")
    write_config(project, f"schema: {schema}\n")
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert f"bad value for `schema`: '{schema}'" in r.stderr
    assert ("PostgreSQL reserves information_schema and names starting with pg_" in r.stderr
            or "at most 63 bytes" in r.stderr)
    assert nothing_was_applied(project)


def pg_range(project, name: str) -> tuple[int, int]:
    """The server's own bounds of a GUC, in its unit (ms for the timeouts)."""
    lo, hi, unit = project.query(
        "SELECT min_val::int, max_val::int, unit FROM pg_settings WHERE name = %s", (name,))[0]
    assert unit == "ms"
    return lo, hi


@pytest.mark.parametrize("key", ["lock_timeout", "statement_timeout", "lock_wait"])
@pytest.mark.parametrize("value", ["3000d", "2147483648ms", "0.0001ms", "999us", "0.5ms"])
def test_a_timeout_outside_what_postgresql_can_set_is_refused(project, key, value):
    lo, hi = pg_range(project, "lock_timeout")
    assert (lo, hi) == (0, 2**31 - 1)  # the range the message gives
    project.add(1, "t", "CREATE TABLE t (id int);")
    write_config(project, f"{key}: {value}\n")
    r = project.cli("apply")
    assert r.exit_code == 2, r.output
    assert f"bad value for `{key}`: '{value}'" in r.stderr
    assert "or a duration from 1ms to 2147483647ms (about 24.8 days)" in r.stderr
    assert nothing_was_applied(project)


@pytest.mark.parametrize(
    ("key", "value"),
    [("lock_timeout", "0"), ("lock_timeout", "1ms"), ("lock_timeout", "2147483647ms"),
     ("lock_timeout", "24d"), ("statement_timeout", "0"), ("statement_timeout", "2147483647ms")],
)
def test_timeouts_at_the_edges_of_the_range_are_set_as_written(project, key, value):
    # (statement_timeout: 1ms would cancel the migration itself.)
    project.add(1, "t", "CREATE TABLE t (id int);\n"
                f"CREATE TABLE seen AS SELECT current_setting('{key}') AS v;")
    write_config(project, f"{key}: {value}\n")
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    with psycopg.connect(project.url, autocommit=True) as conn:
        conn.execute(f"SET {key} = '{sqlmig.core.duration.parse(value).postgres()}'")
        expected = conn.execute(f"SHOW {key}").fetchone()[0]
    assert project.query("SELECT v FROM seen") == [(expected,)]


def test_lock_wait_seconds_refuses_what_would_round_to_wait_forever():
    from sqlmig.core.settings import lock_wait_seconds

    assert lock_wait_seconds(0) == 0.0  # do not wait (pg_try_advisory_lock)
    assert lock_wait_seconds(0.001) == 0.001
    assert lock_wait_seconds(60) == 60.0
    for bad in (0.0004, 1e-9, 2147483.648, -1, float("nan"), float("inf")):
        with pytest.raises(sqlmig.ConfigError, match=r"^lock wait .*(out of range|expected a "
                                                     r"number of seconds)"):
            lock_wait_seconds(bad)


def test_dollar_dollar_brace_is_a_literal_and_a_broken_reference_is_refused(tmp_path):
    from sqlmig.core import settings

    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "dev.yaml").write_text(
        "database_url: 'postgresql://h/db?options=$${X}-${X}-$$${X}-pa$$word'\n")
    c = settings.load(cfg, "dev", environ={"X": "v"})
    assert c.database_url == "postgresql://h/db?options=${X}-v-$${X}-pa$$word"
    (cfg / "dev.yaml").write_text("database_url: 'postgresql://h/${DB'\n")
    with pytest.raises(sqlmig.ConfigError, match=r"dev.yaml: key `database_url`: `\$\{DB` is not "
                                                 r"a variable reference: write \$\{NAME\}"):
        settings.load(cfg, "dev", environ={"DB": "x"})


def test_a_config_file_that_is_not_utf8_or_nests_too_deeply_is_one_error_line(project):
    path = project.root / "config" / "dev.yaml"
    path.write_bytes(b"database_url: caf\xe9\n")
    r = project.cli("status")
    assert r.exit_code == 2 and "dev.yaml: not valid UTF-8 (byte 0xe9 at offset 17)" in r.stderr
    path.write_text("database_url: " + "[" * 5000 + "]" * 5000 + "\n")
    r = project.cli("status")
    assert r.exit_code == 2 and "dev.yaml: nested too deeply" in r.stderr


# -- the manifest, against sha256sum -c --------------------------------------------------------


def sha256sum_accepts(project) -> bool:
    proc = subprocess.run(["sha256sum", "--quiet", "-c", "manifest.sha256"],
                          cwd=project.root / "sql", capture_output=True, text=True)
    return proc.returncode == 0


@pytest.mark.parametrize("stale_first", [True, False])
def test_a_path_listed_twice_with_different_checksums_is_a_mismatch(project, stale_first):
    project.add(1, "t", "CREATE TABLE t (id int);")
    manifest = project.root / "sql" / "manifest.sha256"
    good = manifest.read_text()
    stale = "0" * 64 + "  migrations/0001_t.sql\n"
    manifest.write_text(stale + good if stale_first else good + stale)
    assert not sha256sum_accepts(project)
    r = project.cli("apply")
    assert r.exit_code == 3, r.output
    assert ("listed more than once with different checksums: migrations/0001_t.sql "
            "(lines 1, 2)") in r.stderr
    assert nothing_was_applied(project)


def test_a_path_listed_twice_with_the_same_checksum_is_refused_though_sha256sum_accepts_it(
        project):
    """sha256sum -c checks each line and passes; sqlmig never writes such a
    manifest (one line per file, sorted), so it is a merge leftover to fix."""
    project.add(1, "t", "CREATE TABLE t (id int);")
    manifest = project.root / "sql" / "manifest.sha256"
    manifest.write_text(manifest.read_text() * 2)
    assert sha256sum_accepts(project)
    r = project.cli("manifest", "--check")
    assert r.exit_code == 3
    assert "listed more than once: migrations/0001_t.sql (lines 1, 2)" in r.stderr
    assert project.cli("apply").exit_code == 3
    assert nothing_was_applied(project)


def test_a_manifest_that_cannot_be_written_is_an_error_and_stays_as_it_was(project):
    """A real ENOSPC: the temporary file is /dev/full (a full disk cannot be
    mounted without root mounts; /dev/full fails every write with ENOSPC)."""
    project.add(1, "t", "CREATE TABLE t (id int);")
    manifest = project.root / "sql" / "manifest.sha256"
    before = manifest.read_bytes()
    project.add(2, "u", "CREATE TABLE u (id int);", manifest=False)
    (project.root / "sql" / "manifest.sha256.tmp").symlink_to("/dev/full")
    r = project.cli("manifest")
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("error: ") and "Traceback" not in r.output
    assert "manifest.sha256: cannot write the manifest: No space left on device" in r.stderr
    assert manifest.read_bytes() == before


def test_a_new_project_without_migrations_or_manifest_is_fine(project):
    (project.root / "sql" / "manifest.sha256").unlink()
    r = project.cli("status")
    assert r.exit_code == 0, r.output
    assert 'no migrations yet; add one with `sqlmig new "describe it"`' in r.stdout
    assert "does not exist" not in r.output
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert "nothing to apply" in r.stdout
    assert not (project.root / "sql" / "manifest.sha256").exists()


def test_a_missing_manifest_with_migration_files_is_refused(project):
    project.add(1, "a", "SELECT 1;", manifest=False)
    (project.root / "sql" / "manifest.sha256").unlink()
    r = project.cli("status")
    assert r.exit_code == 3
    assert "manifest.sha256 does not exist" in r.stdout
    r = project.cli("apply")
    assert r.exit_code == 3
    assert "manifest.sha256 does not exist" in r.stderr
    assert project.ledger_versions() == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_that_completes_commands(shell):
    import os
    import subprocess

    from click.testing import CliRunner

    from conftest import sqlmig_command
    from sqlmig.cli import cli

    r = CliRunner().invoke(cli, ["completion", shell])
    assert r.exit_code == 0 and "_SQLMIG_COMPLETE" in r.stdout
    # What the script asks the installed command for, the way the shell would.
    # fish passes the incomplete word itself, bash and zsh its index.
    env = {**os.environ, "_SQLMIG_COMPLETE": f"{shell}_complete", "COMP_WORDS": "sqlmig sta",
           "COMP_CWORD": "sta" if shell == "fish" else "1"}
    done = subprocess.run([sqlmig_command()], env=env, capture_output=True, text=True)
    assert "status" in done.stdout, done.stdout + done.stderr


def test_completion_refuses_an_unknown_shell():
    from click.testing import CliRunner

    from sqlmig.cli import cli

    r = CliRunner().invoke(cli, ["completion", "tcsh"])
    assert r.exit_code == 2 and "'tcsh' is not one of" in r.stderr


def test_global_options_may_come_before_the_command(project):
    from click.testing import CliRunner

    from sqlmig.cli import cli

    (project.root / "config" / "staging.yaml").write_text("database_url: x\nlock_timeout: 5\n")
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None):
        return runner.invoke(cli, list(args), env=env, catch_exceptions=False)

    r = run("--env", "staging", "--project", str(project.root), "status")
    assert r.exit_code == 2 and "staging.yaml: bad value for `lock_timeout`" in r.stderr
    # The command's own spelling wins; a global option beats the variable.
    r = run("--env", "staging", "--project", str(project.root), "status", "--env", "dev")
    assert r.exit_code == 0, r.output
    r = run("--env", "dev", "status", "--project", str(project.root),
            env={"SQLMIG_ENV": "staging"})
    assert r.exit_code == 0, r.output
    r = run("status", "--project", str(project.root), env={"SQLMIG_ENV": "staging"})
    assert r.exit_code == 2


def test_options_read_from_variables_say_so_in_help():
    from click.testing import CliRunner

    from sqlmig.cli import cli

    out = CliRunner().invoke(cli, ["status", "--help"]).output
    assert "SQLMIG_ENV" in out and "SQLMIG_DATABASE_URL" in out


def test_a_long_manifest_mismatch_lists_the_first_problems_and_counts_the_rest(project):
    for v in range(1, 31):
        project.add(v, f"t{v}", f"CREATE TABLE t{v} (id int);\n", manifest=False)
    r = project.cli("manifest", "--check")
    listed = [line for line in r.stderr.splitlines() if line.startswith("  - ")]
    assert r.exit_code != 0 and len(listed) == 25, r.stderr
    assert "  ... and 5 more (--json lists every one)" in r.stderr
    doc = json.loads(project.cli("manifest", "--check", "--json").stdout)
    assert len(doc["error"]["problems"]) == 30


def test_a_file_of_several_megabytes_is_read_whole(project):
    """Files are read with os.read in 1 MiB chunks: one of 3.5 MiB is hashed as
    sha256sum hashes it and applied to its last statement."""
    rows = "\n".join(f"INSERT INTO big VALUES ({i}, '{'x' * 60}');" for i in range(50_000))
    project.add(1, "big", f"CREATE TABLE big (id int PRIMARY KEY, pad text);\n{rows}\n"
                          "INSERT INTO big VALUES (-1, 'last');")
    path = project.root / "sql" / "migrations" / "0001_big.sql"
    assert path.stat().st_size > 3 << 20
    digest = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True,
                            check=True).stdout.split()[0]
    [migration] = sqlmig.core.files.discover(project.root / "sql")
    assert migration.up.checksum == digest
    project.cli("apply")
    with psycopg.connect(project.url) as conn:
        assert conn.execute("SELECT count(*), max(pad) FILTER (WHERE id = -1) FROM big"
                            ).fetchone() == (50_001, "last")
