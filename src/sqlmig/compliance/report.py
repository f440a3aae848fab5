"""``sqlmig compliance report``: what an auditor asks of a database, read from it.

Five sections, each naming where its data came from:

1. personal-data inventory: tables marked ``@contains-personal-data`` and the
   columns tagged ``@pii KIND`` (:mod:`sqlmig.schema.classification`, through
   the catalog layer), with the roles that may read each column
   (``has_column_privilege``) and the table's row-level security policies;
2. retention: each row of the reference schema's ``data_retention_policies``
   with its rows due (``retention_backlog()``, the function the
   ``retention_backlog`` check calls) and the oldest row actually held, or
   else the ``@retention`` tags (not measured: no timestamp column is named);
3. access control: every role, its attributes, memberships and its
   privileges on the classified tables, and the members of privileged roles;
4. change control: every apply, rollback and refusal in the period, from
   sqlmig's audit log, with who, the approval and its approver, the backup,
   the emergency reason;
5. integrity: the latest recorded ``sqlmig check`` run.

Everything is read in one READ ONLY transaction after the catalog's own
read-only snapshot; nothing is written.  Sorted throughout, and no clock
reading except :attr:`ComplianceReport.generated_at` (the header), so two
reports of an unchanged database differ only there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

    from ..core.session import Session
    from ..schema.catalog import Catalog, Table

# Roles whose members can read or change everything, or change sqlmig's records.
PRIVILEGED = ("pg_read_all_data", "pg_write_all_data", "pg_database_owner", "sqlmig_owner")
ACTIONS = ("apply", "rollback", "resolve", "override")

SOURCES = {
    "inventory": "table and column comments (@contains-personal-data, @pii) read by the "
                 "catalog layer; readers from has_column_privilege() for every non-system "
                 "role; row-level security from pg_policy",
    "retention": "data_retention_policies and retention_backlog() (the retention_backlog "
                 "check's function), oldest rows by min() over each policy's timestamp "
                 "column, in a READ ONLY transaction; else @retention comment tags",
    "access": "pg_roles, pg_auth_members, has_table_privilege() on the classified tables",
    "changes": "sqlmig's audit log (sqlmig_audit) and approval requests (sqlmig_approvals)",
    "integrity": "the latest run recorded by `sqlmig check --record` (sqlmig_check_runs)",
}


@dataclass(frozen=True)
class InventoryColumn:
    name: str
    pii: str | None  # a kind, "none", or None (not classified)
    readers: list[str]


@dataclass(frozen=True)
class InventoryTable:
    table: str
    personal_data: bool
    level: str | None
    retention: str | None
    row_security: bool
    policies: list[str]  # "name (command, roles)"
    columns: list[InventoryColumn]


@dataclass(frozen=True)
class RetentionItem:
    table: str
    data_class: str | None
    source: str  # data_retention_policies | @retention tag
    period: str
    timestamp_column: str | None
    action: str | None
    legal_basis: str | None
    active: bool
    oldest: str | None  # the oldest value of the timestamp column, as text
    rows_due: int | None  # None: not measured


@dataclass(frozen=True)
class RoleEntry:
    name: str
    superuser: bool
    login: bool
    bypass_rls: bool
    member_of: list[str]
    privileged: bool
    grants: list[str]  # "SELECT, INSERT on public.users"


@dataclass(frozen=True)
class ChangeEvent:
    id: int
    at: datetime
    action: str
    outcome: str
    versions: list[int]
    by: str
    approval: str | None  # "#3 requested by alice, approved by bob"
    backup: str | None
    emergency: bool
    reason: str | None
    detail: str | None


@dataclass(frozen=True)
class Integrity:
    run_id: int
    started_at: datetime
    checks: int
    passed: int
    warned: int
    failed: int
    errored: int


@dataclass(frozen=True)
class ComplianceReport:
    """The report; ``generated_at`` is the only clock reading in it."""

    env: str
    database: str
    generated_at: datetime
    since: str  # the period, as given (e.g. "90d")
    inventory: list[InventoryTable]
    unclassified: list[str]  # classification findings (schema/classification.py)
    retention: list[RetentionItem]
    roles: list[RoleEntry]
    privileged_members: dict[str, list[str]]  # privileged role -> members
    changes: list[ChangeEvent]
    integrity: Integrity | None
    sources: dict[str, str] = field(default_factory=lambda: dict(SOURCES))


def _sql(name: str) -> str:
    return (resources.files(__package__) / "sql" / name).read_text(encoding="utf-8")


def build(session: Session, since: timedelta, since_text: str) -> ComplianceReport:
    """The report of ``session``'s database; reads only."""
    from ..core import audit
    from ..schema import classification
    from ..schema.catalog import introspect

    conn = session.conn
    catalog = introspect(conn, ledger_schema=session.ledger_schema)
    generated = session.clock()
    with conn.transaction():
        conn.execute("SET TRANSACTION READ ONLY")
        row = conn.execute("SELECT current_database()").fetchone()
        database = str(row[0]) if row else "?"
        classified = _classified(catalog)
        inventory = _inventory(conn, classified)
        retention = _retention(conn, catalog)
        roles, members = _access(conn, classified)
        entries = audit.entries(conn, session.ledger, since=generated - since)
        approvals = _approvals(session)
    changes = [_event(e, approvals) for e in sorted(entries, key=lambda e: e.id)
               if e.action in ACTIONS or e.outcome == "refused"]
    return ComplianceReport(
        env=session.config.env, database=database, generated_at=generated, since=since_text,
        inventory=inventory,
        unclassified=classification.findings(catalog, require=True),
        retention=retention, roles=roles, privileged_members=members, changes=changes,
        integrity=_integrity(session))


# -- 1. inventory -----------------------------------------------------------------------


def _classified(catalog: Catalog) -> list[Table]:
    """Tables with personal data: marked, or with a column of ``@pii KIND``."""
    return [t for t in catalog.tables if t.partition_of is None and (
        t.classification.personal_data
        or any(c.classification.pii not in (None, "none") for c in t.columns))]


def _quoted(table: Table) -> str:
    return ".".join('"' + p.replace('"', '""') + '"' for p in (table.schema, table.name))


def _inventory(conn: psycopg.Connection, tables: list[Table]) -> list[InventoryTable]:
    pairs = [(t, c) for t in tables for c in t.columns]
    readers: dict[tuple[str, str], list[str]] = {}
    if pairs:
        rows = conn.execute(_sql("readers.sql"), {
            "tables": [_quoted(t) for t, _ in pairs], "columns": [c.name for _, c in pairs],
        }).fetchall()
        for tbl, col, role in rows:
            readers.setdefault((tbl, col), []).append(role)
    out = []
    for t in sorted(tables, key=lambda t: t.qualified):
        tc = t.classification
        out.append(InventoryTable(
            table=t.qualified, personal_data=tc.personal_data, level=tc.level,
            retention=tc.retention, row_security=t.row_security,
            policies=sorted(f"{p.name} ({p.command}, {', '.join(p.roles)})" for p in t.policies),
            columns=[InventoryColumn(c.name, c.classification.pii,
                                     sorted(readers.get((_quoted(t), c.name), [])))
                     for c in t.columns]))
    return out


# -- 2. retention ------------------------------------------------------------------------


def _retention(conn: psycopg.Connection, catalog: Catalog) -> list[RetentionItem]:
    from psycopg import sql

    tables = {t.name: t for t in catalog.tables if t.schema == "public"}
    has_policies = "data_retention_policies" in tables and any(
        f.name == "retention_backlog" for f in catalog.functions)
    out: list[RetentionItem] = []
    covered: set[str] = set()
    if has_policies:
        for (_id, table, data_class, column, period, action, basis, active,
             due) in conn.execute(_sql("retention_policies.sql")).fetchall():
            oldest = None
            if table in tables and column in {c.name for c in tables[table].columns}:
                value = conn.execute(sql.SQL("SELECT min({})::text FROM {}").format(
                    sql.Identifier(column), sql.Identifier(table))).fetchone()
                oldest = value[0] if value else None
            covered.add(table)
            out.append(RetentionItem(table, data_class, "data_retention_policies", period,
                                     column, action, basis, bool(active), oldest,
                                     int(due) if due is not None else None))
    for t in sorted(catalog.tables, key=lambda t: t.qualified):
        tag = t.classification.retention
        if tag and t.name not in covered and t.partition_of is None:
            out.append(RetentionItem(t.qualified, None, "@retention tag", tag, None, None,
                                     None, True, None, None))
    return out


# -- 3. access control ---------------------------------------------------------------------


def _access(conn: psycopg.Connection, tables: list[Table]
            ) -> tuple[list[RoleEntry], dict[str, list[str]]]:
    grants: dict[str, list[str]] = {}
    if tables:
        names = {_quoted(t): t.qualified for t in tables}
        for tbl, role, privs in conn.execute(_sql("table_grants.sql"),
                                             {"tables": sorted(names)}).fetchall():
            if privs:
                grants.setdefault(role, []).append(f"{', '.join(privs)} on {names[tbl]}")
    roles = []
    members: dict[str, list[str]] = {}
    for name, superuser, login, bypass, _create, member_of in conn.execute(
            _sql("roles.sql")).fetchall():
        privileged_of = [m for m in member_of if m in PRIVILEGED or m.startswith("sqlmig_")]
        for m in privileged_of:
            members.setdefault(m, []).append(name)
        if superuser:
            members.setdefault("superuser", []).append(name)
        roles.append(RoleEntry(name, bool(superuser), bool(login), bool(bypass),
                               list(member_of), bool(superuser or privileged_of),
                               sorted(grants.get(name, []))))
    return roles, {k: sorted(v) for k, v in sorted(members.items())}


# -- 4. change control ---------------------------------------------------------------------


def _approvals(session: Session) -> dict[int, tuple[str, str | None, str]]:
    from psycopg import sql

    from ..governance.approval import TABLE

    found = session.conn.execute("SELECT to_regclass(%s) IS NOT NULL", (
        f'"{session.ledger.schema}"."{TABLE}"',)).fetchone()
    if not (found and found[0]):
        return {}
    rows = session.conn.execute(sql.SQL(_sql("approvals.sql")).format(
        session.ledger.ident(TABLE))).fetchall()
    return {int(i): (str(req), dec, str(state)) for i, req, dec, state in rows}


def _event(e: Any, approvals: dict[int, tuple[str, str | None, str]]) -> ChangeEvent:
    approval = None
    if e.request_id is not None:
        req, dec, _state = approvals.get(e.request_id, ("?", None, "?"))
        approval = f"#{e.request_id} requested by {req}, approved by {dec or '?'}"
    return ChangeEvent(
        id=e.id, at=e.at, action=e.action, outcome=e.outcome, versions=list(e.versions),
        by=e.db_user + (f" ({e.os_user})" if e.os_user else ""), approval=approval,
        backup=(f"{e.backup_file} (sha256 {e.backup_sha256[:12]})" if e.backup_file
                and e.backup_sha256 else e.backup_file),
        emergency=bool(e.emergency), reason=e.reason, detail=e.detail)


# -- 5. integrity --------------------------------------------------------------------------


def _integrity(session: Session) -> Integrity | None:
    from ..checks.records import history

    runs = history(session.url, session.ledger_schema, limit=1)
    if not runs:
        return None
    r = runs[0]
    s = r.summary
    return Integrity(r.id, r.started_at, s.checks, s.passed, s.warned, s.failed, s.errored)
