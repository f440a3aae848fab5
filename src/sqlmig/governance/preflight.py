"""Preflight: what a migration that takes strong locks would wait behind.

An ``ALTER TABLE`` needs ACCESS EXCLUSIVE on its table; while it waits for
that lock, every later query on the table queues behind it.  So before a
plan whose statements take SHARE or stronger locks (lint's parse of the
files: :func:`sqlmig.linter.locks.strong_locks`), the preflight reads
``pg_locks`` and ``pg_stat_activity`` (:file:`sql/preflight_sessions.sql`)
for the sessions holding a conflicting lock on one of those tables:

- a transaction idle in transaction (it will not end by itself);
- a transaction older than ``preflight_max_transaction_age``;
- a running ``pg_dump`` (application_name ``pg_dump``);
- autovacuum running to prevent wraparound (it does not yield its lock as a
  plain autovacuum does);

and, with ``preflight_max_replication_lag``, the standbys of this primary
replaying with more lag (:file:`sql/preflight_replication.sql`).

``preflight: warn`` (the default) logs each blocker and goes on, ``required``
refuses (:class:`~sqlmig.errors.PolicyRefusal`, exit 3), ``off`` looks at
nothing.  ``plan`` lists them.  Only reads; never signals a session.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import PolicyRefusal
from .settings import PolicySettings

if TYPE_CHECKING:
    from ..core.planner import Plan
    from ..core.session import Session
    from ..linter.locks import TableLock

log = logging.getLogger("sqlmig.preflight")

@dataclass(frozen=True)
class Blocker:
    """A session (or a standby) the migration would wait behind, or hurt."""

    kind: str  # idle in transaction | long transaction | pg_dump | wraparound autovacuum
    #            | replication lag | not visible
    pid: int | None
    user: str | None
    application: str | None
    seconds: float | None  # the transaction's age (the standby's replay lag)
    table: str | None
    held_mode: str | None
    wanted_mode: str | None

    def describe(self) -> str:
        if self.kind == "replication lag":
            return (f"standby {self.application or '?'} replays {_age(self.seconds)} behind "
                    "this primary")
        who = (f"pid {self.pid} (user {self.user or '?'}, application "
               f"{self.application or '-'})")
        how = {"idle in transaction": f"idle in transaction, its transaction open for "
                                      f"{_age(self.seconds)}",
               "long transaction": f"in a transaction open for {_age(self.seconds)}",
               "pg_dump": f"a running pg_dump ({_age(self.seconds)})",
               "wraparound autovacuum": "autovacuum to prevent wraparound",
               "not visible": "a session this login may not see (grant it pg_read_all_stats)",
               }[self.kind]
        return (f"{who}: {how}, holds {self.held_mode} on {self.table}, which conflicts "
                f"with the {self.wanted_mode} the migration needs")


@dataclass(frozen=True)
class Preflight:
    """What the preflight of one plan looked at and found."""

    mode: str  # off | warn | required
    locks: list[TableLock] = field(default_factory=list)  # the strong locks of the plan
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def ran(self) -> bool:
        return self.mode != "off" and bool(self.locks)


def inspect(session: Session, plan: Plan) -> Preflight:
    """The blockers of ``plan`` in this database (nothing when ``preflight: off``
    or the plan takes no SHARE-or-stronger table lock)."""
    rules = PolicySettings.of(session.config)
    if rules.preflight == "off" or not plan.steps:
        return Preflight(rules.preflight)
    locks = _plan_locks(session, plan)
    if not locks:
        return Preflight(rules.preflight)
    blockers = _sessions(session, locks, rules.preflight_max_transaction_age.seconds)
    if rules.preflight_max_replication_lag is not None:
        blockers += _replication(session, rules.preflight_max_replication_lag.seconds)
    return Preflight(rules.preflight, locks, blockers)


def enforce(session: Session, plan: Plan) -> Preflight:
    """The policy guard's step: refuse with every blocker under ``preflight:
    required``, log a warning for each one otherwise."""
    rules = PolicySettings.of(session.config)
    if (rules.preflight != "off" and plan.steps and rules.preflight_max_replication_lag is None
            and not _others_hold_locks(session)):
        # No other session holds a table lock in this database, so none can
        # block the plan: the common case costs one catalog read instead of a
        # parse of every pending file.
        return Preflight(rules.preflight)
    found = inspect(session, plan)
    if not found.blockers:
        return found
    listed = [b.describe() for b in found.blockers]
    if found.mode == "required":
        raise PolicyRefusal(
            f"environment {session.config.env!r} requires a clear preflight (preflight: "
            f"required), and {len(listed)} session(s) would block or be hurt by this plan's "
            "locks: " + "; ".join(listed) + ". End or wait for them (or fix the replication), "
            "then run again. Nothing was changed.",
            policy="preflight", problems=listed,
        )
    for line in listed:
        log.warning("preflight: %s", line)
    return found


# -- what the plan locks ------------------------------------------------------------------


def _plan_locks(session: Session, plan: Plan) -> list[TableLock]:
    """The plan's strong table locks, from lint's parse of its files.

    Not :func:`~sqlmig.governance.approval.assess`: its findings miss harmless
    statements that still need ACCESS EXCLUSIVE (``ADD COLUMN ... DEFAULT 0``
    with a lock_timeout set), and it reads table sizes, which itself waits
    behind a session holding ACCESS EXCLUSIVE: the preflight would hang on the
    very lock it looks for."""
    from ..linter.locks import strong_locks

    return strong_locks([s.file for s in plan.steps])


# -- what the database shows ------------------------------------------------------------------


def _sql(name: str) -> str:
    return (resources.files(__package__) / "sql" / name).read_text(encoding="utf-8")


def _regclass_text(table: str) -> str:
    """Lint's ``schema.name`` (or ``name``) as to_regclass reads it, quoted."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in table.split("."))


def _others_hold_locks(session: Session) -> bool:
    """Whether any other session (or a prepared transaction) holds a granted
    lock on a table of this database: what every blocker :func:`_sessions`
    can report has."""
    row = session.conn.execute(_sql("preflight_others.sql")).fetchone()
    return bool(row and row[0])


def _sessions(session: Session, locks: list[TableLock], max_age: float) -> list[Blocker]:
    from psycopg.rows import dict_row

    pairs = sorted({(lk.table, lk.mode) for lk in locks})
    with session.conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_sql("preflight_sessions.sql"),
                    {"tables": [_regclass_text(t) for t, _ in pairs],
                     "modes": [m for _, m in pairs]})
        rows: list[dict[str, Any]] = cur.fetchall()
    out = []
    for r in rows:
        kind = _kind(r, max_age)
        if kind is None:
            continue
        out.append(Blocker(kind, r["pid"], r["usename"], r["application_name"],
                           _rounded(r["xact_seconds"]), _shown(r["table_name"]),
                           r["held_mode"], r["wanted_mode"]))
    return sorted(out, key=lambda b: (b.table or "", b.pid or 0))


def _kind(r: dict[str, Any], max_age: float) -> str | None:
    """Why the session holding the lock is a blocker, or None when it is a
    short one that ends by itself (or an autovacuum, which yields its lock)."""
    if r["wraparound"]:
        return "wraparound autovacuum"
    if r["backend_type"] == "autovacuum worker":
        return None
    if r["application_name"] == "pg_dump":
        return "pg_dump"
    if r["state"] is None and r["backend_type"] is None:
        return "not visible"  # a prepared transaction, or no pg_read_all_stats
    if (r["state"] or "").startswith("idle in transaction"):
        return "idle in transaction"
    if r["xact_seconds"] is not None and r["xact_seconds"] > max_age:
        return "long transaction"
    return None


def _replication(session: Session, limit: float) -> list[Blocker]:
    rows = session.conn.execute(_sql("preflight_replication.sql"), {"limit": limit}).fetchall()
    return [Blocker("replication lag", None, None, name or addr, _rounded(lag), None, None, None)
            for name, addr, _state, lag in rows]


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds), 1)


def _shown(name: str) -> str:
    return name.replace('"', "")


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "an unknown time"
    s = int(seconds)
    if s < 120:
        return f"{s}s"
    if s < 7200:
        return f"{s // 60}min"
    return f"{s // 3600}h{(s % 3600) // 60:02d}min"
