"""Approvals: a second person signs off on the exact plan before it runs.

A request records the plan (versions, names, file checksums) and its hash;
an approval is valid for that hash only, for ``approval_ttl``, once.
Identity is PostgreSQL's ``session_user``: the server authenticated it, so
nobody can approve their own request by typing another name.  Stored in
``sqlmig_approvals`` in the target database; rows are never deleted, stale
ones are marked ``expired`` whenever sqlmig touches the table.  Every write
goes through functions of sqlmig/sql/ledger_0006.sql, and a trigger on the
table holds for every writer, the owner included: the requester and approver
are ``session_user``, times and expiry are the server's ``now()``, states only
move pending -> approved | rejected | expired and approved -> used | rejected
| expired, and an approval comes from another user than the requester.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, PolicyRefusal
from .settings import PolicySettings

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
    """What an approval covers: direction, and each file with its checksum; for
    an apply, each migration's rollback file too (``null`` when it has none),
    so that editing the way back after the approval voids it as well."""
    steps = []
    for s in plan.steps:
        step: dict[str, Any] = {"version": s.version, "name": s.name, "file": s.file.relpath,
                                "checksum": s.file.checksum}
        if plan.direction == "up":
            down = s.migration.down
            step["rollback"] = ({"file": down.relpath, "checksum": down.checksum}
                                if down is not None else None)
        steps.append(step)
    doc: dict[str, Any] = {"direction": plan.direction, "steps": steps}
    if plan.repeatables:
        # Repeatables that run after the steps: their content is approved too.
        doc["repeatables"] = [{"name": r.name, "file": r.file.relpath,
                               "checksum": r.file.checksum} for r in plan.repeatables]
    return doc


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

    from ..linter.plans import table_sizes

    cat = table_sizes(session)
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


def get(session: Session, request_id: int) -> Request:
    rows = _fetch(session, "SELECT * FROM {} WHERE id = %s", (request_id,))
    if not rows:
        raise ConfigError(f"no approval request #{request_id} (see `sqlmig approvals`).")
    return rows[0]


def requests(session: Session, state: str | None = None) -> list[Request]:
    """Every request of this environment, newest first (stale ones marked expired)."""
    if not _exists(session):
        return []
    expire_stale(session)
    query = "SELECT * FROM {} WHERE env = %s"
    params: list[Any] = [session.config.env]
    if state is not None:
        query += " AND state = %s"
        params.append(state)
    return _fetch(session, query + " ORDER BY id DESC", params)


# -- used by the policy guard ---------------------------------------------------------


def find_valid(session: Session, plan: Plan) -> Request:
    """The unexpired approval of exactly ``plan``, or a refusal saying what is missing."""
    expire_stale(session)
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


def consume(session: Session, req: Request, plan: Plan) -> Request:
    """Mark the approval used, atomically and by the server's clock: it
    authorizes one run of exactly ``plan``."""
    rows = _fetch(session, "SELECT * FROM {}(%s, %s)", (req.id, plan_hash(plan)),
                  function="sqlmig_use_approval")
    if not rows:
        raise PolicyRefusal(
            f"approval #{req.id} was used or expired a moment ago; request a new one.",
            policy="approval",
        )
    return rows[0]


# -- storage ----------------------------------------------------------------------


def ttl(session: Session) -> timedelta:
    return timedelta(seconds=PolicySettings.of(session.config).approval_ttl.seconds)


def _exists(session: Session) -> bool:
    ledger = session.ledger
    row = session.conn.execute("SELECT to_regclass(%s) IS NOT NULL",
                               (f'"{ledger.schema}"."{TABLE}"',)).fetchone()
    return bool(row and row[0])


def expire_stale(session: Session) -> None:
    """Mark requests and approvals past their expiry (the server's now()) expired."""
    session.ledger.call(session.conn, "sqlmig_expire_stale")


def _fetch(session: Session, query: str, params: Any, function: str = TABLE) -> list[Request]:
    """Rows of ``query``, whose ``{}`` is the table (or ``function``)."""
    from psycopg import sql
    from psycopg.rows import class_row

    with session.conn.cursor(row_factory=class_row(Request)) as cur:
        cur.execute(sql.SQL(query).format(session.ledger.ident(function)), params)
        return cur.fetchall() if cur.description else []


def fetch_one(session: Session, query: str, params: Any, function: str = TABLE) -> Request:
    rows = _fetch(session, query, params, function)
    assert rows
    return rows[0]


def json_value(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(value)


def risk_dict(r: Risk) -> dict[str, Any]:
    from ..core.results import to_jsonable

    out: dict[str, Any] = to_jsonable(r)
    return out


def session_user(conn: psycopg.Connection) -> str:
    row = conn.execute("SELECT session_user").fetchone()
    assert row is not None
    return str(row[0])
