"""Governance the database enforces: each attack of the red team, run as the
attacker's own login role (scram password) with exactly the grants `sqlmig
access` gives, against a real server.  The oracle is the server: the
attacker's SQL is refused, or the rows it leaves are read back as the
superuser.  None of these go through sqlmig's client only."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

import sqlmig
from sqlmig.core import clock
from sqlmig.errors import PolicyRefusal

UTC = timezone.utc
PROD = (
    "approval: required\napproval_ttl: 3h\nauto_apply: false\naccess: enforced\n"
    "maintenance_window: daily 00:00-23:59 UTC\n"
)


class Login:
    """A login role with a password, and its URL."""

    def __init__(self, project, capacity: str | None) -> None:
        self.name = f"gov_{capacity or 'nobody'}_{uuid.uuid4().hex[:6]}"
        self.password = f"pw-{uuid.uuid4().hex}"
        self.capacity = capacity
        params = conninfo_to_dict(project.url)
        with psycopg.connect(project.url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(self.name), sql.Literal(self.password)))
            conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(params["dbname"]), sql.Identifier(self.name)))
            # What the application's migrations need: DDL in public.
            conn.execute(sql.SQL("GRANT USAGE, CREATE ON SCHEMA public TO {}").format(
                sql.Identifier(self.name)))
        self.url = make_conninfo("", **{**params, "user": self.name, "password": self.password})

    def execute(self, query: str, params=None):
        with psycopg.connect(self.url, autocommit=True) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else None


def governed(project, policy: str):
    """A production-like environment on a governed ledger: alice deploys,
    bob approves, mallory is another deployer; the superuser set it up."""
    (project.root / "config" / "prod.yaml").write_text(f"database_url: '{project.url}'\n" + policy)
    project.add(1, "accounts", "CREATE TABLE accounts (id int PRIMARY KEY, phone text);",
                "DROP TABLE accounts;")
    project.add(2, "drop_phone", "ALTER TABLE accounts DROP COLUMN phone;",
                "ALTER TABLE accounts ADD COLUMN phone text;")
    logins = {c: Login(project, c) for c in ("deployer", "approver", "mallory", "auditor")}
    project.logins = logins
    sqlmig.api.access_setup(project.root, "prod", project.url, watch_ddl=True)
    for who, login in logins.items():
        capacity = "deployer" if who == "mallory" else who
        sqlmig.api.access_grant(login.name, capacity, project.root, "prod", project.url)
    return project


def drop_logins(project):
    with psycopg.connect(project.url, autocommit=True) as conn:
        for login in getattr(project, "logins", {}).values():
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login.name)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login.name)))


@pytest.fixture
def gov(project):
    try:
        yield governed(project, PROD)
    finally:
        drop_logins(project)


def alice(p):
    return p.logins["deployer"]


def bob(p):
    return p.logins["approver"]


def mallory(p):
    return p.logins["mallory"]


def request(p, who=None):
    return sqlmig.api.request(p.root, "prod", (who or alice(p)).url, reason="release")


# -- the ledger is governed -------------------------------------------------------------


def test_setup_gives_everything_to_a_nologin_owner(gov):
    owners = gov.query(
        "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'sqlmig'")
    assert owners == [("sqlmig_owner",)]
    assert gov.scalar("SELECT pg_get_userbyid(nspowner) FROM pg_namespace"
                      " WHERE nspname = 'sqlmig'") == "sqlmig_owner"
    assert gov.scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'sqlmig_owner'") is False
    # Nobody but the owner may write any of sqlmig's tables directly.
    writable = gov.query(
        "SELECT c.relname, r.rolname FROM pg_class c JOIN pg_namespace n ON n.oid ="
        " c.relnamespace CROSS JOIN pg_roles r WHERE n.nspname = 'sqlmig' AND c.relkind = 'r'"
        " AND r.rolname <> 'sqlmig_owner' AND NOT r.rolsuper AND c.relname <> 'sqlmig_lock'"
        " AND r.rolname NOT IN ('pg_write_all_data', 'pg_database_owner')"
        " AND has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')")
    assert writable == []
    # Setup is idempotent and binds the database to the environment.
    sqlmig.api.access_setup(gov.root, "prod", gov.url)
    assert gov.scalar("SELECT name FROM sqlmig.sqlmig_environment") == "prod"


def test_a_login_without_a_capacity_may_not_act(gov):
    nobody = Login(gov, None)
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            nobody.execute("SELECT * FROM sqlmig.sqlmig_request('prod', 'up', %s, '{}', '[]',"
                           " NULL, NULL, NULL)", ("0" * 64,))
        with pytest.raises(sqlmig.SqlmigError) as info:
            sqlmig.api.request(gov.root, "prod", nobody.url)
        assert "sqlmig access grant" in str(info.value)
        assert nobody.password not in str(info.value)
    finally:
        gov.query(f"DROP OWNED BY {nobody.name}")
        gov.query(f"DROP ROLE {nobody.name}")


# -- four-eyes is not one UPDATE away ----------------------------------------------------


def test_requester_cannot_approve_her_own_request_with_an_update(gov):
    req = request(gov)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice(gov).execute("UPDATE sqlmig.sqlmig_approvals SET state = 'approved',"
                           " decided_by = %s WHERE id = %s", (bob(gov).name, req.id))
    assert gov.scalar("SELECT state FROM sqlmig.sqlmig_approvals WHERE id = %s",
                      (req.id,)) == "pending"
    with pytest.raises(PolicyRefusal):
        sqlmig.apply(gov.root, "prod", alice(gov).url, yes=True)
    assert not gov.table_exists("accounts")


def test_requester_cannot_approve_through_the_function(gov):
    req = request(gov)
    for who in (alice(gov), mallory(gov)):  # deployers, not approvers
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            who.execute("SELECT * FROM sqlmig.sqlmig_decide(%s, 'approved', NULL, NULL, NULL)",
                        (req.id,))
    assert gov.scalar("SELECT state FROM sqlmig.sqlmig_approvals WHERE id = %s",
                      (req.id,)) == "pending"


def test_a_forged_request_by_bob_is_recorded_as_alices(gov):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice(gov).execute(
            "INSERT INTO sqlmig.sqlmig_approvals (env, direction, plan_hash, plan, state,"
            " requested_at, requested_by, expires_at) VALUES ('prod', 'up', %s, '{}',"
            " 'pending', now(), %s, now() + interval '1 day')", ("a" * 64, bob(gov).name))
    # Through the function the requester is whoever is logged in, whatever is claimed.
    alice(gov).execute("SELECT sqlmig.sqlmig_request('prod', 'up', %s, '{}', '[]', NULL,"
                       " %s, interval '100 years')", ("a" * 64, bob(gov).name))
    who, ttl = gov.query("SELECT requested_by, expires_at - requested_at FROM"
                         " sqlmig.sqlmig_approvals ORDER BY id DESC LIMIT 1")[0]
    assert who == alice(gov).name
    assert ttl == timedelta(hours=3)  # the bound policy's approval_ttl, not 100 years


def test_even_the_owner_cannot_fake_four_eyes(gov):
    """The trigger holds for sqlmig_owner (here the superuser acting as it): an
    approval is recorded as the logged-in user's, whatever the UPDATE says, and
    what was requested never changes."""
    req = request(gov)
    gov.query("SET ROLE sqlmig_owner; UPDATE sqlmig.sqlmig_approvals SET"
              f" state = 'approved', decided_by = 'bob' WHERE id = {req.id}")
    assert gov.scalar("SELECT decided_by = session_user FROM sqlmig.sqlmig_approvals"
                      " WHERE id = %s", (req.id,)) is True
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        gov.query("SET ROLE sqlmig_owner; UPDATE sqlmig.sqlmig_approvals SET"
                  f" plan_hash = repeat('b', 64) WHERE id = {req.id}")
    # The requester, given the owner's rights, still cannot approve her own request.
    mine = request(gov)
    gov.query(f"GRANT sqlmig_owner TO {alice(gov).name}")
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as info:
            alice(gov).execute("SET ROLE sqlmig_owner; UPDATE sqlmig.sqlmig_approvals SET"
                               f" state = 'approved' WHERE id = {mine.id}")
        assert "four-eyes" in str(info.value)
    finally:
        gov.query(f"REVOKE sqlmig_owner FROM {alice(gov).name}")


def test_four_eyes_then_one_apply(gov):
    req = request(gov)
    approved = sqlmig.api.approve(req.id, gov.root, "prod", bob(gov).url)
    assert approved.state == "approved" and approved.decided_by == bob(gov).name
    sqlmig.apply(gov.root, "prod", alice(gov).url, yes=True)
    assert gov.table_exists("accounts")
    assert gov.scalar("SELECT state FROM sqlmig.sqlmig_approvals WHERE id = %s",
                      (req.id,)) == "used"
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        gov.query("SET ROLE sqlmig_owner; UPDATE sqlmig.sqlmig_approvals SET"
                  f" state = 'approved' WHERE id = {req.id}")


def test_editing_a_rollback_file_voids_the_apply_approval(gov):
    req = request(gov)
    sqlmig.api.approve(req.id, gov.root, "prod", bob(gov).url)
    gov.add(2, "drop_phone", "ALTER TABLE accounts DROP COLUMN phone;",
            "ALTER TABLE accounts ADD COLUMN phone text; DROP TABLE accounts;")
    with pytest.raises(PolicyRefusal) as info:
        sqlmig.apply(gov.root, "prod", alice(gov).url, yes=True)
    assert "different plan" in str(info.value)
    assert not gov.table_exists("accounts")


# -- the audit log cannot be forged or erased ---------------------------------------------


def test_audit_rows_get_the_servers_user_and_time(gov):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice(gov).execute("INSERT INTO sqlmig.sqlmig_audit (at, env, action, outcome, db_user)"
                           " VALUES ('2020-01-01', 'prod', 'apply', 'ok', %s)", (bob(gov).name,))
    before = gov.scalar("SELECT clock_timestamp()")
    alice(gov).execute("SELECT sqlmig.sqlmig_audit_append('prod', 'apply', 'ok', 'bob', NULL,"
                       " '{}', NULL, false, NULL, 'forged?', NULL, NULL, NULL)")
    at, user = gov.query("SELECT at, db_user FROM sqlmig.sqlmig_audit WHERE detail = 'forged?'")[0]
    assert user == alice(gov).name
    assert before <= at <= gov.scalar("SELECT clock_timestamp()")
    # Even the owner's INSERT is stamped by the server.
    gov.query("SET ROLE sqlmig_owner; INSERT INTO sqlmig.sqlmig_audit (at, env, action, outcome,"
              " db_user, detail) VALUES ('2020-01-01', 'prod', 'apply', 'ok', 'bob', 'owner')")
    at, user = gov.query("SELECT at, db_user FROM sqlmig.sqlmig_audit WHERE detail = 'owner'")[0]
    assert at.year != 2020 and user != "bob"


@pytest.mark.parametrize("statement", [
    "DELETE FROM sqlmig.sqlmig_audit",
    "UPDATE sqlmig.sqlmig_audit SET outcome = 'failed'",
    "TRUNCATE sqlmig.sqlmig_audit",
    "ALTER TABLE sqlmig.sqlmig_audit DISABLE TRIGGER USER",
    "SET ROLE sqlmig_owner",
])
def test_a_deployer_cannot_erase_the_audit_log(gov, statement):
    request(gov)
    n = gov.scalar("SELECT count(*) FROM sqlmig.sqlmig_audit")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice(gov).execute(statement)
    assert gov.scalar("SELECT count(*) FROM sqlmig.sqlmig_audit") == n


def test_ddl_on_sqlmigs_tables_is_reported_to_the_server_log(gov):
    """--watch-ddl: the superuser can still disable the triggers, but not unseen."""
    notices = []
    with psycopg.connect(gov.url, autocommit=True) as conn:
        conn.add_notice_handler(lambda d: notices.append(d.message_primary))
        conn.execute("SET client_min_messages = log")  # the LOG line, also sent to us
        conn.execute("ALTER TABLE sqlmig.sqlmig_audit DISABLE TRIGGER sqlmig_audit_no_truncate")
        conn.execute("ALTER TABLE sqlmig.sqlmig_audit ENABLE TRIGGER sqlmig_audit_no_truncate")
    assert any("sqlmig: ALTER TABLE on sqlmig's own object sqlmig.sqlmig_audit" in n
               for n in notices), notices


# -- time is the server's ------------------------------------------------------------------


def _closed_window_now(gov) -> tuple[str, datetime]:
    """A window that is closed at the server's now, and an instant inside it."""
    now = gov.scalar("SELECT clock_timestamp()").astimezone(UTC)
    day = now + timedelta(days=3)
    spec = f"{day:%a} 02:00-03:00 UTC"
    inside = day.replace(hour=2, minute=30, second=0, microsecond=0)
    return spec, inside


def test_a_frozen_client_clock_cannot_open_a_window(project):
    spec, inside = _closed_window_now(project)
    (project.root / "config" / "win.yaml").write_text(
        f"database_url: '{project.url}'\nmaintenance_window: {spec}\n")
    project.add(1, "a", "CREATE TABLE a (id int);")
    with clock.frozen(inside), pytest.raises(PolicyRefusal) as info:
        sqlmig.apply(project.root, "win")
    assert info.value.policy == "maintenance_window"
    assert not project.table_exists("a")
    # The refusal's own message tells the server's time, not the frozen one.
    assert f"{inside:%Y-%m-%d %H:%M}" not in str(info.value)


def test_a_window_closed_by_the_server_clock_refuses_even_when_bound(gov):
    """The bound policy is the one with the window; alice's weaker config loses."""
    spec, inside = _closed_window_now(gov)
    # Rebinding to a policy with the closed window needs an approval: bob gives it.
    cfg = gov.root / "config" / "prod.yaml"
    cfg.write_text(cfg.read_text().replace("daily 00:00-23:59 UTC", spec))
    req = sqlmig.api.bind_environment(gov.root, "prod", alice(gov).url, request=True)
    sqlmig.api.approve(req.id, gov.root, "prod", bob(gov).url)
    sqlmig.api.bind_environment(gov.root, "prod", alice(gov).url, request_id=req.id)
    assert spec in str(gov.scalar("SELECT policy FROM sqlmig.sqlmig_environment"))
    # Alice's own copy of the config drops the window: the binding still holds.
    cfg.write_text(f"database_url: '{gov.url}'\n" + PROD.replace(
        "maintenance_window: daily 00:00-23:59 UTC\n", ""))
    plan = request(gov)
    sqlmig.api.approve(plan.id, gov.root, "prod", bob(gov).url)
    with clock.frozen(inside), pytest.raises(PolicyRefusal) as info:
        sqlmig.apply(gov.root, "prod", alice(gov).url, yes=True)
    assert info.value.policy == "maintenance_window"
    assert not gov.table_exists("accounts")


def test_an_expired_approval_stays_expired_under_a_slow_client_clock(project):
    import time

    try:
        p = governed(project, PROD.replace("approval_ttl: 3h", "approval_ttl: 2s"))
        req = request(p)
        approved = sqlmig.api.approve(req.id, p.root, "prod", bob(p).url)
        time.sleep(2.5)  # past the approval's expiry, on the server's clock
        with clock.frozen(approved.decided_at), pytest.raises(PolicyRefusal) as info:
            sqlmig.apply(p.root, "prod", alice(p).url, yes=True)
        assert "expired" in str(info.value)
        assert p.scalar("SELECT state FROM sqlmig.sqlmig_approvals WHERE id = %s",
                        (req.id,)) == "expired"
        assert not p.table_exists("accounts")
        # Nor can the owner extend it.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            p.query("SET ROLE sqlmig_owner; UPDATE sqlmig.sqlmig_approvals SET state ="
                    f" 'approved', expires_at = now() + interval '1 day' WHERE id = {req.id}")
    finally:
        drop_logins(project)


def test_a_fast_client_clock_does_not_expire_other_requests(gov):
    req = request(gov)
    with clock.frozen(datetime.now(UTC) + timedelta(days=30)):
        sqlmig.api.approvals(gov.root, "prod", mallory(gov).url)
        request(gov, mallory(gov))
    assert gov.scalar("SELECT state FROM sqlmig.sqlmig_approvals WHERE id = %s",
                      (req.id,)) == "pending"


# -- the environment is the database's ------------------------------------------------------


def test_another_env_name_is_refused_naming_the_bound_one(gov):
    (gov.root / "config" / "dev.yaml").write_text(f"database_url: '{gov.url}'\n")
    r = gov.cli("apply", "--env", "dev", "--database-url", alice(gov).url)
    assert r.exit_code == 3, r.output
    assert "bound to environment 'prod'" in r.output
    assert alice(gov).password not in r.output
    assert not gov.table_exists("accounts")
    refused = gov.query("SELECT env, outcome, db_user FROM sqlmig.sqlmig_audit"
                        " ORDER BY id DESC LIMIT 1")[0]
    assert refused == ("dev", "refused", alice(gov).name)


def test_an_env_without_a_file_or_a_python_config_is_refused(gov):
    with pytest.raises(PolicyRefusal) as info:
        sqlmig.apply(gov.root, "scratchpad", alice(gov).url, yes=True)
    assert "bound to environment 'prod'" in str(info.value)
    with sqlmig.Session(gov.root, "prod", alice(gov).url) as s:
        cfg = s.config
    import dataclasses

    with pytest.raises(PolicyRefusal) as info:
        with sqlmig.Session(gov.root, config=dataclasses.replace(cfg, env="dev")) as s:
            s.apply(yes=True)
    assert info.value.policy == "environment"
    assert "bound to environment 'prod'" in str(info.value)
    assert not gov.table_exists("accounts")


def test_a_weaker_config_under_the_right_name_gets_the_bound_policy(gov):
    (gov.root / "config" / "prod.yaml").write_text(f"database_url: '{gov.url}'\n")
    with pytest.raises(PolicyRefusal) as info:
        sqlmig.apply(gov.root, "prod", alice(gov).url, yes=True)
    assert info.value.policy == "approval"
    assert not gov.table_exists("accounts")


def test_rebinding_directly_is_refused_by_the_server(gov):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice(gov).execute("UPDATE sqlmig.sqlmig_environment SET name = 'dev'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice(gov).execute("SELECT sqlmig.sqlmig_bind('dev', '{}', NULL, NULL)")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        gov.query("SET ROLE sqlmig_owner; UPDATE sqlmig.sqlmig_environment SET name = 'dev'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        gov.query("SET ROLE sqlmig_owner; DELETE FROM sqlmig.sqlmig_environment")
    assert gov.scalar("SELECT name FROM sqlmig.sqlmig_environment") == "prod"


def test_access_enforced_refuses_a_superuser_deploy(gov):
    req = request(gov)
    sqlmig.api.approve(req.id, gov.root, "prod", bob(gov).url)
    with pytest.raises(PolicyRefusal) as info:
        sqlmig.apply(gov.root, "prod", gov.url, yes=True)
    assert info.value.policy == "access" and "superuser" in str(info.value)
    assert not gov.table_exists("accounts")


def test_access_setup_dry_run_prints_the_sql_and_changes_nothing(project):
    r = project.cli("access", "setup", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "ALTER SCHEMA \"sqlmig\" OWNER TO sqlmig_owner" in r.stdout
    assert project.scalar("SELECT to_regnamespace('sqlmig')") is None


def test_access_show_lists_capacities(gov):
    r = gov.cli("access", "show", "--env", "prod", "--database-url", alice(gov).url)
    assert r.exit_code == 0, r.output
    assert "governed (owned by sqlmig_owner)" in r.stdout
    assert alice(gov).name in r.stdout and bob(gov).name in r.stdout


def test_access_setup_by_a_login_that_may_not_says_what_a_dba_must_run(project):
    login = Login(project, "deployer")
    try:
        project.query(f"GRANT CREATE ON DATABASE {project.scalar('SELECT current_database()')}"
                      f" TO {login.name}")
        r = project.cli("access", "setup", "--database-url", login.url)
        assert r.exit_code == 1, r.output
        assert "A superuser must run the statements below" in r.stderr
        assert "Traceback" not in r.output and login.password not in r.output
        # Nothing was changed: not even the ledger it would have created first.
        assert project.scalar("SELECT to_regnamespace('sqlmig')") is None
    finally:
        drop_logins(type("P", (), {"url": project.url, "logins": {"x": login}})())


# -- what the review of these tests asked for ----------------------------------------------


def test_an_owner_who_forges_the_binding_mark_is_still_audited(gov):
    """The `sqlmig.binding` mark is a setting anyone can set: the owner gets past
    the rule with it, but a trigger writes the change to the audit log."""
    n = gov.scalar("SELECT count(*) FROM sqlmig.sqlmig_audit WHERE action = 'bind'")
    gov.query("SET ROLE sqlmig_owner; SELECT set_config('sqlmig.binding', 'checked', false);"
              " UPDATE sqlmig.sqlmig_environment SET name = 'dev', policy = '{}'")
    rows = gov.query("SELECT env, db_user = session_user, detail FROM sqlmig.sqlmig_audit"
                     " WHERE action = 'bind' ORDER BY id")
    assert len(rows) == n + 1
    env, by_me, detail = rows[-1]
    assert (env, by_me) == ("dev", True)
    assert "(was 'prod')" in detail and "as sqlmig_owner" in detail


def test_binding_through_sqlmig_is_audited_once_with_its_reason(gov):
    req = sqlmig.api.bind_environment(gov.root, "staging", alice(gov).url, request=True,
                                      reason="repurposed")
    sqlmig.api.approve(req.id, gov.root, "prod", bob(gov).url)
    sqlmig.api.bind_environment(gov.root, "staging", alice(gov).url, request_id=req.id,
                                reason="repurposed")
    rows = gov.query("SELECT env, reason, request_id, detail FROM sqlmig.sqlmig_audit"
                     " WHERE action = 'bind' ORDER BY id")
    assert rows[-1][:3] == ("staging", "repurposed", req.id)
    assert "NOT through" not in rows[-1][3]
    assert [r[0] for r in rows] == ["prod", "staging"]  # setup's binding, then this one


@pytest.mark.parametrize("who", ["auditor", "approver"])
def test_capacities_are_separated_inside_the_functions(gov, who):
    """Every capacity may EXECUTE every function: the function itself refuses
    what the capacity may not do, and writes nothing."""
    login = gov.logins[who]
    before = gov.query("SELECT (SELECT count(*) FROM sqlmig.sqlmig_approvals),"
                       " (SELECT count(*) FROM sqlmig.schema_migrations),"
                       " (SELECT count(*) FROM sqlmig.sqlmig_audit)")
    for call in (
        "SELECT * FROM sqlmig.sqlmig_request('prod', 'up', repeat('a', 64), '{}', '[]', NULL,"
        " NULL, NULL)",
        "SELECT sqlmig.sqlmig_record('apply', 99, 'x', repeat('a', 64), NULL, NULL)",
        "SELECT * FROM sqlmig.sqlmig_bind('prod', '{}', NULL, NULL)",
        "SELECT sqlmig.sqlmig_audit_append('prod', 'apply', 'ok', NULL, NULL, '{}', NULL,"
        " false, NULL, 'forged', NULL, NULL, NULL)",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as info:
            login.execute(call)
        assert "may not act as deployer" in str(info.value), call
    after = gov.query("SELECT (SELECT count(*) FROM sqlmig.sqlmig_approvals),"
                      " (SELECT count(*) FROM sqlmig.schema_migrations),"
                      " (SELECT count(*) FROM sqlmig.sqlmig_audit)")
    assert after == before


def test_the_server_refuses_self_approval_by_a_login_with_both_capacities(gov):
    both = alice(gov)
    gov.query(f"GRANT sqlmig_approver TO {both.name}")
    req = request(gov)
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as info:
        both.execute("SELECT * FROM sqlmig.sqlmig_decide(%s, 'approved', NULL, NULL, NULL)",
                     (req.id,))
    assert "four-eyes" in str(info.value)
    assert gov.scalar("SELECT state FROM sqlmig.sqlmig_approvals WHERE id = %s",
                      (req.id,)) == "pending"


def test_an_approval_is_used_once_by_the_server(gov):
    req = request(gov)
    sqlmig.api.approve(req.id, gov.root, "prod", bob(gov).url)
    assert alice(gov).execute("SELECT id FROM sqlmig.sqlmig_use_approval(%s, %s)",
                              (req.id, req.plan_hash)) == [(req.id,)]
    assert alice(gov).execute("SELECT id FROM sqlmig.sqlmig_use_approval(%s, %s)",
                              (req.id, req.plan_hash)) == []
    assert gov.scalar("SELECT state FROM sqlmig.sqlmig_approvals WHERE id = %s",
                      (req.id,)) == "used"


def test_the_owners_forged_request_gets_the_servers_identity_and_ttl(gov):
    gov.query("SET ROLE sqlmig_owner; INSERT INTO sqlmig.sqlmig_approvals (env, direction,"
              " plan_hash, plan, state, requested_at, requested_by, expires_at) VALUES"
              " ('prod', 'up', repeat('c', 64), '{}', 'pending', '2020-01-01', 'bob',"
              " now() + interval '100 years')")
    by_me, age, ttl = gov.query(
        "SELECT requested_by = session_user, now() - requested_at < interval '1 minute',"
        " expires_at - requested_at FROM sqlmig.sqlmig_approvals WHERE plan_hash = repeat('c', 64)")[0]
    assert by_me and age and ttl == timedelta(hours=3)  # the bound approval_ttl
    with pytest.raises(psycopg.errors.CheckViolation):
        gov.query("SET ROLE sqlmig_owner; INSERT INTO sqlmig.sqlmig_approvals (env, direction,"
                  " plan_hash, plan, state, requested_at, expires_at) VALUES ('prod', 'up',"
                  " repeat('d', 64), '{}', 'approved', now(), now())")


def test_every_function_belongs_to_the_owner_and_none_to_public(gov):
    rows = gov.query(
        "SELECT p.proname, pg_get_userbyid(p.proowner),"
        " has_function_privilege('public', p.oid, 'EXECUTE')"
        " FROM pg_proc p WHERE p.pronamespace = 'sqlmig'::regnamespace")
    assert rows
    assert [r for r in rows if r[1] != "sqlmig_owner" or r[2]] == []


def test_granting_to_a_role_that_does_not_exist_is_a_usage_error(gov):
    r = gov.cli("access", "grant", "no_such_login_x", "--as", "deployer", "--env", "prod")
    assert r.exit_code == 2, r.output
    assert "no database role 'no_such_login_x'" in r.stderr and "CREATE ROLE" in r.stderr
    assert "Traceback" not in r.output
    r = gov.cli("access", "grant", alice(gov).name, "--as", "owner", "--env", "prod")
    assert r.exit_code == 2 and "'owner' is not one of" in r.stderr
    assert gov.scalar("SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                      " JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = 'sqlmig_owner'"
                      " AND u.rolname = %s", (alice(gov).name,)) == 0


def test_a_deployer_may_not_grant_capacities(gov):
    r = gov.cli("access", "grant", mallory(gov).name, "--as", "approver", "--env", "prod",
                "--database-url", alice(gov).url)
    assert r.exit_code == 1, r.output
    assert "A superuser must run: GRANT" in r.stderr and alice(gov).password not in r.output
    assert not gov.scalar("SELECT pg_has_role(%s, 'sqlmig_approver', 'MEMBER')",
                          (mallory(gov).name,))
