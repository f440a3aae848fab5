"""Who may change what: sqlmig's tables owned by a role nobody logs in as.

``setup`` makes the ledger *governed*: its schema and everything in it
belong to the NOLOGIN role ``sqlmig_owner``, nobody keeps direct write
access, and four capacities get EXECUTE on the functions every write goes
through (sqlmig/sql/ledger_0006.sql), each of which checks the caller's
capacity and takes identity and time from the server:

* ``deployer``: apply, roll back, resolve, request approvals, back up;
* ``approver``: approve or reject another user's request;
* ``auditor``: read the ledger, history, approvals and audit log;
* ``checker``: run checks, reading only (``pg_read_all_data`` on 14+).

``grant`` makes a login a member of one capacity.  Both are idempotent,
show their SQL under ``dry_run``, and where the connecting user may not run
it, raise :class:`AccessNeedsDBA` with the statements a DBA must run.  What
a superuser and ``sqlmig_owner`` can still do is in docs/environments.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from ..errors import ConfigError, DatabaseError, PolicyRefusal

if TYPE_CHECKING:
    from ..core.session import Session

OWNER = "sqlmig_owner"
CAPACITIES = ("deployer", "approver", "auditor", "checker")


class AccessNeedsDBA(DatabaseError):
    """The connecting user may not set up or grant access; ``sql`` is what a
    DBA must run (with psql, as a superuser)."""

    def __init__(self, message: str, sql: str, sqlstate: str | None = None) -> None:
        super().__init__(message, sqlstate=sqlstate)
        self.sql = sql


@dataclass(frozen=True)
class AccessChange:
    """What ``setup`` or ``grant`` ran (or, with ``dry_run``, would run)."""

    sql: str
    applied: bool
    bound_to: str | None = None


@dataclass(frozen=True)
class AccessReport:
    """``sqlmig access show``: who may do what in this database."""

    schema: str
    owner: str | None  # of the ledger's schema; None without a ledger
    governed: bool
    members: dict[str, list[str]] = field(default_factory=dict)  # capacity -> logins
    owner_members: list[str] = field(default_factory=list)  # can rewrite everything
    superusers: list[str] = field(default_factory=list)  # can too
    watch_ddl: bool = False
    environment: str | None = None
    warnings: list[str] = field(default_factory=list)


def _template(name: str, schema: str) -> str:
    from psycopg import sql

    text = (resources.files(__package__) / "sql" / name).read_text(encoding="utf-8")
    # The files hold no other braces; {schema} and {schema_name} are filled
    # through psycopg's quoting.
    return sql.SQL(text).format(schema=sql.Identifier(schema),
                                schema_name=sql.Literal(schema)).as_string(None)


def setup_sql(schema: str, *, watch_ddl: bool = False) -> str:
    """The statements ``setup`` runs after creating or upgrading the ledger."""
    out = _template("access_setup.sql", schema)
    if watch_ddl:
        out += "\n" + _template("access_watch_ddl.sql", schema)
    return out


def grant_sql(role: str, capacity: str) -> str:
    from psycopg import sql

    return sql.SQL("GRANT {} TO {};").format(
        sql.Identifier(f"sqlmig_{capacity}"), sql.Identifier(role)).as_string(None)


def setup(session: Session, *, watch_ddl: bool = False, dry_run: bool = False) -> AccessChange:
    """Create the roles, give sqlmig's tables to ``sqlmig_owner``, grant the
    capacities their functions; bind the database to the session's
    environment when its policy is governed."""
    import psycopg

    from ..core import audit
    from . import binding
    from .settings import PolicySettings

    schema = session.ledger.schema
    text = setup_sql(schema, watch_ddl=watch_ddl)
    if dry_run:
        return AccessChange(text, applied=False)
    with session.locked():
        conn = session.conn
        try:
            with conn.transaction():
                if session.ledger.governed(conn):
                    # New ledger files run as the owner, so what they create is its.
                    conn.execute("SET LOCAL ROLE sqlmig_owner")
                session.ledger.ensure(conn)
                conn.execute("RESET ROLE")
                conn.execute(text)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise AccessNeedsDBA(
                f"cannot set up access control as database user {conn.info.user!r}: "
                f"{exc.diag.message_primary}. A superuser must run the statements below "
                "(`sqlmig access setup --dry-run` prints them), e.g. with psql -1 -f. "
                "Nothing was changed.", text, sqlstate=exc.sqlstate) from None
        bound = binding.read(conn, session.ledger)
        if bound is None and PolicySettings.of(session.config).governed:
            bound = binding.bind(session)
        else:
            bound = binding.enforce(session, "set up access control")
        audit.record(conn, session.ledger, env=session.config.env, action="access",
                     outcome="ok", detail="access setup" + (" --watch-ddl" if watch_ddl else ""))
    return AccessChange(text, applied=True, bound_to=bound.name if bound else None)


def grant(session: Session, role: str, capacity: str, *, dry_run: bool = False) -> AccessChange:
    """Make ``role`` a member of ``sqlmig_<capacity>``."""
    import psycopg

    from ..core import audit

    if capacity not in CAPACITIES:
        raise ConfigError(f"--as {capacity!r}: expected one of {', '.join(CAPACITIES)}.")
    text = grant_sql(role, capacity)
    if dry_run:
        return AccessChange(text, applied=False)
    conn = session.conn
    row = conn.execute("SELECT (SELECT count(*) FROM pg_roles WHERE rolname = %s),"
                       " (SELECT count(*) FROM pg_roles WHERE rolname = %s)",
                       (role, f"sqlmig_{capacity}")).fetchone()
    assert row is not None
    if not row[0]:
        raise ConfigError(f"no database role {role!r} on this server: create it first "
                          f"(CREATE ROLE {role} LOGIN PASSWORD '...').")
    if not row[1]:
        raise ConfigError(f"role sqlmig_{capacity} does not exist yet: run `sqlmig access "
                          "setup` first (as a superuser).")
    try:
        conn.execute(text)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise AccessNeedsDBA(
            f"cannot grant sqlmig_{capacity} to {role!r} as database user "
            f"{conn.info.user!r}: {exc.diag.message_primary}. A superuser must run: {text} "
            "Nothing was changed.", text, sqlstate=exc.sqlstate) from None
    if audit.exists(conn, session.ledger):
        audit.record(conn, session.ledger, env=session.config.env, action="access",
                     outcome="ok", detail=f"granted sqlmig_{capacity} to {role}")
    return AccessChange(text, applied=True)


def show(session: Session) -> AccessReport:
    from . import binding

    conn = session.conn
    schema = session.ledger.schema
    row = conn.execute(
        "SELECT r.rolname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner"
        " WHERE n.nspname = %s", (schema,)).fetchone()
    owner = str(row[0]) if row else None
    members: dict[str, list[str]] = {}
    for capacity in (*CAPACITIES, "owner"):
        members[capacity] = [str(r[0]) for r in conn.execute(
            "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid"
            " JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = %s ORDER BY 1",
            (f"sqlmig_{capacity}",))]
    supers = [str(r[0]) for r in conn.execute(
        "SELECT rolname FROM pg_roles WHERE rolsuper AND rolcanlogin ORDER BY 1")]
    watch = conn.execute(
        "SELECT count(*) FROM pg_event_trigger WHERE evtname IN"
        " ('sqlmig_watch_ddl', 'sqlmig_watch_drop') AND evtenabled <> 'D'").fetchone()
    bound = binding.read(conn, session.ledger) if owner else None
    governed = owner == OWNER
    owner_members = members.pop("owner")
    warnings = []
    if not governed:
        warnings.append(
            f"the ledger is open: its owner {owner or '(no ledger yet)'} can rewrite approvals "
            "and the audit log's triggers; run `sqlmig access setup` as a superuser.")
    if owner_members:
        warnings.append(f"{', '.join(owner_members)} can act as sqlmig_owner and rewrite "
                        "everything sqlmig records: revoke that membership.")
    if governed and not (watch and watch[0] == 2):
        warnings.append("DDL on sqlmig's tables is not reported: run `sqlmig access setup "
                        "--watch-ddl` as a superuser (or set log_statement = ddl).")
    return AccessReport(schema, owner, governed, members, owner_members, supers,
                        bool(watch and watch[0] == 2), bound.name if bound else None, warnings)


def refuse_unless_enforced(session: Session) -> None:
    """``access: enforced``: refuse a change unless the ledger is governed and the
    login is neither a superuser nor able to act as ``sqlmig_owner``."""
    row = session.conn.execute(
        "SELECT (SELECT r.rolname = 'sqlmig_owner' FROM pg_namespace n JOIN pg_roles r"
        "        ON r.oid = n.nspowner WHERE n.nspname = %s),"
        " (SELECT rolsuper FROM pg_roles WHERE rolname = session_user),"
        " EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sqlmig_owner')"
        "   AND pg_has_role(session_user, 'sqlmig_owner', 'MEMBER')",
        (session.ledger.schema,)).fetchone()
    assert row is not None
    governed, superuser, owner = bool(row[0]), bool(row[1]), bool(row[2])
    env = session.config.env
    if not governed:
        raise PolicyRefusal(
            f"environment {env!r} requires a governed ledger (access: enforced), and this "
            "database's is open: whoever owns it can rewrite approvals and the audit log. A "
            "superuser runs `sqlmig access setup` once, then grants the deployers with "
            "`sqlmig access grant ROLE --as deployer`. Nothing was changed.",
            policy="access")
    if superuser or owner:
        who = "a superuser" if superuser else "a member of sqlmig_owner"
        raise PolicyRefusal(
            f"environment {env!r} requires changes by a login that cannot rewrite sqlmig's "
            f"records (access: enforced), and database user {session.conn.info.user!r} is "
            f"{who}. Deploy as a login granted `sqlmig access grant ROLE --as deployer`. "
            "Nothing was changed.", policy="access")
