"""The role checks run as: one with read access only.

A READ ONLY transaction is not enough to make a check harmless: it still may
``COPY ... TO PROGRAM``, call ``dblink_exec`` or a function that writes
through another session.  So every check connection does ``SET ROLE`` to a
read-only role before any check runs, and the checks' text may not switch it
back (:func:`sqlmig.core.sqlnodes.not_read_only` refuses SET/RESET ROLE, SET
SESSION AUTHORIZATION and ``set_config('role', ...)``).  ``SET ROLE`` checks
the *session* user's memberships, so a check that could say ``RESET ROLE``
would be its login again: hence the static refusal, not only the role.

The role is ``check_role:`` of the environment when set (it must exist, the
login must be allowed to SET ROLE to it, and it may not be a superuser);
otherwise the first of ``sqlmig_checker`` and ``pg_read_all_data`` (PG 14+)
the login may SET ROLE to; otherwise the login itself, with a warning, unless
the login is a superuser: then sqlmig refuses to run the checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from .settings import DEFAULT_ROLES
from ..errors import ConfigError, DatabaseError

if TYPE_CHECKING:
    import psycopg

_CREATE = ("CREATE ROLE sqlmig_checker NOLOGIN; GRANT pg_read_all_data TO sqlmig_checker "
           "(PostgreSQL 14+; before, GRANT USAGE on the schemas and SELECT on their tables); "
           "GRANT sqlmig_checker TO {login}")


@dataclass(frozen=True)
class CheckRole:
    """Who the checks run as."""

    login: str  # the connection's user (session_user)
    role: str | None  # the role SET ROLE switches to; None: the login itself
    warning: str | None = None  # why running as the login may not be read-only
    login_superuser: bool = False  # then SET SESSION AUTHORIZATION, not SET ROLE

    @property
    def name(self) -> str:
        return self.role or self.login


def choose(conn: psycopg.Connection, configured: str | None) -> CheckRole:
    """The role for this login (see the module docstring); ConfigError when the
    configured role is unusable or only a superuser login is left."""
    import psycopg

    candidates = [configured] if configured else list(DEFAULT_ROLES)
    privilege = "SET" if conn.info.server_version >= 160000 else "MEMBER"
    query = (resources.files(__package__) / "sql" / "check_role.sql").read_text("utf-8")
    try:
        row = conn.execute(query, {"candidates": candidates, "privilege": privilege}).fetchone()
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot find the role to run checks as: {exc}",
                            sqlstate=exc.sqlstate) from None
    assert row is not None
    role, role_super, existing, login, login_super = row
    if configured:
        if not existing:
            raise ConfigError(
                f"check_role: role {configured!r} does not exist. Ask a DBA to create it "
                f"({_CREATE.format(login=login).replace('sqlmig_checker', configured)}), "
                "or remove check_role to use sqlmig_checker / pg_read_all_data.")
        if role is None:
            raise ConfigError(
                f"check_role: the login {login!r} may not SET ROLE to {configured!r}. Ask a DBA: "
                f"GRANT {configured} TO {login}"
                f"{' WITH SET TRUE' if privilege == 'SET' else ''}.")
        if role_super:
            raise ConfigError(
                f"check_role: {configured!r} is a superuser; checks must run as a role with "
                "read access only (e.g. a member of pg_read_all_data).")
        return CheckRole(login, role, login_superuser=bool(login_super))
    if role is not None:
        return CheckRole(login, role, login_superuser=bool(login_super))
    if login_super:
        raise ConfigError(
            f"the login {login!r} is a superuser and there is no read-only role to run the "
            "checks as: sqlmig will not run them with superuser privileges. Ask a DBA to "
            f"create one: {_CREATE.format(login=login)}; or set check_role: in the "
            "environment's config, or connect as a login that is not a superuser.")
    return CheckRole(login, None, warning=(
        f"the checks ran with the privileges of the login {login!r}, which may write: no role "
        "sqlmig_checker or pg_read_all_data it may SET ROLE to. Ask a DBA: "
        f"{_CREATE.format(login=login)}; or set check_role:."))


def assume(conn: psycopg.Connection, role: CheckRole) -> None:
    """Become the read-only role on ``conn`` for the rest of its session
    (outside a transaction, so no ROLLBACK undoes it).

    A superuser login uses ``SET SESSION AUTHORIZATION``: a function a check
    calls that resets the role (``set_config('role', 'none', false)``, which
    no static analysis of the check's text can see) then lands on the
    read-only role, not on the superuser.  What remains open to such a
    function with a superuser login is resetting ``session_authorization``
    itself: :func:`identity_kept` sees it afterwards, and docs/checks.md says
    to run checks with a login that is no superuser where that matters."""
    import psycopg
    from psycopg import sql

    if role.role is None:
        return
    verb = "SET SESSION AUTHORIZATION {}" if role.login_superuser else "SET ROLE {}"
    try:
        conn.execute(sql.SQL(verb).format(sql.Identifier(role.role)))
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot {verb.format(role.role)} for the checks: {exc}",
                            sqlstate=exc.sqlstate) from None


IDENTITY = "SELECT current_user::text, session_user::text"


def identity_kept(row: tuple[str, str] | None, role: CheckRole) -> str | None:
    """Why the identity read after a check (``IDENTITY``) is not the one it
    was run as; None when it is."""
    if row is None:
        return None
    current, session = row
    wanted_session = role.role if role.role and role.login_superuser else role.login
    if current == role.name and session == wanted_session:
        return None
    return (f"the check changed who it runs as while it ran (now {current}, session "
            f"{session}; it was started as {role.name}): a function it called switched the "
            "role, and whatever it did as that role is outside sqlmig's control. Revoke "
            "EXECUTE on such functions from the checks' role, and run checks with a login "
            "that is not a superuser (docs/checks.md)")
