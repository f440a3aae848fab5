"""Where a backup came from: the identity of the database it was dumped from.

A backup's sidecar records the server's system identifier (the 64-bit number
initdb chose for the cluster, from ``pg_control_system()``), the database's
name and OID, and the environment.  Two databases are the same when the
system identifier and the name are equal; the OID is recorded for people
(a database dropped and created again under its name gets a new one, and is
still the database the backups were made of).

The check guards against mistakes (a dump of staging restored over
production, one backup directory serving two databases), not against someone
who edits the sidecar: the sidecar is plain JSON beside the dump.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PolicyRefusal

if TYPE_CHECKING:
    import psycopg

# The sidecar keys this module writes and reads (beside "database" and "env",
# which every sidecar has had).  A sidecar without "system_identifier" predates
# them: its provenance is unknown.
SYSTEM_IDENTIFIER = "system_identifier"
DATABASE_OID = "database_oid"

_UNREADABLE = "the role may not execute pg_control_system()"


@dataclass(frozen=True)
class DatabaseIdentity:
    """One database: ``system_identifier`` is None where the role could not
    read it (EXECUTE on pg_control_system() revoked) or the server has none."""

    system_identifier: str | None
    database: str
    database_oid: int | None
    env: str | None

    def describe(self) -> str:
        server = (f"server {self.system_identifier}" if self.system_identifier
                  else f"an unknown server ({_UNREADABLE})")
        oid = f" (oid {self.database_oid})" if self.database_oid is not None else ""
        env = f", env {self.env}" if self.env else ""
        return f"database {self.database!r}{oid} on {server}{env}"

    def sidecar_fields(self) -> dict[str, Any]:
        return {SYSTEM_IDENTIFIER: self.system_identifier, "database": self.database,
                DATABASE_OID: self.database_oid, "env": self.env}


def _sql(name: str) -> str:
    return (resources.files(__package__) / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def of_connection(conn: psycopg.Connection, env: str) -> DatabaseIdentity:
    """The identity of the database ``conn`` is connected to."""
    row = conn.execute(_sql("identity")).fetchone()
    assert row is not None
    system_identifier = None
    if row[2]:
        found = conn.execute(_sql("system_identifier")).fetchone()
        system_identifier = str(found[0]) if found and found[0] is not None else None
    return DatabaseIdentity(system_identifier, str(row[0]), int(row[1]), env)


def of_sidecar(meta: dict[str, Any]) -> DatabaseIdentity | None:
    """The identity a sidecar records; None for a sidecar written before sqlmig
    recorded one (unknown provenance)."""
    if SYSTEM_IDENTIFIER not in meta or not isinstance(meta.get("database"), str):
        return None
    system_identifier = meta[SYSTEM_IDENTIFIER]
    oid = meta.get(DATABASE_OID)
    env = meta.get("env")
    return DatabaseIdentity(
        str(system_identifier) if system_identifier is not None else None,
        meta["database"],
        oid if isinstance(oid, int) else None,
        env if isinstance(env, str) else None,
    )


def same_database(a: DatabaseIdentity | None, b: DatabaseIdentity | None) -> bool:
    """Whether ``a`` and ``b`` are known to be one database: equal system
    identifiers (both known) and equal names."""
    return (a is not None and b is not None and a.system_identifier is not None
            and a.system_identifier == b.system_identifier and a.database == b.database)


def describe_source(source: DatabaseIdentity | None) -> str:
    return source.describe() if source else "a backup of unknown provenance"


def check_in_place(path: Path, source: DatabaseIdentity | None, target: DatabaseIdentity, *,
                   from_other_database: bool) -> str | None:
    """Refuse (PolicyRefusal, policy "provenance") to restore in place a backup
    not known to be of ``target``, unless ``from_other_database``.  Returns the
    audit note when the flag let it through, else None."""
    if same_database(source, target):
        return None
    if from_other_database:
        return (f"from other database (--from-other-database): {describe_source(source)} "
                f"into {target.describe()}")
    if source is None:
        why = (f"{path.name} has no source identity in its sidecar (made before sqlmig "
               f"recorded where a backup comes from), so sqlmig cannot tell that it is a "
               f"backup of {target.describe()}")
    elif source.system_identifier is None or target.system_identifier is None:
        when = "when the backup was made" if source.system_identifier is None else "here"
        why = (f"{path.name} is a backup of {source.describe()}; the server's system "
               f"identifier could not be read {when} ({_UNREADABLE}), so sqlmig cannot tell "
               f"that it is a backup of {target.describe()}")
    else:
        why = (f"{path.name} is a backup of {source.describe()}, not of {target.describe()}: "
               "restoring it in place would replace this database's objects with another "
               "database's")
    raise PolicyRefusal(
        f"{why}. Restore it into a new database with --into NEW_DB to inspect it, or pass "
        "--from-other-database (from_other_database=True) if replacing this database with "
        "it is intended; that is recorded in the audit log. Nothing was changed.",
        policy="provenance")
