"""The one catalog-introspection layer: what a live database's schema is.

:func:`introspect` reads the system catalogs with a fixed handful of
set-based queries (one per kind of object, never one per table; their SQL
is in ``sqlmig/sql/catalog/*.sql``) inside one read-only repeatable-read
transaction, and returns a :class:`Catalog` of frozen dataclasses, sorted by
name with byte-wise (``COLLATE "C"``) ordering.  ``sqlmig docs``, schema
snapshots, drift detection and lint all read the schema through it.

What is left out: system schemas, objects that belong to extensions, sqlmig's
own tables (the whole schema ``sqlmig`` when it is the ledger schema, as by
default; in another ledger schema ``schema_migrations`` and ``sqlmig_*``) and,
unless ``include_backup``, the ``sqlmig_backup`` schema.  A table named
``schema_migrations`` outside the ledger schema is the project's own.  Owners and grants
are read only with ``privileges=True`` and row estimates and sizes only with
``stats=True``, because they differ between databases with the same schema.

Definitions (``pg_get_indexdef``, ``pg_get_viewdef``...) qualify names
relative to the search_path, so the catalog is read with ``search_path`` set
to ``pg_catalog, public``: two databases with the same schema give the same
text whatever the connecting role's settings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..core.settings import DEFAULT_SCHEMA
from .classification import Classification
from .classification import parse as classify

if TYPE_CHECKING:
    import psycopg

SEARCH_PATH = "pg_catalog, public"
BACKUP_SCHEMA = "sqlmig_backup"
QUERIES = (
    "schemas", "relations", "columns", "constraints", "indexes", "triggers", "policies",
    "functions", "sequences", "types", "extensions",
)

_REL_KINDS = {"r": "table", "p": "partitioned table", "f": "foreign table",
              "v": "view", "m": "materialized view"}
_CON_TYPES = {"p": "primary key", "u": "unique", "c": "check", "f": "foreign key",
              "x": "exclusion", "t": "constraint trigger"}
_FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL",
               "d": "SET DEFAULT"}
_FK_MATCH = {"f": "FULL", "p": "PARTIAL", "s": "SIMPLE"}
_FN_KINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}
_VOLATILITY = {"i": "immutable", "s": "stable", "v": "volatile"}
_TYPE_KINDS = {"e": "enum", "d": "domain", "c": "composite", "r": "range"}
_TRIGGER_ENABLED = {"O": "enabled", "D": "disabled", "R": "replica", "A": "always"}
_IDENTITY = {"a": "always", "d": "by default"}
_GENERATED = {"s": "stored", "v": "virtual"}


@dataclass(frozen=True)
class Named:
    """A schema-qualified object: what every relation, routine and type shares."""

    schema: str
    name: str

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Schema:
    name: str
    comment: str | None
    owner: str | None = None
    acl: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    position: int  # 1-based among live columns (dropped columns leave no gap)
    type: str  # format_type(), e.g. "numeric(5,2)", "timestamp with time zone"
    nullable: bool
    default: str | None  # pg_get_expr of the default; None for generated columns
    identity: str | None  # "always", "by default" or None
    generated: str | None  # the generation expression
    generated_kind: str | None  # "stored", "virtual" or None
    collation: str | None  # only when it differs from the type's default collation
    comment: str | None

    @property
    def classification(self) -> Classification:
        """The ``@pii``/``@retention``/``@classification`` tags of the comment."""
        return classify(self.comment, on="column")


@dataclass(frozen=True)
class Constraint:
    """A primary key, unique, check, exclusion or constraint-trigger constraint."""

    name: str
    type: str  # "primary key", "unique", "check", "exclusion", "constraint trigger"
    definition: str  # pg_get_constraintdef
    columns: tuple[str, ...]
    validated: bool
    deferrable: bool
    deferred: bool
    inherited: bool  # cloned from a partitioned parent / inherited
    comment: str | None


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key; the same object appears in the referencing table's
    ``foreign_keys`` and the referenced table's ``referenced_by``."""

    name: str
    schema: str
    table: str
    columns: tuple[str, ...]
    ref_schema: str
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str  # "NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"
    on_update: str
    match: str  # "SIMPLE", "FULL", "PARTIAL"
    definition: str
    validated: bool
    deferrable: bool
    deferred: bool
    inherited: bool
    comment: str | None

    @property
    def qualified_table(self) -> str:
        return f"{self.schema}.{self.table}"

    @property
    def qualified_ref_table(self) -> str:
        return f"{self.ref_schema}.{self.ref_table}"


@dataclass(frozen=True)
class Index:
    name: str
    definition: str  # pg_get_indexdef
    columns: tuple[str, ...]  # key columns or expressions, in order
    unique: bool
    primary: bool
    valid: bool
    predicate: str | None  # WHERE clause of a partial index
    constraint: str | None  # the constraint the index implements
    inherited: bool  # a partition's index attached to its parent's index
    comment: str | None


@dataclass(frozen=True)
class Policy:
    """A row-level security policy."""

    name: str
    command: str  # "ALL", "SELECT", "INSERT", "UPDATE", "DELETE"
    permissive: bool  # False: RESTRICTIVE
    roles: tuple[str, ...]  # "public" when the policy applies to every role
    using: str | None  # the USING expression
    check: str | None  # the WITH CHECK expression
    comment: str | None


@dataclass(frozen=True)
class Trigger:
    name: str
    definition: str  # pg_get_triggerdef
    function: str  # schema.name(identity arguments)
    enabled: str  # "enabled", "disabled", "replica", "always"
    inherited: bool  # cloned onto a partition from its parent
    comment: str | None


@dataclass(frozen=True)
class Partition(Named):
    bound: str  # "FOR VALUES FROM (...) TO (...)" or "DEFAULT"


@dataclass(frozen=True)
class Stats:
    """Planner row estimate (None: never analyzed), total size with indexes and
    TOAST, and heap pages (pg_class.relpages, 0 for a table never vacuumed)."""

    row_estimate: int | None
    size_bytes: int
    pages: int = 0


@dataclass(frozen=True)
class Table(Named):
    """A table, partitioned table, partition or foreign table."""

    kind: str  # "table", "partitioned table", "foreign table"
    unlogged: bool
    comment: str | None
    columns: tuple[Column, ...]
    constraints: tuple[Constraint, ...]
    foreign_keys: tuple[ForeignKey, ...]
    referenced_by: tuple[ForeignKey, ...]
    indexes: tuple[Index, ...]
    triggers: tuple[Trigger, ...]
    partition_key: str | None  # pg_get_partkeydef of a partitioned table
    partition_of: str | None  # qualified parent of a partition
    partition_bound: str | None
    partitions: tuple[Partition, ...]
    row_security: bool
    options: tuple[str, ...]  # reloptions, e.g. "fillfactor=70"
    owner: str | None = None
    acl: tuple[str, ...] = ()
    stats: Stats | None = None
    policies: tuple[Policy, ...] = ()

    @property
    def classification(self) -> Classification:
        """The ``@contains-personal-data``/``@retention``/``@classification`` tags."""
        return classify(self.comment, on="table")

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.qualified} has no column {name!r}")


@dataclass(frozen=True)
class View(Named):
    materialized: bool
    definition: str  # pg_get_viewdef(pretty)
    comment: str | None
    columns: tuple[Column, ...]
    indexes: tuple[Index, ...]
    triggers: tuple[Trigger, ...]
    owner: str | None = None
    acl: tuple[str, ...] = ()
    stats: Stats | None = None
    options: tuple[str, ...] = ()  # reloptions: check_option, security_barrier...


@dataclass(frozen=True)
class Function(Named):
    kind: str  # "function", "procedure", "aggregate", "window"
    arguments: str  # pg_get_function_identity_arguments
    result: str | None  # pg_get_function_result; None for procedures
    language: str
    definition: str | None  # pg_get_functiondef; None for aggregates
    volatility: str
    security_definer: bool
    comment: str | None
    owner: str | None = None
    acl: tuple[str, ...] = ()

    @property
    def signature(self) -> str:
        return f"{self.schema}.{self.name}({self.arguments})"


@dataclass(frozen=True)
class Sequence(Named):
    data_type: str
    start: int
    increment: int
    min_value: int
    max_value: int
    cache: int
    cycle: bool
    owned_by: str | None  # schema.table.column
    identity: bool  # the sequence behind an identity column
    comment: str | None
    owner: str | None = None
    acl: tuple[str, ...] = ()


@dataclass(frozen=True)
class DomainConstraint:
    name: str
    definition: str


@dataclass(frozen=True)
class TypeAttribute:
    name: str
    type: str


@dataclass(frozen=True)
class Type(Named):
    kind: str  # "enum", "domain", "composite", "range"
    labels: tuple[str, ...] = ()  # enum labels in sort order
    base_type: str | None = None  # domain
    not_null: bool = False  # domain
    default: str | None = None  # domain
    constraints: tuple[DomainConstraint, ...] = ()  # domain
    attributes: tuple[TypeAttribute, ...] = ()  # composite
    subtype: str | None = None  # range
    comment: str | None = None
    owner: str | None = None


@dataclass(frozen=True)
class Extension:
    name: str
    version: str
    schema: str
    comment: str | None


@dataclass(frozen=True)
class Catalog:
    """Everything :func:`introspect` found, each tuple sorted by (schema, name)."""

    schemas: tuple[Schema, ...]
    tables: tuple[Table, ...]
    views: tuple[View, ...]
    functions: tuple[Function, ...]
    sequences: tuple[Sequence, ...]
    types: tuple[Type, ...]
    extensions: tuple[Extension, ...]
    server_version: int  # server_version_num, e.g. 180001
    queries: int = field(default=0, compare=False)  # statements sent to read it

    def table(self, qualified: str) -> Table:
        """The table ``schema.name`` (a bare name means ``public.name``)."""
        wanted = qualified if "." in qualified else f"public.{qualified}"
        for t in self.tables:
            if t.qualified == wanted:
                return t
        raise KeyError(f"no table {wanted}")

    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        """Every foreign key of every table, by table then name."""
        return tuple(fk for t in self.tables for fk in t.foreign_keys)


def introspect(
    conn: psycopg.Connection,
    *,
    ledger_schema: str = DEFAULT_SCHEMA,
    include_backup: bool = False,
    privileges: bool = False,
    stats: bool = False,
) -> Catalog:
    """Read the schema of ``conn``'s database.

    Runs in its own read-only transaction when the connection is idle (so all
    queries see one consistent snapshot), otherwise inside the caller's
    transaction; the caller's search_path is restored either way.
    """
    from psycopg import pq
    from psycopg.rows import dict_row

    params = {"ledger_schema": ledger_schema, "exclude_backup": not include_backup,
              "privileges": privileges, "stats": stats}
    rows: dict[str, list[dict[str, Any]]] = {}
    idle = conn.info.transaction_status == pq.TransactionStatus.IDLE
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        sent = 0
        if idle:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            sent += 1
        cur.execute("SELECT current_setting('search_path') AS old,"
                    " set_config('search_path', %s, true) AS new,"
                    " current_setting('server_version_num')::int AS version", (SEARCH_PATH,))
        head = cur.fetchone()
        assert head is not None
        sent += 1
        for name in QUERIES:
            cur.execute(_query(name), params)
            rows[name] = cur.fetchall()
            sent += 1
        if not idle:
            cur.execute("SELECT set_config('search_path', %s, true)", (head["old"],))
            sent += 1
    return _build(rows, int(head["version"]), sent)


@cache
def _query(name: str) -> str:
    base = resources.files(__package__) / "sql" / "catalog"
    scope = (base / "scope.sql").read_text(encoding="utf-8")
    return scope + "\n" + (base / f"{name}.sql").read_text(encoding="utf-8")


# -- rows to dataclasses --------------------------------------------------------------


def _build(rows: dict[str, list[dict[str, Any]]], version: int, sent: int) -> Catalog:
    def key(r: dict[str, Any]) -> tuple[str, str]:
        return (r["schema"], r["relation"])

    columns = _group(rows["columns"], key, _column)
    indexes = _group(rows["indexes"], key, _index)
    triggers = _group(rows["triggers"], key, _trigger)
    policies = _group(rows["policies"], key, _policy)
    constraints: dict[tuple[str, str], list[Constraint]] = defaultdict(list)
    outgoing: dict[tuple[str, str], list[ForeignKey]] = defaultdict(list)
    incoming: dict[tuple[str, str], list[ForeignKey]] = defaultdict(list)
    for r in rows["constraints"]:
        if r["type"] == "f":
            fk = _foreign_key(r)
            outgoing[key(r)].append(fk)
            incoming[(fk.ref_schema, fk.ref_table)].append(fk)
        else:
            constraints[key(r)].append(_constraint(r))
    partitions: dict[tuple[str, str], list[Partition]] = defaultdict(list)
    for r in rows["relations"]:
        if r["is_partition"]:
            partitions[(r["parent_schema"], r["parent_name"])].append(
                Partition(r["schema"], r["name"], r["partition_bound"]))

    tables: list[Table] = []
    views: list[View] = []
    for r in rows["relations"]:
        k = (r["schema"], r["name"])
        common = dict(
            schema=r["schema"], name=r["name"], comment=r["comment"],
            columns=tuple(columns.get(k, ())), indexes=tuple(indexes.get(k, ())),
            triggers=tuple(triggers.get(k, ())), owner=r["owner"], acl=tuple(r["acl"] or ()),
        )
        if r["kind"] in ("v", "m"):
            views.append(View(materialized=r["kind"] == "m", definition=r["definition"],
                              stats=_stats(r), options=tuple(r["options"] or ()), **common))
            continue
        tables.append(Table(
            kind=_REL_KINDS[r["kind"]], unlogged=r["persistence"] == "u",
            policies=tuple(policies.get(k, ())),
            constraints=tuple(constraints.get(k, ())),
            foreign_keys=tuple(outgoing.get(k, ())),
            referenced_by=tuple(sorted(incoming.get(k, ()),
                                       key=lambda f: (f.schema, f.table, f.name))),
            partition_key=r["partition_key"],
            partition_of=f"{r['parent_schema']}.{r['parent_name']}" if r["is_partition"] else None,
            partition_bound=r["partition_bound"],
            partitions=tuple(partitions.get(k, ())),
            row_security=r["row_security"], options=tuple(r["options"] or ()),
            stats=_stats(r), **common,
        ))
    return Catalog(
        schemas=tuple(Schema(r["name"], r["comment"], r["owner"], tuple(r["acl"] or ()))
                      for r in rows["schemas"]),
        tables=tuple(_roll_up_partitioned(tables)),
        views=tuple(views),
        functions=tuple(_function(r) for r in rows["functions"]),
        sequences=tuple(_sequence(r) for r in rows["sequences"]),
        types=tuple(_type(r) for r in rows["types"]),
        extensions=tuple(Extension(r["name"], r["version"], r["schema"], r["comment"])
                         for r in rows["extensions"]),
        server_version=version,
        queries=sent,
    )


def _group(rows: list[dict[str, Any]], key: Any, make: Any) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = defaultdict(list)
    for r in rows:
        out[key(r)].append(make(r))
    return out


def _stats(r: dict[str, Any]) -> Stats | None:
    if r["size_bytes"] is None:
        return None
    return Stats(r["row_estimate"], int(r["size_bytes"]), int(r.get("pages") or 0))


def _roll_up_partitioned(tables: list[Table]) -> list[Table]:
    """A partitioned table's stats are the sums over its (sub)partitions."""
    from dataclasses import replace

    by_name = {t.qualified: t for t in tables}

    def total(t: Table) -> Stats | None:
        if t.stats is None or not t.partitions:
            return t.stats
        parts = [total(by_name[p.qualified]) for p in t.partitions if p.qualified in by_name]
        known = [s.row_estimate for s in parts if s and s.row_estimate is not None]
        return Stats(sum(known) if known else None,
                     t.stats.size_bytes + sum(s.size_bytes for s in parts if s),
                     t.stats.pages + sum(s.pages for s in parts if s))

    return [replace(t, stats=total(t)) if t.partitions else t for t in tables]


def _column(r: dict[str, Any]) -> Column:
    return Column(
        name=r["name"], position=int(r["position"]), type=r["type"], nullable=r["nullable"],
        default=r["default"], identity=_IDENTITY.get(r["identity"]),
        generated=r["generated"], generated_kind=_GENERATED.get(r["generated_kind"]),
        collation=r["collation"], comment=r["comment"],
    )


def _constraint(r: dict[str, Any]) -> Constraint:
    return Constraint(
        name=r["name"], type=_CON_TYPES[r["type"]], definition=r["definition"],
        columns=tuple(r["columns"]), validated=r["validated"], deferrable=r["deferrable"],
        deferred=r["deferred"], inherited=r["inherited"], comment=r["comment"],
    )


def _foreign_key(r: dict[str, Any]) -> ForeignKey:
    return ForeignKey(
        name=r["name"], schema=r["schema"], table=r["relation"], columns=tuple(r["columns"]),
        ref_schema=r["ref_schema"], ref_table=r["ref_relation"],
        ref_columns=tuple(r["ref_columns"]), on_delete=_FK_ACTIONS[r["on_delete"]],
        on_update=_FK_ACTIONS[r["on_update"]], match=_FK_MATCH.get(r["match"], r["match"]),
        definition=r["definition"], validated=r["validated"], deferrable=r["deferrable"],
        deferred=r["deferred"], inherited=r["inherited"], comment=r["comment"],
    )


def _index(r: dict[str, Any]) -> Index:
    return Index(
        name=r["name"], definition=r["definition"], columns=tuple(r["columns"]),
        unique=r["is_unique"], primary=r["is_primary"], valid=r["valid"],
        predicate=r["predicate"], constraint=r["constraint_name"], inherited=r["inherited"],
        comment=r["comment"],
    )


def _policy(r: dict[str, Any]) -> Policy:
    return Policy(
        name=r["name"], command=r["command"], permissive=r["permissive"],
        roles=tuple(r["roles"] or ()), using=r["using_expr"], check=r["check_expr"],
        comment=r["comment"],
    )


def _trigger(r: dict[str, Any]) -> Trigger:
    return Trigger(
        name=r["name"], definition=r["definition"], function=r["function"],
        enabled=_TRIGGER_ENABLED.get(r["enabled"], r["enabled"]), inherited=r["inherited"],
        comment=r["comment"],
    )


def _function(r: dict[str, Any]) -> Function:
    return Function(
        schema=r["schema"], name=r["name"], kind=_FN_KINDS[r["kind"]], arguments=r["arguments"],
        result=r["result"], language=r["language"], definition=r["definition"],
        volatility=_VOLATILITY[r["volatility"]], security_definer=r["security_definer"],
        comment=r["comment"], owner=r["owner"], acl=tuple(r["acl"] or ()),
    )


def _sequence(r: dict[str, Any]) -> Sequence:
    owned = (f"{r['owner_schema']}.{r['owner_relation']}.{r['owner_column']}"
             if r["owner_relation"] else None)
    return Sequence(
        schema=r["schema"], name=r["name"], data_type=r["data_type"], start=int(r["start"]),
        increment=int(r["increment"]), min_value=int(r["min_value"]),
        max_value=int(r["max_value"]), cache=int(r["cache"]), cycle=r["cycle"],
        owned_by=owned, identity=bool(r["identity"]), comment=r["comment"],
        owner=r["owner"], acl=tuple(r["acl"] or ()),
    )


def _type(r: dict[str, Any]) -> Type:
    return Type(
        schema=r["schema"], name=r["name"], kind=_TYPE_KINDS[r["kind"]],
        labels=tuple(r["labels"]), base_type=r["base_type"],
        not_null=r["not_null"] and r["kind"] == "d", default=r["default"],
        constraints=tuple(DomainConstraint(n, d) for n, d in
                          zip(r["constraint_names"], r["constraint_definitions"])),
        attributes=tuple(TypeAttribute(n, t) for n, t in
                         zip(r["attribute_names"], r["attribute_types"])) if r["kind"] == "c" else (),
        subtype=r["subtype"], comment=r["comment"], owner=r["owner"],
    )
