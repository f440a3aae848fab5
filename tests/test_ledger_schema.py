"""sqlmig's own tables live in a schema of their own, out of the project's way.

The oracle is the catalog itself (pg_class, pg_attribute, pg_proc queried
directly), never sqlmig's Ledger.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

import sqlmig
from sqlmig.core import lock

README = Path(__file__).resolve().parents[1] / "README.md"
SQLMIG_TABLES = {"schema_migrations", "sqlmig_history", "sqlmig_ledger_version", "sqlmig_audit",
                 "sqlmig_approvals", "sqlmig_check_runs", "sqlmig_check_results", "sqlmig_lock",
                 "sqlmig_environment"}
SQLMIG_TABLES |= {"sqlmig_repeatables", "sqlmig_repeatable_history"}  # ledger_0009.sql
SQLMIG_TABLES |= {"sqlmig_tags"}  # ledger_0010.sql


def where_tables(project) -> dict[str, set[str]]:
    """Schema -> sqlmig-named tables in it, from pg_class."""
    out: dict[str, set[str]] = {}
    for nsp, rel in project.query(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
            " AND (c.relname = 'schema_migrations' OR c.relname LIKE 'sqlmig\\_%')"):
        out.setdefault(nsp, set()).add(rel)
    return out


def columns(project, table: str) -> list[str]:
    return [r[0] for r in project.query(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped ORDER BY attnum", (table,))]


def set_config(project, extra: str = "") -> None:
    (project.root / "config" / "dev.yaml").write_text(f"database_url: '{project.url}'\n{extra}")


def legacy_ledger(project) -> None:
    """A database whose ledger an earlier sqlmig created in public (it had
    `schema: public` as its default): versions 1 applied, audit written."""
    set_config(project, "schema: public\n")
    project.add(1, "a", "CREATE TABLE a (id int);")
    project.apply()
    set_config(project)  # the config of a project that never set `schema:`
    assert where_tables(project) == {"public": SQLMIG_TABLES}


def moving_sql() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Moving the ledger out of public"):]
    return re.search(r"```sql\n(.*?)```", section, re.S).group(1)


def test_every_sqlmig_table_is_created_in_schema_sqlmig(project):
    project.add(1, "a", "CREATE TABLE a (id int);")
    set_config(project, "lock: table\n")  # the lock row's table too
    project.apply()
    assert where_tables(project) == {"sqlmig": SQLMIG_TABLES}
    assert project.query("SELECT pronamespace::regnamespace::text FROM pg_proc"
                         " WHERE proname = 'sqlmig_audit_append_only'") == [("sqlmig",)]
    assert project.table_exists("public.a")  # the file's unqualified name: the user's path


def test_a_project_table_named_schema_migrations_is_the_projects_own(project):
    project.add(1, "own", "CREATE TABLE schema_migrations (version text);")
    project.add(2, "alter", "ALTER TABLE schema_migrations ADD COLUMN x int;\n"
                            "INSERT INTO schema_migrations VALUES ('20240101', 1);")
    project.add(3, "more", "CREATE TABLE t (id int);")
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert columns(project, "public.schema_migrations") == ["version", "x"]
    assert project.query("SELECT * FROM public.schema_migrations") == [("20240101", 1)]
    ledger_columns = columns(project, "sqlmig.schema_migrations")
    assert "x" not in ledger_columns and ledger_columns[:3] == ["version", "name", "checksum"]
    assert project.query("SELECT version FROM sqlmig.schema_migrations ORDER BY 1") == [
        (1,), (2,), (3,)]
    st = project.cli("status")
    assert st.exit_code == 0 and "no problems" in st.stdout, st.output
    # Dropping it again is the project's business too.
    project.add(4, "drop", "DROP TABLE schema_migrations;")
    assert project.cli("apply").exit_code == 0
    assert not project.table_exists("public.schema_migrations")
    assert project.ledger_versions() == [1, 2, 3, 4]


def test_the_projects_schema_migrations_is_in_docs_and_snapshots_sqlmigs_is_not(project):
    project.add(1, "own", "CREATE TABLE schema_migrations (version text);")
    project.apply()
    snap = sqlmig.schema_snapshot(project.root)
    names = {name for _, name in snap.objects}
    assert "public.schema_migrations" in names
    assert not [n for n in names if n.startswith("sqlmig")]
    r = project.cli("drift")
    assert r.exit_code == 0, r.output


def test_another_tools_schema_migrations_in_public_is_left_alone(project, caplog):
    # golang-migrate's table, with its row: not sqlmig's (no sqlmig_ledger_version).
    project.query("CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean);"
                  "INSERT INTO schema_migrations VALUES (20240101, false)")
    project.add(1, "a", "CREATE TABLE a (id int);")
    with caplog.at_level(logging.WARNING, logger="sqlmig.ledger"):
        project.apply()
    assert not caplog.records
    assert project.query("SELECT * FROM public.schema_migrations") == [(20240101, False)]
    assert columns(project, "public.schema_migrations") == ["version", "dirty"]
    assert project.ledger_versions() == [1]


def test_a_ledger_left_in_public_is_used_there_and_reported_once(project, caplog):
    legacy_ledger(project)
    project.add(2, "b", "CREATE TABLE b (id int);")
    with caplog.at_level(logging.WARNING, logger="sqlmig.ledger"):
        assert project.status().current_version == 1
        assert [m.version for m in project.apply().applied] == [2]
        assert project.status().pending == []
    warnings = [r for r in caplog.records if r.name == "sqlmig.ledger"]
    assert len(warnings) == 1, warnings
    assert 'is in schema "public"' in warnings[0].getMessage()
    assert "Moving the ledger out of public" in warnings[0].getMessage()
    assert where_tables(project) == {"public": SQLMIG_TABLES}
    assert not project.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'sqlmig'")
    assert project.query("SELECT version FROM public.schema_migrations ORDER BY 1") == [(1,), (2,)]


def test_the_cli_shows_the_legacy_warning_on_stderr(project):
    legacy_ledger(project)
    r = project.run("status")
    assert r.returncode == 0, r.stderr
    assert r.stderr.count('is in schema "public"') == 1 and "WARNING" in r.stderr
    assert "no problems" in r.stdout


def test_schema_public_in_the_config_keeps_the_ledger_there_silently(project, caplog):
    legacy_ledger(project)
    set_config(project, "schema: public\n")
    with caplog.at_level(logging.WARNING, logger="sqlmig.ledger"):
        assert project.status().current_version == 1
    assert not caplog.records


def test_schema_sqlmig_in_the_config_means_exactly_sqlmig(project, caplog):
    legacy_ledger(project)
    set_config(project, "schema: sqlmig\n")
    with caplog.at_level(logging.WARNING, logger="sqlmig.ledger"):
        st = project.status()
    assert st.current_version is None and [m.version for m in st.pending] == [1]
    assert not caplog.records


@pytest.mark.parametrize("legacy", [True, False], ids=["legacy-public", "sqlmig"])
def test_the_migration_lock_follows_the_schema_in_use(project, legacy):
    """An older sqlmig (ledger in public) holds key("public"): a newer run that
    uses the same ledger must wait for it, and vice versa."""
    if legacy:
        legacy_ledger(project)
    else:
        project.add(1, "a", "CREATE TABLE a (id int);")
        project.apply()
    project.add(2, "b", "CREATE TABLE b (id int);")
    with psycopg.connect(project.url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (lock.key("public" if legacy else "sqlmig"),))
        r = project.cli("apply", "--lock-wait", "0")
        assert r.exit_code == 3 and "another sqlmig run holds the migration lock" in r.stderr
    assert not project.table_exists("public.b")
    assert project.cli("apply").exit_code == 0 and project.table_exists("public.b")


def test_the_documented_move_puts_everything_in_sqlmig_and_the_project_keeps_working(
        project, caplog):
    legacy_ledger(project)
    project.add(2, "b", "CREATE TABLE b (id int);", "DROP TABLE b;")
    project.apply()
    history_before = project.query("SELECT id, version, action FROM public.sqlmig_history"
                                   " ORDER BY id")
    audit_before = project.scalar("SELECT count(*) FROM public.sqlmig_audit")
    with psycopg.connect(project.url, autocommit=True) as conn:
        conn.execute(moving_sql())
    assert where_tables(project) == {"sqlmig": SQLMIG_TABLES}
    project.add(3, "c", "CREATE TABLE c (id int);", "DROP TABLE c;")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="sqlmig.ledger"):
        assert [m.version for m in project.apply().applied] == [3]
        assert [m.version for m in project.rollback(yes=True).rolled_back] == [3]
        assert project.status().current_version == 2
    assert not caplog.records
    assert where_tables(project) == {"sqlmig": SQLMIG_TABLES}
    # sqlmig's functions were made again, in sqlmig, by the first run after the move.
    assert set(project.query(
        "SELECT DISTINCT pronamespace::regnamespace::text FROM pg_proc"
        " WHERE proname LIKE 'sqlmig\\_%'")) == {("sqlmig",)}
    history = project.query("SELECT id, version, action FROM sqlmig.sqlmig_history ORDER BY id")
    assert history[:len(history_before)] == history_before
    assert [h[1:] for h in history[len(history_before):]] == [(3, "apply"), (3, "rollback")]
    assert history[-1][0] > history_before[-1][0]  # the identity sequence moved with its table
    assert project.scalar("SELECT count(*) FROM sqlmig.sqlmig_audit") == audit_before + 2
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
        project.query("DELETE FROM sqlmig.sqlmig_audit")  # the trigger moved too
    assert project.cli("history").exit_code == 0


def test_a_run_waiting_while_the_ledger_moves_changes_nothing(project):
    legacy_ledger(project)
    project.add(2, "b", "CREATE TABLE b (id int);")
    move = moving_sql().replace("COMMIT;", "")
    assert "BEGIN;" in move
    mover = psycopg.connect(project.url, autocommit=True)
    try:
        mover.execute(move)  # holds the legacy lock with the tables moved, uncommitted
        done: dict[str, object] = {}
        run = threading.Thread(target=lambda: done.update(r=project.run("apply")))
        run.start()
        deadline = time.monotonic() + 30
        while not project.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                 " AND NOT granted") and time.monotonic() < deadline:
            time.sleep(0.05)
        mover.execute("COMMIT")
        run.join(60)
    finally:
        mover.close()
    r = done["r"]
    assert r.returncode == 3, r.stderr
    assert 'the ledger moved from schema "public" to "sqlmig"' in r.stderr
    assert where_tables(project) == {"sqlmig": SQLMIG_TABLES}
    assert not project.table_exists("public.b")
    assert project.query("SELECT version FROM sqlmig.schema_migrations") == [(1,)]


def test_a_dba_created_schema_is_used_by_a_role_that_may_not_create_schemas(project, pg_server):
    import uuid

    role = f"sqlmig_owner_{uuid.uuid4().hex[:8]}"
    project.query(f"CREATE ROLE {role} LOGIN")
    try:
        db = project.scalar("SELECT current_database()")
        assert not project.scalar("SELECT has_database_privilege(%s, %s, 'CREATE')", (role, db))
        project.query(f'CREATE SCHEMA sqlmig AUTHORIZATION "{role}"')
        project.query(f"GRANT CREATE ON SCHEMA public TO {role}")
        url = pg_server.url(db).replace(f"user={pg_server.user}", f"user={role}")
        (project.root / "config" / "dev.yaml").write_text(f"database_url: '{url}'\n")
        project.add(1, "a", "CREATE TABLE a (id int);")
        r = project.cli("apply")
        assert r.exit_code == 0, r.output
        assert project.query("SELECT tableowner FROM pg_tables WHERE schemaname = 'sqlmig'"
                             " AND tablename = 'schema_migrations'") == [(role,)]
    finally:
        project.query(f"DROP OWNED BY {role}")
        project.query(f"DROP ROLE {role}")


def _apply_elsewhere(project) -> None:
    subprocess.run([sys.executable, "-c", f"import sqlmig; sqlmig.apply({str(project.root)!r})"],
                   check=True, capture_output=True)


def test_a_session_kept_open_sees_the_ledger_another_run_created(project):
    # The ledger's catalog probe is kept only for a complete ledger: a Session
    # held by a deploy script sees what other runs created since.
    project.add(1, "t", "CREATE TABLE t (id int);\n")
    with sqlmig.Session(project.root) as s:
        assert s.status().applied == []
        _apply_elsewhere(project)
        assert [m.version for m in s.status().applied] == [1]


def test_a_session_kept_open_reads_the_history_another_run_created(project):
    project.add(1, "t", "CREATE TABLE t (id int);\n")
    with sqlmig.Session(project.root) as s:
        assert s.history() == []
        _apply_elsewhere(project)
        assert [h.version for h in s.history()] == [1]


def test_a_session_kept_open_sees_no_false_drift_after_another_run_applied(project):
    from sqlmig.schema import drift

    project.add(1, "t", "CREATE TABLE t (id int);\n")
    with sqlmig.Session(project.root) as s:
        assert s.history() == []
        _apply_elsewhere(project)
        report = drift.detect(s)
        assert report.applied == [1] and report.differences == [], report.differences


def test_the_probe_knows_every_table_the_ledger_files_create(project):
    # The probe is kept only when every one of them exists: a table it does
    # not know of would keep it from ever being kept (slower, not wrong).
    from sqlmig.core.ledger import _ledger_tables

    project.add(1, "t", "CREATE TABLE t (id int);\n")
    project.apply()
    tables = {r[0] for r in project.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'sqlmig'")}
    assert tables == set(_ledger_tables())
