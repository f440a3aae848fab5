"""Which environment a database is, recorded in the database itself.

The first governed run (an environment whose policy is stricter than the
defaults) records the environment's name and policy in
``sqlmig_environment``.  From then on, every change is checked against that
row, whatever the caller says: another ``--env``, an environment without a
file, or ``Session(config=...)`` in Python is refused, naming the recorded
environment, and the recorded policy holds even where the caller's config
is weaker.  The row is written only by ``sqlmig_bind()``
(sqlmig/sql/ledger_0006.sql), which takes identity and time from the server
and, when the bound policy requires approvals, changes it only with an
approved request for exactly the new binding.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core import settings
from ..core.ledger import os_user
from ..errors import PolicyRefusal

if TYPE_CHECKING:
    import psycopg

    from ..core.ledger import Ledger
    from ..core.session import Session

log = logging.getLogger("sqlmig.binding")
TABLE = "sqlmig_environment"


@dataclass(frozen=True)
class Binding:
    """The environment a database is bound to."""

    name: str
    policy: dict[str, Any]
    bound_at: datetime
    bound_by: str
    bound_os_user: str | None
    request_id: int | None


def read(conn: psycopg.Connection, ledger: Ledger) -> Binding | None:
    """The database's binding; None when it has none (or no ledger yet)."""
    from psycopg import sql
    from psycopg.rows import class_row

    if not ledger.has(conn, TABLE):
        return None
    with conn.cursor(row_factory=class_row(Binding)) as cur:
        cur.execute(sql.SQL("SELECT name, policy, bound_at, bound_by, bound_os_user, request_id"
                            " FROM {}").format(ledger.ident(TABLE)))
        return cur.fetchone()


def document(session: Session) -> dict[str, Any]:
    """What a binding of ``session``'s environment records: its policy keys."""
    return settings.policy_document(session.config)


def plan_document(name: str, policy: dict[str, Any]) -> dict[str, Any]:
    """What an approval of a new binding covers (compared by the server)."""
    return {"name": name, "policy": policy}


def plan_hash(name: str, policy: dict[str, Any]) -> str:
    text = json.dumps(plan_document(name, policy), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def enforce(session: Session, action: str) -> Binding | None:
    """Refuse unless ``session``'s environment is the one its database is bound
    to; then make the bound policy ``session``'s (a warning names the keys
    where the caller's config differs).  Returns the binding, if any."""
    bound = read(session.conn, session.ledger)
    if bound is None:
        return None
    cfg = session.config
    if bound.name != cfg.env:
        raise PolicyRefusal(
            f"cannot {action}: this database is bound to environment {bound.name!r} (since "
            f"{bound.bound_at:%Y-%m-%dT%H:%M:%S%z}, by {bound.bound_by}), and sqlmig was run "
            f"as environment {cfg.env!r}. Nothing was changed. Run with --env {bound.name}; "
            "if this database really is another environment now, change the binding with "
            f"`sqlmig environment bind --env {cfg.env}` (audited; it needs an approval when "
            f"{bound.name!r}'s policy requires approvals).",
            policy="environment",
        )
    mine = settings.policy_document(cfg)
    if mine != bound.policy:
        differ = sorted(
            f"{k}" for sect in set(mine) | set(bound.policy)
            for k in set(mine.get(sect, {})) | set(bound.policy.get(sect, {}))
            if mine.get(sect, {}).get(k) != bound.policy.get(sect, {}).get(k)
        )
        log.warning(
            "the policy recorded in the database for environment %r differs from %s in %s; "
            "the recorded policy holds. Change it with `sqlmig environment bind --env %s`.",
            bound.name, cfg.path or "the caller's config", ", ".join(differ), bound.name)
        session.config = settings.with_policy(cfg, bound.policy)
    return bound


def bind(session: Session, request_id: int | None = None, reason: str | None = None) -> Binding:
    """Record (or change) the binding to ``session``'s environment and policy.

    The server refuses a change of a binding whose policy requires approvals
    unless ``request_id`` is an approved request for exactly this binding."""
    import psycopg
    from psycopg import sql
    from psycopg.rows import class_row
    from psycopg.types.json import Jsonb

    policy = document(session)
    try:
        with session.conn.transaction(), \
                session.conn.cursor(row_factory=class_row(Binding)) as cur:
            # The audit row the server writes for the change carries the reason.
            cur.execute("SELECT set_config('sqlmig.reason', %s, true)", (reason or "",))
            cur.execute(sql.SQL(
                "SELECT name, policy, bound_at, bound_by, bound_os_user, request_id"
                " FROM {}(%s, %s, %s, %s)").format(session.ledger.function("sqlmig_bind")),
                (session.config.env, Jsonb(policy), os_user(), request_id))
            row = cur.fetchone()
    except psycopg.errors.InsufficientPrivilege as exc:
        raise PolicyRefusal(
            f"cannot bind this database to environment {session.config.env!r}: "
            f"{exc.diag.message_primary}. {exc.diag.message_hint or ''}".rstrip() +
            " Nothing was changed.", policy="environment",
        ) from None
    assert row is not None
    return row
