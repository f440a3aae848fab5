"""Approvals: a second person signs off on the exact plan before it runs.

A request records the plan (versions, names, file checksums) and its hash;
an approval is valid for that hash only, for ``approval_ttl``, once.
Identity is PostgreSQL's ``session_user``: the server authenticated it, so
nobody can approve their own request by typing another name.  Stored in
``sqlmig_approvals`` in the target database; rows are never deleted, stale
ones are marked ``expired`` whenever sqlmig touches the table.  Expiry is
compared with sqlmig's clock passed as a parameter, not the server's now().
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, PolicyRefusal
from ..core.ledger import os_user

if TYPE_CHECKING:
    import psycopg

    from ..core.planner import Plan
    from ..core.session import Session

TABLE = "sqlmig_approvals"
STATES = ("approved", "expired", "pending", "rejected", "used")


@dataclass(frozen=True)
class Risk:
    """One statement of the plan worth a reviewer's attention."""

    version: int
    file: str
    line: int
    kind: str  # lock | destructive | rewrite
    message: str
    table: str | None = None
    estimated_rows: int | None = None
    size_bytes: int | None = None
    rule: str | None = None  # the sqlmig lint rule that found it


@dataclass(frozen=True)
class Request:
    """A request to run one plan, and what became of it."""

    id: int
    env: str
    direction: str
    plan_hash: str
    plan: dict[str, Any]
    risk: list[dict[str, Any]]
    reason: str | None
    state: str  # pending | approved | rejected | expired | used
    requested_at: datetime
    requested_by: str
    requested_os_user: str | None
    decided_at: datetime | None
    decided_by: str | None
    decided_os_user: str | None
    comment: str | None
    expires_at: datetime
    used_at: datetime | None

    @property
    def versions(self) -> list[int]:
        return [int(s["version"]) for s in self.plan.get("steps", [])]


# -- the plan ------------------------------------------------------------------------


def plan_document(plan: Plan) -> dict[str, Any]:
    """What an approval covers: direction, and each file with its checksum."""
    return {
        "direction": plan.direction,
        "steps": [
            {"version": s.version, "name": s.name, "file": s.file.relpath,
             "checksum": s.file.checksum}
            for s in plan.steps
        ],
    }


def plan_hash(plan: Plan) -> str:
    """SHA-256 over the plan document: a changed file, an added or removed
    migration, or another direction gives another hash."""
    text = json.dumps(plan_document(plan), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assess(session: Session, plan: Plan) -> list[Risk]:
    """What a reviewer of ``plan`` must see: sqlmig lint's findings on its files,
    linted as one run with this database's table sizes.  Statements that take
    strong locks, rewrite or destroy data come first-class (kind ``lock``,
    ``rewrite``, ``destructive``, with the rows and bytes of the table they
    touch); every other finding is kept as ``lint <rule> (<severity>)``."""
    from ..linter import findings_for, statement_findings
    from ..linter.statements import REWRITES
    from ..linter.rules import RULES
    from ..core.files import Migration

    cat = session.lint_catalog()
    options: dict[str, Any] = {"project": session.project, "catalog": cat,
                               "env": session.config.env,
                               "env_lock_timeout": bool(session.config.lock_timeout)}
    if plan.direction == "up":
        # Project rules too (a missing or incomplete rollback matters to a reviewer).
        findings = findings_for([s.migration for s in plan.steps], **options).findings
    else:
        # A rollback plan's files, linted by the statement rules as if they ran forward.
        findings = statement_findings(
            [Migration(s.version, s.name, s.file, None) for s in plan.steps], **options)
    versions = {s.file.relpath: s.version for s in plan.steps}
    out: list[Risk] = []
    for f in findings:
        path = f.path.removeprefix("sql/")
        category = RULES[f.rule].category
        if category == "locking":
            kind = "rewrite" if f.rule in REWRITES else "lock"
        elif category == "destructive":
            kind = "destructive"
        else:
            kind = f"lint {f.rule} ({f.severity})"
        stats = cat.stats.get(f.table) if f.table else None
        out.append(Risk(versions.get(path, 0), path, f.line, kind, f.message, f.table,
                        max(stats.rows, 0) if stats else None,
                        stats.total_bytes if stats else None, f.rule))
    return out


# -- requests -----------------------------------------------------------------------


def request(session: Session, *, reason: str | None = None, to: int | None = None,
            rollback: bool = False, steps: int | None = None) -> Request:
    """Record a request for the plan ``apply`` (or, with ``rollback``, ``rollback``)
    would run now."""
    from . import policy

    with session.locked(), policy.Guard(session, "request") as guard:
        session.ledger.ensure(session.conn)
        the_plan = _rollback_plan(session, steps, to) if rollback else session.plan(to=to)
        if not the_plan.steps:
            raise ConfigError("nothing to request: the plan is empty "
                              f"({'nothing to roll back' if rollback else 'no pending migration'}).")
        guard.plan = the_plan
        now = session.clock()
        risk = assess(session, the_plan)
        _expire(session, now)
        req = _fetch_one(session, (
            "INSERT INTO {} (env, direction, plan_hash, plan, risk, reason, requested_at,"
            " requested_os_user, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " RETURNING *"), (
            session.config.env, the_plan.direction, plan_hash(the_plan),
            _json(plan_document(the_plan)), _json([_risk_dict(r) for r in risk]), reason, now,
            os_user(), now + _ttl(session)))
        guard.approval = req
        guard.detail = f"plan {req.plan_hash[:12]}" + (f": {reason}" if reason else "")
        return req


def approve(session: Session, request_id: int, comment: str | None = None) -> Request:
    """Approve a pending request as the current database user, who must not be
    the requester.  The approval is valid for ``approval_ttl`` from now."""
    return _decide(session, request_id, "approved", comment)


def reject(session: Session, request_id: int, comment: str | None = None) -> Request:
    """Reject a pending or approved (not yet used) request."""
    return _decide(session, request_id, "rejected", comment)


def _decide(session: Session, request_id: int, state: str, comment: str | None) -> Request:
    from . import policy

    action = "approve" if state == "approved" else "reject"
    with session.locked(), policy.Guard(session, action) as guard:
        session.ledger.ensure(session.conn)
        now = session.clock()
        _expire(session, now)
        req = get(session, request_id)
        guard.approval = req
        allowed = ("pending",) if state == "approved" else ("pending", "approved")
        if req.state not in allowed:
            raise PolicyRefusal(
                f"cannot {action} request #{req.id}: it is {req.state}"
                + (f" (expired {req.expires_at:%Y-%m-%d %H:%M %Z})" if req.state == "expired"
                   else "")
                + ". Ask for a new one with `sqlmig request`.",
                policy="approval",
            )
        me = _session_user(session.conn)
        if state == "approved" and me == req.requested_by:
            raise PolicyRefusal(
                f"cannot approve request #{req.id}: database user {me!r} made it, and an "
                "approval must come from a different database user (four-eyes). Ask a "
                "colleague to run `sqlmig approve` with their own credentials.",
                policy="four_eyes",
            )
        expires = now + _ttl(session) if state == "approved" else req.expires_at
        req = _fetch_one(session, (
            "UPDATE {} SET state = %s, decided_at = %s, decided_by = session_user,"
            " decided_os_user = %s, comment = %s, expires_at = %s WHERE id = %s RETURNING *"),
            (state, now, os_user(), comment, expires, req.id))
        guard.approval = req
        guard.versions = req.versions
        guard.detail = comment
        return req


def get(session: Session, request_id: int) -> Request:
    rows = _fetch(session, "SELECT * FROM {} WHERE id = %s", (request_id,))
    if not rows:
        raise ConfigError(f"no approval request #{request_id} (see `sqlmig approvals`).")
    return rows[0]


def requests(session: Session, state: str | None = None) -> list[Request]:
    """Every request of this environment, newest first (stale ones marked expired)."""
    if not _exists(session):
        return []
    _expire(session, session.clock())
    query = "SELECT * FROM {} WHERE env = %s"
    params: list[Any] = [session.config.env]
    if state is not None:
        query += " AND state = %s"
        params.append(state)
    return _fetch(session, query + " ORDER BY id DESC", params)


# -- used by the policy guard ---------------------------------------------------------


def find_valid(session: Session, plan: Plan, now: datetime) -> Request:
    """The unexpired approval of exactly ``plan``, or a refusal saying what is missing."""
    _expire(session, now)
    wanted = plan_hash(plan)
    env = session.config.env
    rows = _fetch(session, "SELECT * FROM {} WHERE env = %s AND direction = %s ORDER BY id DESC",
                  (env, plan.direction))
    for req in rows:
        if req.plan_hash == wanted and req.state == "approved":
            return req
    verb = "apply" if plan.direction == "up" else "rollback"
    versions = ", ".join(str(s.version) for s in plan.steps)
    head = (f"environment {env!r} requires an approval (approval: required), and this {verb} "
            f"plan (versions {versions}, hash {wanted[:12]}) has no valid one: ")
    same = [r for r in rows if r.plan_hash == wanted]
    if same:
        r = same[0]
        why = {
            "pending": f"request #{r.id} is still pending: another database user must run "
                       f"`sqlmig approve {r.id}`",
            "expired": f"request #{r.id} expired at {r.expires_at:%Y-%m-%d %H:%M %Z}",
            "used": f"the approval of request #{r.id} was already used at "
                    f"{r.used_at:%Y-%m-%d %H:%M %Z}" if r.used_at else "already used",
            "rejected": f"request #{r.id} was rejected by {r.decided_by}",
        }[r.state]
    elif any(r.state == "approved" for r in rows):
        r = next(r for r in rows if r.state == "approved")
        why = (f"approval #{r.id} is for a different plan (versions "
               f"{', '.join(map(str, r.versions))}, hash {r.plan_hash[:12]}): a file changed or "
               "a migration was added since it was requested")
    else:
        why = "nobody requested it"
    raise PolicyRefusal(
        head + why + f". Run `sqlmig request --env {env}` and have it approved. "
        "Nothing was changed.",
        policy="approval",
    )


def consume(session: Session, req: Request, now: datetime) -> Request:
    """Mark the approval used, atomically: it authorizes one run only."""
    rows = _fetch(session, (
        "UPDATE {} SET state = 'used', used_at = %s WHERE id = %s AND state = 'approved'"
        " AND expires_at > %s RETURNING *"), (now, req.id, now))
    if not rows:
        raise PolicyRefusal(
            f"approval #{req.id} was used or expired a moment ago; request a new one.",
            policy="approval",
        )
    return rows[0]


# -- storage ----------------------------------------------------------------------


def _ttl(session: Session) -> timedelta:
    return timedelta(seconds=session.config.approval_ttl)


def _exists(session: Session) -> bool:
    ledger = session.ledger
    row = session.conn.execute("SELECT to_regclass(%s) IS NOT NULL",
                               (f'"{ledger.schema}"."{TABLE}"',)).fetchone()
    return bool(row and row[0])


def _expire(session: Session, now: datetime) -> None:
    from psycopg import sql

    session.conn.execute(
        sql.SQL("UPDATE {} SET state = 'expired' WHERE state IN ('pending', 'approved')"
                " AND expires_at <= %s").format(session.ledger.ident(TABLE)),
        (now,),
    )


def _fetch(session: Session, query: str, params: Any) -> list[Request]:
    from psycopg import sql
    from psycopg.rows import class_row

    with session.conn.cursor(row_factory=class_row(Request)) as cur:
        cur.execute(sql.SQL(query).format(session.ledger.ident(TABLE)), params)
        return cur.fetchall() if cur.description else []


def _fetch_one(session: Session, query: str, params: Any) -> Request:
    rows = _fetch(session, query, params)
    assert rows
    return rows[0]


def _json(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(value)


def _risk_dict(r: Risk) -> dict[str, Any]:
    from ..core.results import to_jsonable

    out: dict[str, Any] = to_jsonable(r)
    return out


def _session_user(conn: psycopg.Connection) -> str:
    row = conn.execute("SELECT session_user").fetchone()
    assert row is not None
    return str(row[0])


def _rollback_plan(session: Session, steps: int | None, to: int | None) -> Plan:
    from ..core import planner

    session.project.verify_manifest()
    st = planner.status(session.project.migrations, session.ledger.rows(session.conn), None,
                        allow_out_of_order=True)
    planner.refuse_on_problems(st, "roll back")
    return planner.downgrade(st, session.project.migrations, steps=steps, to=to)


# -- text --------------------------------------------------------------------------


def render_request(req: Request) -> str:
    lines = [
        f"request #{req.id} [{req.state}] {req.env} "
        f"{'apply' if req.direction == 'up' else 'rollback'} plan {req.plan_hash[:12]}",
        f"  requested {req.requested_at:%Y-%m-%d %H:%M %Z} by {req.requested_by}"
        + (f" ({req.requested_os_user})" if req.requested_os_user else "")
        + (f": {req.reason}" if req.reason else ""),
    ]
    if req.decided_by:
        lines.append(f"  {req.state if req.state in ('approved', 'rejected') else 'decided'} "
                     f"{req.decided_at:%Y-%m-%d %H:%M %Z} by {req.decided_by}"
                     + (f": {req.comment}" if req.comment else ""))
    if req.state in ("pending", "approved"):
        lines.append(f"  expires {req.expires_at:%Y-%m-%d %H:%M %Z}")
    for step in req.plan.get("steps", []):
        lines.append(f"  {step['name']}  {step['checksum'][:12]}")
    for risk in req.risk:
        size = ""
        if risk.get("estimated_rows") is not None:
            size = f" (~{risk['estimated_rows']} rows, {risk['size_bytes']} bytes)"
        lines.append(f"  ! {risk['file']}:{risk['line']}: {risk['kind']}: {risk['message']}{size}")
    return "\n".join(lines)


def render_list(rows: list[Request]) -> str:
    if not rows:
        return "no approval requests"
    return "\n".join(
        f"#{r.id} {r.state:<8} {'apply' if r.direction == 'up' else 'rollback':<8} "
        f"versions {','.join(map(str, r.versions))} plan {r.plan_hash[:12]} by {r.requested_by}"
        + (f", {r.state} by {r.decided_by}" if r.decided_by else "")
        + f", expires {r.expires_at:%Y-%m-%d %H:%M %Z}"
        for r in rows
    )
