"""Approvals: bound to the exact plan, four-eyes by server identity, expiry
at approval_ttl by the server's clock, used once.  Two real login roles with
passwords and the capacities `sqlmig access grant` gives them; the passwords
must never show up anywhere."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta, timezone

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

import sqlmig
from sqlmig import api

UTC = timezone.utc


class Roles:
    def __init__(self, project):
        self.project = project
        tag = uuid.uuid4().hex[:8]
        self.names = (f"sqlmig_req_{tag}", f"sqlmig_apr_{tag}")
        self.passwords = (f"pw-Req-{uuid.uuid4().hex}", f"pw-Apr-{uuid.uuid4().hex}")
        dbname = conninfo_to_dict(project.url)["dbname"]
        for name, pw in zip(self.names, self.passwords):
            with psycopg.connect(project.url, autocommit=True) as conn:
                conn.execute(psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    psycopg.sql.Identifier(name), psycopg.sql.Literal(pw)))
                conn.execute(psycopg.sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    psycopg.sql.Identifier(dbname), psycopg.sql.Identifier(name)))
        params = conninfo_to_dict(project.url)
        self.urls = tuple(
            make_conninfo("", **{**params, "user": name, "password": pw})
            for name, pw in zip(self.names, self.passwords)
        )

    def grant(self, env="prod"):
        """After the ledger exists: a superuser governs it (`sqlmig access setup`),
        the requester becomes a deployer, the approver an approver."""
        root = self.project.root
        api.access_setup(root, env, self.project.url)
        api.access_grant(self.names[0], "deployer", root, env, self.project.url)
        api.access_grant(self.names[1], "approver", root, env, self.project.url)
        self.project.query(f"GRANT USAGE, CREATE ON SCHEMA public TO {self.names[0]}")

    @property
    def requester(self):
        return self.urls[0]

    @property
    def approver(self):
        return self.urls[1]

    def drop(self):
        for name in self.names:
            self.project.query(f"DROP OWNED BY {name}")
            self.project.query(f"DROP ROLE {name}")


def closed_window(project) -> str:
    """A maintenance window that is closed now, by the server's clock."""
    now = project.scalar("SELECT clock_timestamp()").astimezone(UTC)
    return f"{now + timedelta(days=3):%a} 02:00-03:00 UTC"


@pytest.fixture
def prod(project, request):
    """`prod` requires approvals; ``@pytest.mark.prod(ttl=..., closed=True)``
    shortens the approval_ttl or adds a maintenance window that is closed now."""
    marker = request.node.get_closest_marker("prod")
    opts = marker.kwargs if marker else {}
    window = f"maintenance_window: {closed_window(project)}\n" if opts.get("closed") else ""
    (project.root / "config" / "prod.yaml").write_text(
        f"database_url: '{project.url}'\napproval: required\n"
        f"approval_ttl: {opts.get('ttl', '2h')}\n{window}")
    project.add(1, "base", "CREATE TABLE accounts (id int PRIMARY KEY, phone text);",
                "DROP TABLE accounts;")
    sqlmig.apply(project.root, "dev")  # creates the ledger; dev has no policies
    project.add(2, "drop_phone", "ALTER TABLE accounts DROP COLUMN phone;",
                "ALTER TABLE accounts ADD COLUMN phone text;")
    return project


@pytest.fixture
def roles(prod):
    r = Roles(prod)
    r.grant()
    yield r
    r.drop()


def request(project, url, **kw):
    return sqlmig.request(project.root, "prod", url, **kw)


def approve(project, url, rid, **kw):
    return sqlmig.approve(rid, project.root, "prod", url, **kw)


def apply(project, **kw):
    return sqlmig.apply(project.root, "prod", **kw)


def wait_past(project, instant):
    """Until the server's clock is past ``instant``."""
    while project.scalar("SELECT clock_timestamp() > %s", (instant,)) is not True:
        time.sleep(0.1)


def assert_no_passwords(project, roles, *texts):
    dumped = "\n".join(str(t) for t in texts)
    for table in ("sqlmig_audit", "sqlmig_approvals", "schema_migrations", "sqlmig_history"):
        dumped += "\n".join(str(row) for row in project.query(f"SELECT * FROM sqlmig.{table}"))
    for pw in roles.passwords:
        assert pw not in dumped


def test_request_records_plan_identity_and_risk(prod, roles):
    req = request(prod, roles.requester, reason="drop the unused phone column")
    assert req.state == "pending" and req.versions == [2]
    assert req.requested_by == roles.names[0] and req.requested_os_user
    assert req.plan["steps"][0]["checksum"] == sqlmig.Project(prod.root).by_version()[2].up.checksum
    assert len(req.plan_hash) == 64
    # The risk assessment is sqlmig lint's findings, linted with this database's sizes.
    (risk,) = [r for r in req.risk if r["kind"] == "destructive"]
    assert risk["rule"] == "drop-column" and risk["table"] == "accounts"
    assert risk["file"] == "migrations/0002_drop_phone.sql" and risk["line"] == 1
    assert risk["estimated_rows"] is not None and risk["size_bytes"] > 0
    assert {r["rule"] for r in req.risk} >= {"drop-column", "missing-lock-timeout"}
    assert all(r["version"] == 2 for r in req.risk)
    assert req.expires_at - req.requested_at == timedelta(hours=2)  # the server's now()


def test_apply_without_approval_is_refused(prod, roles):
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        apply(prod)
    assert info.value.policy == "approval" and "nobody requested it" in info.value.message
    request(prod, roles.requester)
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        apply(prod)
    assert "is still pending" in info.value.message
    assert prod.ledger_versions() == [1]


def test_requester_cannot_approve_own_request(prod, roles):
    req = request(prod, roles.requester)
    r = prod.cli("approve", str(req.id), "--env", "prod", "--database-url", roles.requester)
    assert r.exit_code == 3
    assert "four-eyes" in r.stderr and roles.names[0] in r.stderr
    assert prod.scalar("SELECT state FROM sqlmig.sqlmig_approvals WHERE id = %s", (req.id,)) == "pending"
    assert prod.query("SELECT action, outcome, db_user FROM sqlmig.sqlmig_audit ORDER BY id")[-1] == (
        "approve", "refused", roles.names[0])
    assert_no_passwords(prod, roles, r.stdout, r.stderr)


def test_approved_plan_applies_once_through_the_cli(prod, roles):
    r = prod.cli("request", "--env", "prod", "--database-url", roles.requester, "--reason", "x")
    assert r.exit_code == 0 and "request #1 [pending]" in r.stdout
    assert "destructive: DROP COLUMN accounts.phone destroys its data" in r.stdout
    r2 = prod.cli("approve", "1", "--env", "prod", "--database-url", roles.approver,
                  "--comment", "reviewed")
    assert r2.exit_code == 0 and "approved" in r2.stdout
    r3 = prod.cli("apply", "--env", "prod")
    assert r3.exit_code == 0, r3.stderr
    assert prod.ledger_versions() == [1, 2]
    row = prod.query("SELECT state, decided_by, used_at >= decided_at FROM"
                     " sqlmig.sqlmig_approvals WHERE id = 1")[0]
    assert row == ("used", roles.names[1], True)
    assert prod.query("SELECT action, outcome, request_id, versions::bigint[] FROM sqlmig.sqlmig_audit"
                      " WHERE action = 'apply' AND env = 'prod'") == [("apply", "ok", 1, [2])]
    # Used once: rolling back needs its own approval.
    r4 = prod.cli("rollback", "--env", "prod")
    assert r4.exit_code == 3 and "requires an approval" in r4.stderr
    assert_no_passwords(prod, roles, r.stdout, r2.stdout, r3.stdout, r3.stderr, r4.stderr)


def test_approval_for_plan_a_does_not_authorize_plan_b(prod, roles):
    req = request(prod, roles.requester)
    approve(prod, roles.approver, req.id)
    prod.add(3, "more", "CREATE TABLE more (id int);")
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        apply(prod)
    assert f"approval #{req.id} is for a different plan (versions 2" in info.value.message
    assert prod.ledger_versions() == [1]
    # Only up to the approved version is exactly the approved plan.
    assert [m.version for m in apply(prod, to=2).applied] == [2]


def test_changed_file_after_approval_is_refused(prod, roles):
    req = request(prod, roles.requester)
    approve(prod, roles.approver, req.id)
    prod.add(2, "drop_phone", "ALTER TABLE accounts DROP COLUMN phone CASCADE;",
             "ALTER TABLE accounts ADD COLUMN phone text;")
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        apply(prod)
    assert "different plan" in info.value.message
    assert prod.ledger_versions() == [1]


@pytest.mark.prod(ttl="4s")
def test_an_approval_is_valid_until_its_ttl_on_the_servers_clock(prod, roles):
    req = request(prod, roles.requester)
    approved = approve(prod, roles.approver, req.id)
    assert approved.expires_at - approved.decided_at == timedelta(seconds=4)
    assert [m.version for m in apply(prod, yes=True).applied] == [2]


@pytest.mark.prod(ttl="2s")
def test_an_approval_past_its_ttl_is_expired(prod, roles):
    req = request(prod, roles.requester)
    approved = approve(prod, roles.approver, req.id)
    wait_past(prod, approved.expires_at)
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        apply(prod)
    assert f"request #{req.id} expired at {approved.expires_at:%Y-%m-%d %H:%M}" in info.value.message
    assert prod.scalar("SELECT state FROM sqlmig.sqlmig_approvals") == "expired"
    assert prod.ledger_versions() == [1]


@pytest.mark.prod(ttl="2s")
def test_stale_pending_request_is_marked_expired_and_cannot_be_approved(prod, roles):
    req = request(prod, roles.requester)
    wait_past(prod, req.expires_at)
    r = prod.cli("approvals", "--env", "prod")
    assert f"#{req.id}  expired" in r.stdout
    approve_cli = prod.cli("approve", str(req.id), "--env", "prod",
                           "--database-url", roles.approver)
    assert approve_cli.exit_code == 3 and "it is expired" in approve_cli.stderr
    assert prod.scalar("SELECT count(*) FROM sqlmig.sqlmig_approvals") == 1  # nothing deleted


def test_rejected_request_cannot_be_used(prod, roles):
    req = request(prod, roles.requester)
    approve(prod, roles.approver, req.id)
    sqlmig.reject(req.id, prod.root, "prod", roles.approver, comment="not tonight")
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        apply(prod)
    assert "was rejected by " + roles.names[1] in info.value.message


def test_approvals_lists_every_state(prod, roles):
    a = request(prod, roles.requester)
    approve(prod, roles.approver, a.id)
    apply(prod)  # a: used
    prod.add(3, "c", "CREATE TABLE c (id int);", "DROP TABLE c;")
    b = request(prod, roles.requester)
    sqlmig.reject(b.id, prod.root, "prod", roles.approver)
    c = request(prod, roles.requester)
    approve(prod, roles.approver, c.id)
    request(prod, roles.requester)
    states = {r.id: r.state for r in sqlmig.approvals(prod.root, "prod")}
    r = prod.cli("approvals", "--env", "prod", "--json")
    assert states == {1: "used", 2: "rejected", 3: "approved", 4: "pending"}
    assert '"state": "used"' in r.stdout


def test_rollback_request_and_approval(prod, roles):
    req = request(prod, roles.requester)
    approve(prod, roles.approver, req.id)
    apply(prod)
    rb = request(prod, roles.requester, rollback=True)
    assert rb.direction == "down" and rb.versions == [2]
    # The rollback file is assessed too: an ALTER TABLE on an existing table.
    assert any(r["kind"] == "lock" and r["table"] == "accounts"
               and r["file"] == "rollbacks/0002_drop_phone.sql" for r in rb.risk)
    approve(prod, roles.approver, rb.id)
    result = sqlmig.rollback(prod.root, "prod")
    assert [m.version for m in result.rolled_back] == [2]


@pytest.mark.prod(closed=True)
def test_emergency_still_needs_the_approval(prod, roles):
    r = prod.cli("apply", "--env", "prod", "--emergency", "--reason", "incident 4711")
    assert r.exit_code == 3 and "requires an approval" in r.stderr
    req = request(prod, roles.requester)
    approve(prod, roles.approver, req.id)
    r = prod.cli("apply", "--env", "prod", "--emergency", "--reason", "incident 4711")
    assert r.exit_code == 0, r.stderr
    assert prod.query("SELECT action, outcome, emergency, reason, request_id FROM sqlmig.sqlmig_audit"
                      " WHERE action IN ('override', 'apply') AND env = 'prod' ORDER BY id") == [
        ("override", "ok", True, "incident 4711", None),  # refused run: override noted...
        ("apply", "refused", True, "incident 4711", None),  # ...then refused for approval
        ("override", "ok", True, "incident 4711", None),
        ("apply", "ok", True, "incident 4711", req.id),
    ]


def test_request_with_nothing_pending_is_a_usage_error(prod, roles):
    req = request(prod, roles.requester)
    approve(prod, roles.approver, req.id)
    apply(prod)
    r = prod.cli("request", "--env", "prod", "--database-url", roles.requester)
    assert r.exit_code == 2 and "nothing to request" in r.stderr


def test_unknown_request_id(prod, roles):
    r = prod.cli("approve", "99", "--env", "prod", "--database-url", roles.approver)
    assert r.exit_code == 2 and "no approval request #99" in r.stderr
