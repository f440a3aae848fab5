"""Release tags: ``sqlmig tag v1.4.0 [--at V]`` names an applied version.

Tags live in the ledger's ``sqlmig_tags`` (ledger_0010.sql), written only by
``sqlmig_tag()``, which checks on the server that the version is applied and
the name is new, and stamps who and when.  A tag is a semantic version
(semver.org's grammar, with an optional leading ``v``), unique, and never
moved: ``apply --to-tag``, ``plan --to-tag`` and ``rollback --to-tag`` resolve
it to its version.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..errors import ConfigError

if TYPE_CHECKING:
    import psycopg

    from .ledger import Ledger
    from .session import Session

TABLE = "sqlmig_tags"
# semver.org's regular expression, with an optional leading "v" (v1.4.0).
SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\Z", re.ASCII)


@dataclass(frozen=True)
class Tag:
    """One release tag."""

    name: str
    version: int
    tagged_at: datetime
    tagged_by: str
    os_user: str | None


@dataclass(frozen=True)
class TagResult:
    """What ``sqlmig tag`` recorded."""

    tag: Tag
    migration: str  # the name of the migration it names
    duration_ms: int


def validate(name: str) -> str:
    """``name`` when it is a semantic version, else a ConfigError (exit 2)."""
    if SEMVER.match(name):
        return name
    raise ConfigError(
        f"tag {name!r} is not a semantic version (semver.org): MAJOR.MINOR.PATCH with an "
        "optional -prerelease and +build, and an optional leading v, e.g. v1.4.0, 2.0.0-rc.1. "
        "Nothing was recorded.")


def listed(conn: psycopg.Connection, ledger: Ledger) -> list[Tag]:
    """Every tag, by version then name; empty before ledger version 10."""
    from psycopg import sql
    from psycopg.rows import class_row

    if not ledger.has(conn, TABLE):
        return []
    with ledger.privileged(conn, "read the release tags"), \
            conn.cursor(row_factory=class_row(Tag)) as cur:
        cur.execute(sql.SQL("SELECT name, version, tagged_at, tagged_by, os_user FROM {} "
                            "ORDER BY version, name").format(ledger.ident(TABLE)))
        return cur.fetchall()


def version_of(session: Session, name: str) -> int:
    """The version tag ``name`` names in the session's database (ConfigError if none)."""
    tags = listed(session.conn, session.ledger) if session.ledger.exists(session.conn) else []
    for t in tags:
        if t.name == name:
            return t.version
    known = ", ".join(t.name for t in tags) or "none"
    raise ConfigError(f"--to-tag {name}: no such tag in {session.config.env} (tags: {known}). "
                      "`sqlmig status` lists them; `sqlmig tag NAME` records one.")


def add(session: Session, name: str, at: int | None = None) -> TagResult:
    """Record tag ``name`` for version ``at`` (default: the current version),
    under the migration lock, with a history and an audit row."""
    import psycopg

    from . import audit
    from .connection import password_of
    from .ledger import os_user

    started = time.perf_counter()
    validate(name)
    with session.locked(), session.guarded("tag"):
        conn, ledger = session.conn, session.ledger
        rows = ledger.rows(conn) if ledger.exists(conn) else []
        done = {r.version: r.name for r in rows if r.done}
        if at is None:
            if not done:
                raise ConfigError(f"nothing is applied in {session.config.env}, so there is no "
                                  "version to tag. Apply first, or pass --at VERSION.")
            at = max(done)
        if at not in done:
            raise ConfigError(
                f"--at {at}: version {at} is not applied in {session.config.env} "
                f"(applied: {_span(sorted(done))}). A tag names an applied version.")
        ledger.ensure(conn)
        if any(t.name == name for t in listed(conn, ledger)):
            raise ConfigError(f"tag {name} already exists in {session.config.env}: tags are "
                              "unique and never moved. Pick a new version number.")
        try:
            with conn.transaction():
                ledger.call(conn, "sqlmig_tag", name, at, os_user())
        except psycopg.errors.UniqueViolation:
            raise ConfigError(f"tag {name} already exists in {session.config.env}: tags are "
                              "unique and never moved. Pick a new version number.") from None
        tag = next(t for t in listed(conn, ledger) if t.name == name)
        ms = round((time.perf_counter() - started) * 1000)
        if audit.exists(conn, ledger):
            audit.record(conn, ledger, env=session.config.env, action="tag", outcome="ok",
                         versions=[at], git_commit=session.project.git.head,
                         duration_ms=ms, detail=f"tagged {name} at {done[at]}",
                         secrets=[password_of(session.url)])
    return TagResult(tag, done[at], ms)


def _span(versions: list[int]) -> str:
    if not versions:
        return "none"
    return f"{versions[0]}..{versions[-1]}" if len(versions) > 3 else ", ".join(map(str, versions))
