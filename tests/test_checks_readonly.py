"""Checks that really cannot write: refused before they run when they are more
than a query, run as a read-only role, stopped from another connection when
they outlive their timeout.  Every attack runs for real; the oracles are the
filesystem, pg_locks / pg_stat_activity seen from another connection, and row
counts read as the table's owner."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

import sqlmig
from sqlmig.checks.report import CheckReport
from sqlmig.errors import ConfigError

PASS = "SELECT 'PASS' AS status, 'p' AS name, 'fine' AS detail"
WRITER = "sqlmig_t_writer"  # owns the tables and functions the attacks aim at


def write_check(project, name: str, sql_text: str) -> Path:
    path = project.root / "sql" / "checks" / f"{name}.sql"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql_text, encoding="utf-8")
    return path


def by_check(report: CheckReport) -> dict[str, list[tuple[str, str, str]]]:
    return {c.check: [(r.status, r.name, r.detail) for r in c.results] for c in report.checks}


def create_role(url: str, statement: str) -> None:
    """Role names are server-wide: another test (or the lead's setup) may have made it."""
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            conn.execute(statement)
        except psycopg.errors.DuplicateObject:
            pass


@pytest.fixture
def checker(project) -> str:
    create_role(project.url, "CREATE ROLE sqlmig_checker NOLOGIN")
    project.query("GRANT pg_read_all_data TO sqlmig_checker")
    return "sqlmig_checker"


@pytest.fixture
def writer(project) -> str:
    """A role owning a table ``t`` with one row, in the test's database."""
    create_role(project.url, f"CREATE ROLE {WRITER} NOLOGIN")
    project.query(f"GRANT CREATE ON SCHEMA public TO {WRITER}")
    project.query(f"SET ROLE {WRITER}; CREATE TABLE t (id int); INSERT INTO t VALUES (1); "
                  "RESET ROLE")
    return WRITER


@pytest.fixture
def server_dir() -> Iterator[Path]:
    """A directory the server's OS user may write to (pytest's tmp_path is
    private to the test's user), so that the file oracle can see a write."""
    path = Path(tempfile.mkdtemp(prefix="sqlmig-t-"))
    path.chmod(0o777)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def rows_as_owner(project) -> int:
    with psycopg.connect(project.url, autocommit=True) as conn:
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(WRITER)))
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]


def error_of(report: CheckReport, name: str) -> str:
    (status, _, detail), = by_check(report)[name]
    assert status == "ERROR", detail
    return detail


# -- the role -------------------------------------------------------------------------------------------


def test_checks_run_as_the_read_only_role(project, checker):
    write_check(project, "who", "SELECT 'PASS' AS status, current_user AS name, "
                "session_user AS detail")
    report = sqlmig.check(project.root, jobs=2)
    # A superuser login becomes the role for the whole session (SET SESSION
    # AUTHORIZATION), so that a reset of the role cannot lead back to it.
    assert by_check(report)["who"] == [("PASS", "sqlmig_checker", "sqlmig_checker")]
    assert report.role == "sqlmig_checker"


def test_check_role_in_the_config_is_the_role(project, checker):
    create_role(project.url, "CREATE ROLE sqlmig_t_reader NOLOGIN")
    project.query("GRANT pg_read_all_data TO sqlmig_t_reader")
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\ncheck_role: sqlmig_t_reader\n")
    write_check(project, "who", "SELECT 'PASS' AS status, current_user AS name, '' AS detail")
    assert by_check(sqlmig.check(project.root))["who"][0][1] == "sqlmig_t_reader"


@pytest.mark.parametrize(("role", "message"), [
    ("sqlmig_t_no_such_role", "check_role: role 'sqlmig_t_no_such_role' does not exist"),
    ("sqlmig_t_super", "check_role: 'sqlmig_t_super' is a superuser"),
])
def test_an_unusable_check_role_is_refused_before_any_check_runs(project, role, message):
    create_role(project.url, "CREATE ROLE sqlmig_t_super NOLOGIN SUPERUSER")
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\ncheck_role: {role}\n")
    write_check(project, "ok", PASS)
    result = project.cli("check", "--record")
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not project.table_exists("sqlmig.sqlmig_check_runs")


@pytest.fixture
def plain_login(project, pg_server) -> str:
    """A login that is no superuser and may SET ROLE to no read-only role."""
    create_role(project.url, "CREATE ROLE sqlmig_t_plain LOGIN")
    project.query("GRANT CONNECT ON DATABASE " + project.scalar("SELECT current_database()")
                  + " TO sqlmig_t_plain")
    return pg_server.url(project.scalar("SELECT current_database()")).replace(
        f"user={pg_server.user}", "user=sqlmig_t_plain")


def test_a_login_with_no_read_only_role_gets_a_warning(project, plain_login):
    write_check(project, "who", "SELECT 'PASS' AS status, current_user AS name, '' AS detail")
    report = sqlmig.check(project.root, database_url=plain_login)
    got = by_check(report)
    assert got["who"] == [("PASS", "sqlmig_t_plain", "")]
    (status, _, detail), = got["sqlmig/check_role"]
    assert status == "WARN" and "privileges of the login 'sqlmig_t_plain', which may write" in detail
    assert "CREATE ROLE sqlmig_checker NOLOGIN" in detail
    assert report.role == "sqlmig_t_plain"


def test_a_login_that_is_a_member_of_sqlmig_checker_runs_as_it(project, checker, plain_login):
    project.query("GRANT sqlmig_checker TO sqlmig_t_plain")
    try:
        write_check(project, "who", "SELECT 'PASS' AS status, current_user AS name, '' AS detail")
        report = sqlmig.check(project.root, database_url=plain_login)
        assert by_check(report) == {"who": [("PASS", "sqlmig_checker", "")]}
    finally:
        project.query("REVOKE sqlmig_checker FROM sqlmig_t_plain")


# -- refused before anything runs -------------------------------------------------------------------------


def test_copy_to_program_is_refused_and_no_command_runs(project, checker, server_dir):
    marker = server_dir / "copy_program_ran"
    write_check(project, "a_ok", PASS)
    write_check(project, "b_evil", f"-- sqlmig: description harmless\n\n"
                f"COPY (SELECT 1) TO PROGRAM 'touch {marker}'")
    write_check(project, "c_ok", PASS)
    report = sqlmig.check(project.root, jobs=1)
    assert not marker.exists()
    detail = error_of(report, "b_evil")
    assert detail.startswith("checks/b_evil.sql:3:1: COPY is not a query: a check may only read.")
    assert "Write it as one SELECT" in detail
    assert [by_check(report)[c][0][0] for c in ("a_ok", "c_ok")] == ["PASS", "PASS"]


def test_copy_to_a_server_file_is_refused_and_no_file_is_written(project, checker, server_dir):
    target = server_dir / "copied.csv"
    write_check(project, "evil", f"COPY (SELECT 'PASS' AS status) TO '{target}'")
    report = sqlmig.check(project.root)
    assert not target.exists()
    assert "COPY is not a query" in error_of(report, "evil")


@pytest.mark.parametrize(("query", "what"), [
    ("DO $$BEGIN PERFORM 1; END$$", "DO is not a query"),
    ("CALL some_procedure()", "CALL is not a query"),
    ("SET ROLE NONE", "SET ROLE is not a query"),
    ("RESET ROLE", "RESET ROLE is not a query"),
    ("SET SESSION AUTHORIZATION DEFAULT", "SET SESSION AUTHORIZATION is not a query"),
    ("INSERT INTO t VALUES (2) RETURNING 'PASS' AS status, '' AS name, '' AS detail",
     "INSERT is not a query"),
    (("WITH d AS (DELETE FROM t RETURNING id) SELECT 'PASS' AS status, '' AS name, "
      "'' AS detail FROM d"), "DELETE (a data-changing WITH query) is not a query"),
    ("SELECT 'PASS' AS status, '' AS name, '' AS detail INTO copy_of_t",
     "SELECT ... INTO is not a query"),
    ("SELECT 'PASS' AS status, '' AS name, '' AS detail FROM t FOR UPDATE",
     "row-locking clause"),
    ("SELECT 'PASS' AS status,\n       public.nextval('s')::text AS name, '' AS detail",
     "2:8: the function nextval() has effects"),
    ("SELECT 'PASS' AS status, '' AS name, pg_terminate_backend(1)::text AS detail",
     "pg_terminate_backend()"),
    ("SELECT 'PASS' AS status, '' AS name, lo_import('/etc/passwd')::text AS detail",
     "lo_import()"),
    ("SELECT 'PASS' AS status, '' AS name, set_config('work_mem', '1MB', false) AS detail",
     "set_config()"),
    ("SELECT 'PASS' AS status, '' AS name, set_config('role', 'postgres', true) AS detail",
     "set_config()"),
    ("SELECT 'PASS' AS status, '' AS name, txid_current()::text AS detail", "txid_current()"),
])
def test_more_than_a_query_is_refused_and_the_other_checks_run(project, checker, writer, query,
                                                                 what):
    project.query("CREATE SEQUENCE s")
    write_check(project, "a_ok", PASS)
    write_check(project, "b_refused", query)
    write_check(project, "c_ok", PASS)
    report = sqlmig.check(project.root, jobs=1)
    detail = error_of(report, "b_refused")
    assert detail.startswith("checks/b_refused.sql:") and what in detail, detail
    assert report.checks[1].error is not None and report.checks[1].error.line is not None
    assert [by_check(report)[c][0][0] for c in ("a_ok", "c_ok")] == ["PASS", "PASS"]
    assert rows_as_owner(project) == 1
    assert project.scalar("SELECT is_called FROM s") is False


def test_a_local_set_config_of_a_harmless_setting_is_allowed(project, checker):
    write_check(project, "tuned", "SELECT 'PASS' AS status, set_config('work_mem', '8MB', true) "
                "AS name, '' AS detail")
    assert by_check(sqlmig.check(project.root))["tuned"] == [("PASS", "8MB", "")]


def test_a_check_cannot_take_back_the_login_with_set_config_role(project, checker):
    """SET ROLE asks whether the *session* user may become the role: a check
    allowed to call set_config('role', ...) would be the superuser again."""
    write_check(project, "a_escape", "SELECT 'PASS' AS status, set_config('role', "
                "session_user, false) AS name, '' AS detail")
    write_check(project, "b_who", "SELECT 'PASS' AS status, current_user AS name, '' AS detail")
    report = sqlmig.check(project.root, jobs=1)
    assert "set_config()" in error_of(report, "a_escape")
    assert by_check(report)["b_who"] == [("PASS", "sqlmig_checker", "")]


def test_pg_advisory_lock_is_refused_and_no_lock_is_ever_held(project, checker):
    write_check(project, "a_lock", "SELECT 'PASS' AS status, 'x' AS name, "
                "pg_advisory_lock(4242)::text AS detail")
    write_check(project, "b_wait", "SELECT 'PASS' AS status, 'x' AS name, pg_sleep(1)::text "
                "AS detail")
    seen: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        with psycopg.connect(project.url, autocommit=True) as conn:
            while not stop.is_set():
                seen.append(conn.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                ).fetchone()[0])
                time.sleep(0.05)

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        report = sqlmig.check(project.root, jobs=1)
    finally:
        stop.set()
        thread.join()
    assert "pg_advisory_lock() has effects" in error_of(report, "a_lock")
    assert by_check(report)["b_wait"][0][0] == "PASS"
    assert len(seen) > 5 and max(seen) == 0


# -- what static analysis cannot see: the role refuses it ----------------------------------------------------


@pytest.fixture
def dblink(project, pg_server) -> str:
    """The connection string a dblink call in the test's database would use."""
    available = project.scalar("SELECT count(*) FROM pg_available_extensions WHERE name = 'dblink'")
    if not available:
        pytest.skip("this PostgreSQL does not ship the dblink extension")
    project.query("CREATE EXTENSION dblink")
    return (f"host={pg_server.host} port={pg_server.port} user={pg_server.user} "
            f"dbname={project.scalar('SELECT current_database()')}")


def test_dblink_exec_is_refused_and_writes_nothing(project, checker, writer, dblink):
    write_check(project, "evil", "SELECT 'PASS' AS status, 'x' AS name, "
                f"dblink_exec('{dblink}', 'INSERT INTO t VALUES (2)') AS detail")
    report = sqlmig.check(project.root)
    assert "dblink_exec() has effects" in error_of(report, "evil")
    assert rows_as_owner(project) == 1


def test_a_function_writing_through_dblink_is_refused_by_the_role(project, checker, writer,
                                                                    dblink):
    """The check only calls ``sneaky()``: static analysis sees nothing; the
    function reaches a second session (not read-only) through dblink, which
    refuses a role that is no superuser and gave no password."""
    project.query(f"""SET ROLE {WRITER};
        CREATE FUNCTION sneaky() RETURNS text LANGUAGE plpgsql SECURITY INVOKER AS $f$
        BEGIN RETURN dblink_exec('{dblink}', 'INSERT INTO t VALUES (2)'); END $f$;
        RESET ROLE""")
    write_check(project, "innocent", "SELECT 'PASS' AS status, 'x' AS name, sneaky() AS detail")
    report = sqlmig.check(project.root)
    detail = error_of(report, "innocent")
    assert "password" in detail and "required" in detail, detail
    assert rows_as_owner(project) == 1


def test_a_security_invoker_function_that_inserts_writes_nothing(project, checker, writer):
    project.query(f"""SET ROLE {WRITER};
        CREATE FUNCTION add_row() RETURNS text LANGUAGE plpgsql SECURITY INVOKER AS $f$
        BEGIN INSERT INTO t VALUES (2); RETURN 'inserted'; END $f$;
        RESET ROLE""")
    write_check(project, "innocent", "SELECT 'PASS' AS status, 'x' AS name, add_row() AS detail")
    report = sqlmig.check(project.root)
    detail = error_of(report, "innocent")
    # The READ ONLY transaction refuses it first (the role is tested below).
    assert "cannot execute INSERT in a read-only transaction" in detail, detail
    assert rows_as_owner(project) == 1


def test_a_function_that_resets_the_role_cannot_reach_the_superuser(project, checker, writer,
                                                                     server_dir):
    """A function the check calls drops the read-only role (which no analysis of
    the check's text can see) and tries COPY TO PROGRAM: with a superuser login
    the checks run under SET SESSION AUTHORIZATION, so the reset lands on the
    read-only role, and the server refuses the COPY."""
    marker = server_dir / "escaped"
    body = ("BEGIN PERFORM set_config('role', 'none', false); "
            f"EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch {marker}'''; "
            "RETURN current_user; END")
    project.query(f"SET ROLE {WRITER}; CREATE FUNCTION escape() RETURNS text LANGUAGE plpgsql"
                  f" SECURITY INVOKER AS $f${body}$f$; RESET ROLE")
    assert project.scalar("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
    write_check(project, "a_escape", "SELECT 'PASS' AS status, escape() AS name, '' AS detail")
    write_check(project, "b_who", "SELECT 'PASS' AS status, current_user::text AS name,"
                " session_user::text AS detail")
    report = sqlmig.check(project.root, jobs=1)
    assert not marker.exists()
    detail = error_of(report, "a_escape")
    assert "permission denied" in detail or "must be superuser" in detail, detail
    assert by_check(report)["b_who"] == [("PASS", "sqlmig_checker", "sqlmig_checker")]


def test_a_check_whose_function_switches_the_session_back_is_an_error(project, checker, writer):
    """What remains open to a function with a superuser login: resetting the
    session authorization itself.  sqlmig sees it and reports the check ERROR."""
    login = project.scalar("SELECT session_user")
    body = f"BEGIN PERFORM set_config('session_authorization', '{login}', false); RETURN 'PASS'; END"
    project.query(f"CREATE FUNCTION back_home() RETURNS text LANGUAGE plpgsql AS $f${body}$f$")
    write_check(project, "sneaky", "SELECT back_home() AS status, 'x' AS name, '' AS detail")
    report = sqlmig.check(project.root, jobs=1)
    assert "changed who it runs as" in error_of(report, "sneaky")


def test_a_security_definer_function_without_execute_for_public_is_denied(project, checker,
                                                                           writer):
    project.query(f"""SET ROLE {WRITER};
        CREATE FUNCTION definer_add() RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
        BEGIN INSERT INTO t VALUES (2); RETURN 'inserted'; END $f$;
        REVOKE EXECUTE ON FUNCTION definer_add() FROM PUBLIC;
        RESET ROLE""")
    write_check(project, "innocent", "SELECT 'PASS' AS status, 'x' AS name, definer_add() AS detail")
    report = sqlmig.check(project.root)
    detail = error_of(report, "innocent")
    assert "permission denied for function definer_add" in detail and "(42501)" in detail
    assert rows_as_owner(project) == 1


# -- the watchdog -------------------------------------------------------------------------------------------


STUBBORN = f"""SET ROLE {WRITER};
CREATE FUNCTION stubborn(traps int) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE caught int := 0;
BEGIN
    FOR i IN 1..250 LOOP  -- 25 s unless stopped
        BEGIN
            PERFORM pg_sleep(0.1);
        EXCEPTION WHEN query_canceled THEN
            caught := caught + 1;
            IF caught > traps THEN RAISE; END IF;
        END;
    END LOOP;
    RETURN 'finished';
END $f$;
RESET ROLE"""


def _backends_running(url: str, needle: str) -> list[int]:
    with psycopg.connect(url, autocommit=True) as conn:
        return [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE query LIKE %s AND pid <> pg_backend_pid()",
            (f"%{needle}%",))]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_check_that_traps_its_timeout_is_terminated_after_the_grace(project, checker, writer,
                                                                       jobs):
    """timeout 1 s, grace max(1 s, 25 %) = 1 s: cancelled at 2 s (trapped too),
    terminated at 3 s; the other checks still run (jobs=1: on a new connection)."""
    project.query(STUBBORN)
    write_check(project, "a_stubborn", "-- sqlmig: timeout 1s\nSELECT 'PASS' AS status, 'x' AS "
                "name, stubborn(1000) AS detail")
    write_check(project, "b_after", PASS)
    write_check(project, "c_after", PASS)
    gone_at: list[float] = []
    started = time.monotonic()

    def observe() -> None:
        pids: list[int] = []
        while time.monotonic() - started < 20:
            now = _backends_running(project.url, "stubborn(1000)")
            pids = pids or now
            if pids and not set(pids) & set(now):
                gone_at.append(time.monotonic() - started)
                return
            time.sleep(0.05)

    thread = threading.Thread(target=observe)
    thread.start()
    report = sqlmig.check(project.root, jobs=jobs)
    elapsed = time.monotonic() - started
    thread.join()
    detail = error_of(report, "a_stubborn")
    assert "ran longer than its timeout (1 s) and was cancelled and then terminated" in detail
    assert "grace of 1 s" in detail
    assert 2.8 < elapsed < 8, elapsed
    assert gone_at and 2.8 < gone_at[0] < 6 and gone_at[0] <= elapsed + 0.1
    assert [by_check(report)[c][0][0] for c in ("b_after", "c_after")] == ["PASS", "PASS"]


def test_a_check_that_traps_only_the_timeout_is_cancelled_and_the_connection_kept(
        project, checker, writer):
    project.query(STUBBORN)
    write_check(project, "a_stubborn", "-- sqlmig: timeout 1s\nSELECT 'PASS' AS status, 'x' AS "
                "name, stubborn(1) AS detail, pg_backend_pid() AS pid")
    write_check(project, "b_after", "SELECT 'PASS' AS status, 'x' AS name, '' AS detail, "
                "pg_backend_pid() AS pid")
    started = time.monotonic()
    report = sqlmig.check(project.root, jobs=1)
    elapsed = time.monotonic() - started
    detail = error_of(report, "a_stubborn")
    assert "ran longer than its timeout (1 s) and was cancelled by sqlmig's watchdog" in detail
    assert "terminated" not in detail
    assert 1.8 < elapsed < 6, elapsed
    assert by_check(report)["b_after"][0][0] == "PASS"
    assert report.jobs == 1


def test_a_superuser_login_without_a_read_only_role_is_refused(project, monkeypatch):
    """Stands in for PostgreSQL 13 (no pg_read_all_data) by naming no candidate
    the server has: sqlmig must not fall back to running checks as superuser."""
    from sqlmig.checks import role

    monkeypatch.setattr(role, "DEFAULT_ROLES", ("sqlmig_t_absent_1", "sqlmig_t_absent_2"))
    write_check(project, "ok", PASS)
    with pytest.raises(ConfigError) as info:
        sqlmig.check(project.root)
    assert "is a superuser and there is no read-only role" in str(info.value)
    assert "CREATE ROLE sqlmig_checker NOLOGIN; GRANT pg_read_all_data TO sqlmig_checker" in \
        str(info.value)
