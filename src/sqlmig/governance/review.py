"""The review of a plan: ``request`` records it, a second database user
``approve``s or ``reject``s it.  Each step holds the migration lock and is
audited like a change; what an approval is and when it is valid is
:mod:`.approval`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.ledger import os_user
from ..errors import ConfigError, PolicyRefusal
from . import binding as binding_mod
from . import policy
from .approval import (
    Request,
    expire_stale,
    fetch_one,
    json_value,
    risk_dict,
    session_user,
    ttl,
    assess,
    get,
    plan_document,
    plan_hash,
)

if TYPE_CHECKING:
    from ..core.planner import Plan
    from ..core.session import Session


def request(session: Session, *, reason: str | None = None, to: int | None = None,
            rollback: bool = False, steps: int | None = None) -> Request:
    """Record a request for the plan ``apply`` (or, with ``rollback``, ``rollback``)
    would run now."""
    with session.locked(), policy.Guard(session, "request") as guard:
        session.ledger.ensure(session.conn)
        the_plan = _rollback_plan(session, steps, to) if rollback else session.plan(to=to)
        if not policy.has_work(the_plan):
            raise ConfigError("nothing to request: the plan is empty "
                              f"({'nothing to roll back' if rollback else 'no pending migration'}).")
        guard.plan = the_plan
        risk = assess(session, the_plan)
        # The server sets requester, time and expiry (sqlmig/sql/ledger_0006.sql).
        req = fetch_one(session, "SELECT * FROM {}(%s, %s, %s, %s, %s, %s, %s, %s)", (
            session.config.env, the_plan.direction, plan_hash(the_plan),
            json_value(plan_document(the_plan)), json_value([risk_dict(r) for r in risk]),
            reason, os_user(), ttl(session)), function="sqlmig_request")
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
    action = "approve" if state == "approved" else "reject"
    with session.locked(), policy.Guard(session, action) as guard:
        session.ledger.ensure(session.conn)
        expire_stale(session)
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
        me = session_user(session.conn)
        if state == "approved" and me == req.requested_by:
            raise PolicyRefusal(
                f"cannot approve request #{req.id}: database user {me!r} made it, and an "
                "approval must come from a different database user (four-eyes). Ask a "
                "colleague to run `sqlmig approve` with their own credentials.",
                policy="four_eyes",
            )
        # The server checks all of this again, and sets who, when and until when.
        req = fetch_one(session, "SELECT * FROM {}(%s, %s, %s, %s, %s)",
                        (req.id, state, os_user(), comment, ttl(session)),
                        function="sqlmig_decide")
        guard.approval = req
        guard.versions = req.versions
        guard.detail = comment
        return req


def _rollback_plan(session: Session, steps: int | None, to: int | None) -> Plan:
    from ..core import planner

    session.project.verify_manifest()
    st = planner.status(session.project.migrations, session.ledger.rows(session.conn), None,
                        allow_out_of_order=True)
    planner.refuse_on_problems(st, "roll back")
    return planner.downgrade(st, session.project.migrations, steps=steps, to=to)


# -- the environment binding ----------------------------------------------------------


def request_binding(session: Session, *, reason: str | None = None) -> Request:
    """Ask for the approval that changing a binding needs when the bound
    policy requires approvals: the request is the bound environment's (its
    approvers decide), for exactly ``session``'s environment and policy."""
    from . import binding

    with session.locked(), policy.Guard(session, "request", bind=True) as guard:
        session.ledger.ensure(session.conn)
        bound = binding.read(session.conn, session.ledger)
        if bound is None:
            raise ConfigError("this database is not bound to an environment yet: "
                              f"`sqlmig environment bind --env {session.config.env}` binds "
                              "it without an approval.")
        doc = binding.document(session)
        req = fetch_one(session, "SELECT * FROM {}(%s, %s, %s, %s, %s, %s, %s, %s)", (
            bound.name, "bind", binding.plan_hash(session.config.env, doc),
            json_value(binding.plan_document(session.config.env, doc)), json_value([]),
            reason, os_user(), ttl(session)), function="sqlmig_request")
        guard.approval = req
        guard.detail = (f"bind the database (now {bound.name!r}) to {session.config.env!r}"
                        + (f": {reason}" if reason else ""))
        return req


def bind(session: Session, *, request_id: int | None = None,
         reason: str | None = None) -> binding_mod.Binding:
    """Bind the database to ``session``'s environment and policy, or change its
    binding (the server demands an approved ``request_id`` when the bound
    policy requires approvals)."""
    with session.locked(), policy.Guard(session, "bind", bind=True) as guard:
        session.ledger.ensure(session.conn)
        # The server audits the change (with the reason); a refusal is the guard's.
        guard.detail = reason
        return binding_mod.bind(session, request_id, reason)
