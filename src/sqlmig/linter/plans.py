"""Lint for a Session: the findings of a plan's migrations, linted as one run with
the connected database's table sizes (read in a READ ONLY transaction)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import catalog as lint_catalog
from .report import LintReport

if TYPE_CHECKING:
    from ..core.planner import Plan
    from ..core.session import Session


def table_sizes(session: Session) -> lint_catalog.Catalog:
    """Table sizes, columns and indexes for the size-aware rules."""
    with session.conn.transaction():
        session.conn.execute("SET TRANSACTION READ ONLY")
        return lint_catalog.read(session.conn)


def findings(session: Session, plan: Plan) -> LintReport:
    """Lint findings for an apply plan's migrations, project rules included."""
    from . import findings_for

    return findings_for(
        [s.migration for s in plan.steps], project=session.project,
        catalog=table_sizes(session), env=session.config.env,
        env_lock_timeout=bool(session.config.lock_timeout),
    )
