"""Schema snapshots: a normalized, deterministic description of a schema.

A :class:`Snapshot` is built from :func:`sqlmig.catalog.introspect` (the one
introspection layer; nothing here queries the catalog itself) as a flat,
ordered mapping ``(kind, qualified name) -> attributes``: schemas,
extensions, types, sequences (parameters, never current values), tables with
their columns, constraints, foreign keys, indexes and triggers, views and
materialized views, functions and procedures; comments everywhere, owners
and grants with ``privileges=True``.  sqlmig's own tables and the
``sqlmig_backup`` schema are left out by the catalog.

Attributes that are null, false or empty are omitted, so "absent" and
"false" compare equal and the text stays short.  Column order is kept as the
``column_order`` attribute of a table or view and reported apart from the
other differences (it matters for ``SELECT *`` and ``COPY``, but is rarely
what a reviewer is looking for).

Two databases with the same schema give byte-identical :meth:`Snapshot.to_text`
and :meth:`Snapshot.to_json`; :func:`parse` reads either back, so a committed
snapshot can be compared with a live database (``sqlmig snapshot --check``).

A :func:`fingerprint` is the cheap way to tell whether two states of one
database have the same snapshot (what ``sqlmig verify`` compares first): the
catalog layer's own queries, run by the server with their rows hashed there
(``sql/fingerprint/*.sql`` around ``sql/catalog/*.sql``), so equal
fingerprints mean equal snapshots; :class:`Fingerprinter` keeps a connection
set up for taking many.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError

if TYPE_CHECKING:
    import psycopg

    from .catalog import Catalog, Column, Index, Trigger
    from ..core.project import Project

FORMAT = "sqlmig schema snapshot, format 1"
ORDER = "column_order"

Key = tuple[str, str]  # (kind, qualified name)
Attributes = dict[str, Any]

# Longest first, so that "materialized view x" is not read as "view ...".
KINDS = sorted(
    ["schema", "extension", "enum", "domain", "composite type", "range type", "sequence",
     "table", "column", "constraint", "foreign key", "index", "trigger", "policy", "view",
     "materialized view", "function", "procedure", "aggregate", "window function"],
    key=len, reverse=True,
)
_PARENTS = ("table", "view", "materialized view")
_CHILDREN = ("column", "constraint", "foreign key", "index", "trigger", "policy")
_TYPE_KINDS = {"enum": "enum", "domain": "domain", "composite": "composite type",
               "range": "range type"}
_FUNCTION_KINDS = {"window": "window function"}
# How a boolean attribute reads in a sentence: "column users.email is now NOT NULL".
_FLAGS = {
    "not_null": "NOT NULL", "unlogged": "UNLOGGED", "not_validated": "NOT VALID",
    "deferrable": "DEFERRABLE", "deferred": "INITIALLY DEFERRED", "inherited": "inherited",
    "unique": "unique", "primary": "the primary key", "invalid": "invalid (failed build)",
    "security_definer": "SECURITY DEFINER", "row_security": "row level security enabled",
    "cycle": "CYCLE", "identity": "an identity sequence", "restrictive": "RESTRICTIVE",
}


@dataclass(frozen=True)
class Snapshot:
    """Every object of a schema, in a fixed order; compare with ``==`` or :func:`diff`."""

    objects: dict[Key, Attributes] = field(default_factory=dict)

    def to_text(self) -> str:
        """The reviewable form: one block per object, attributes in a fixed order."""
        out = [f"# {FORMAT}\n"]
        for (kind, name), attrs in self.objects.items():
            out.append(f"\n{kind} {name}\n")
            for attr, value in attrs.items():
                if isinstance(value, str) and "\n" in value:
                    out.append(f"  {attr}: |\n")
                    out.extend(f"    |{line}\n" for line in value.split("\n"))
                else:
                    out.append(f"  {attr}: {_json(value)}\n")
        return "".join(out)

    def to_json(self) -> str:
        """The same content as JSON (stable key order, one object per list item)."""
        items = [{"kind": k, "name": n, "attributes": a} for (k, n), a in self.objects.items()]
        return json.dumps({"format": FORMAT, "objects": items}, indent=1, ensure_ascii=False) + "\n"

    def count(self, kind: str) -> int:
        return sum(1 for k, _ in self.objects if k == kind)


def take(
    conn: psycopg.Connection,
    *,
    ledger_schema: str = "sqlmig",  # core.settings.DEFAULT_SCHEMA
    include_backup: bool = False,
    privileges: bool = False,
) -> Snapshot:
    """Introspect ``conn``'s database and normalize it into a :class:`Snapshot`."""
    from .catalog import introspect

    cat = introspect(conn, ledger_schema=ledger_schema, include_backup=include_backup,
                     privileges=privileges)
    return from_catalog(cat)


Fingerprint = tuple[str, ...]  # one digest (hex sha256) per catalog query


def fingerprint(
    conn: psycopg.Connection,
    *,
    ledger_schema: str = "sqlmig",  # core.settings.DEFAULT_SCHEMA
    include_backup: bool = False,
    privileges: bool = False,
) -> Fingerprint:
    """A digest of everything :func:`take` with the same arguments would compare,
    computed in the server in one statement: equal fingerprints mean equal
    snapshots (different ones usually, not always, mean different snapshots:
    a few catalog facts that the snapshot leaves out are hashed too).

    It runs the catalog layer's own queries (``sql/catalog/*.sql``, with the
    same parameters and the same ``search_path`` as
    :func:`~sqlmig.schema.catalog.introspect`) and hashes their rows in the
    server, so nothing is sent back but the digests and nothing is built in
    Python: the snapshot is a function of those rows alone (and of the
    server version, the same for two states of one database), so it holds
    for every query :func:`~sqlmig.schema.catalog.introspect` reads, with
    nothing to keep in step (tests/test_verify_fingerprint.py breaks one thing
    of each kind).  Like ``introspect``, it runs in its own transaction when
    the connection is idle and restores the caller's settings otherwise.
    """
    from psycopg import pq

    params = _fingerprint_params(ledger_schema, include_backup, privileges)
    idle = conn.info.transaction_status == pq.TransactionStatus.IDLE
    with conn.transaction(), conn.cursor() as cur:
        row = cur.execute(*_session(local=True)).fetchone()
        assert row is not None
        digests = _digests(conn, params)
        if not idle:
            cur.execute("SELECT set_config('search_path', %s, true), "
                        "set_config('plan_cache_mode', %s, true)", (row[0], row[2]))
    return digests


class Fingerprinter:
    """Fingerprints (and detailed snapshots) of one database on a connection of
    their own, which runs nothing else: its session is set up once
    (``search_path`` as :func:`~sqlmig.schema.catalog.introspect` reads with,
    and a generic plan: planning the statement costs about as much as running
    it on a small schema), so each fingerprint is one prepared statement and one
    round trip, and psycopg keeps it prepared (it forgets its prepared
    statements on a connection that runs a DROP, an ALTER or a ROLLBACK)."""

    def __init__(self, url: str, *, ledger_schema: str = "sqlmig",
                 include_backup: bool = False, privileges: bool = False) -> None:
        from ..core.connection import connect

        self._params = _fingerprint_params(ledger_schema, include_backup, privileges)
        self.ledger_schema, self.include_backup, self.privileges = (
            ledger_schema, include_backup, privileges)
        self.conn = connect(url)
        try:
            self.conn.execute(*_session(local=False))
        except BaseException:
            self.conn.close()
            raise

    def fingerprint(self) -> Fingerprint:
        """:func:`fingerprint` of the database now."""
        return _digests(self.conn, self._params)

    def take(self) -> Snapshot:
        """:func:`take` of the database now, on the same connection."""
        return take(self.conn, ledger_schema=self.ledger_schema,
                    include_backup=self.include_backup, privileges=self.privileges)

    def close(self) -> None:
        self.conn.close()


# The settings fingerprints are read with: introspect's search_path, and a
# generic plan; (old search_path, new, old plan_cache_mode, new).
_SESSION_SQL = ("SELECT current_setting('search_path'), set_config('search_path', %s, %s), "
                "current_setting('plan_cache_mode'), "
                "set_config('plan_cache_mode', 'force_generic_plan', %s)")


def _session(local: bool) -> tuple[str, tuple[str, bool, bool]]:
    from .catalog import SEARCH_PATH

    return _SESSION_SQL, (SEARCH_PATH, local, local)


def _fingerprint_params(ledger_schema: str, include_backup: bool,
                        privileges: bool) -> dict[str, Any]:
    # The parameters introspect passes to the same queries (take: never stats).
    return {"ledger_schema": ledger_schema, "exclude_backup": not include_backup,
            "privileges": privileges, "stats": False}


def _digests(conn: psycopg.Connection, params: dict[str, Any]) -> Fingerprint:
    row = conn.execute(_fingerprint_query(), params, prepare=True).fetchone()
    assert row is not None
    return tuple(str(d) for d in row[0])


@cache
def _fingerprint_query() -> str:
    """sql/fingerprint/schema.sql around sql/fingerprint/digest.sql of each query
    of :data:`~sqlmig.schema.catalog.QUERIES` (the SQL files the catalog reads)."""
    from .catalog import QUERIES

    base = resources.files(__package__) / "sql"

    def read(*path: str) -> str:
        return base.joinpath(*path).read_text(encoding="utf-8")

    digest = read("fingerprint", "digest.sql")
    digests = ",\n".join(digest.replace("{query}", read("catalog", f"{name}.sql").rstrip())
                          for name in QUERIES)
    return (read("fingerprint", "schema.sql").replace("{scope}", read("catalog", "scope.sql")
                                                      .rstrip())
            .replace("{digests}", digests))


def from_catalog(cat: Catalog) -> Snapshot:
    """The snapshot of an already-read :class:`~sqlmig.catalog.Catalog`."""
    objects: dict[Key, Attributes] = {}

    def put(kind_: str, name_: str, **attrs: Any) -> None:
        objects[(kind_, name_)] = {k: v for k, v in attrs.items() if not _empty(v)}

    for s in cat.schemas:
        put("schema", s.name, comment=s.comment, owner=s.owner, acl=list(s.acl))
    for x in cat.extensions:
        put("extension", x.name, version=x.version, schema=x.schema, comment=x.comment)
    for ty in cat.types:
        put(_TYPE_KINDS.get(ty.kind, ty.kind), ty.qualified, labels=list(ty.labels),
            base_type=ty.base_type, not_null=ty.not_null, default=ty.default,
            constraints=[f"{dc.name}: {dc.definition}" for dc in ty.constraints],
            attributes=[f"{a.name} {a.type}" for a in ty.attributes],
            subtype=ty.subtype, comment=ty.comment, owner=ty.owner)
    for q in cat.sequences:
        put("sequence", q.qualified, data_type=q.data_type, start=q.start,
            increment=q.increment, min_value=q.min_value, max_value=q.max_value,
            cache=q.cache, cycle=q.cycle, owned_by=q.owned_by, identity=q.identity,
            comment=q.comment, owner=q.owner, acl=list(q.acl))
    for t in cat.tables:
        put("table", t.qualified, kind=None if t.kind == "table" else t.kind,
            unlogged=t.unlogged, partition_key=t.partition_key, partition_of=t.partition_of,
            partition_bound=t.partition_bound, row_security=t.row_security,
            options=list(t.options), comment=t.comment, owner=t.owner, acl=list(t.acl),
            **{ORDER: [c.name for c in t.columns]})
        _columns(put, t.qualified, t.columns)
        for c in t.constraints:
            put("constraint", f"{t.qualified}.{c.name}", type=c.type, definition=c.definition,
                not_validated=not c.validated, deferrable=c.deferrable, deferred=c.deferred,
                inherited=c.inherited, comment=c.comment)
        for fk in t.foreign_keys:
            put("foreign key", f"{t.qualified}.{fk.name}", definition=fk.definition,
                not_validated=not fk.validated, deferrable=fk.deferrable, deferred=fk.deferred,
                inherited=fk.inherited, comment=fk.comment)
        _indexes(put, t.schema, t.qualified, t.indexes)
        _triggers(put, t.qualified, t.triggers)
        for p in t.policies:
            put("policy", f"{t.qualified}.{p.name}", command=p.command,
                restrictive=not p.permissive, roles=list(p.roles), using=p.using,
                check=p.check, comment=p.comment)
    for v in cat.views:
        put("materialized view" if v.materialized else "view", v.qualified,
            definition=v.definition, options=list(v.options),
            comment=v.comment, owner=v.owner, acl=list(v.acl),
            **{ORDER: [c.name for c in v.columns]})
        _columns(put, v.qualified, v.columns)
        _indexes(put, v.schema, v.qualified, v.indexes)
        _triggers(put, v.qualified, v.triggers)
    for f in cat.functions:
        put(_FUNCTION_KINDS.get(f.kind, f.kind), f.signature, result=f.result,
            language=f.language, volatility=f.volatility, security_definer=f.security_definer,
            definition=f.definition, comment=f.comment, owner=f.owner, acl=list(f.acl))
    return Snapshot(objects)


def _empty(value: Any) -> bool:
    # Not `value in (None, False, ...)`: 0 == False, and a sequence may start at 0.
    return value is None or value is False or (isinstance(value, (str, list, tuple)) and not value)


def _columns(put: Any, parent: str, columns: tuple[Column, ...]) -> None:
    for c in columns:
        put("column", f"{parent}.{c.name}", type=c.type, not_null=not c.nullable,
            default=c.default, identity=c.identity, generated=c.generated,
            generated_kind=c.generated_kind, collation=c.collation, comment=c.comment)


def _indexes(put: Any, schema: str, parent: str, indexes: tuple[Index, ...]) -> None:
    # Index names are unique per schema, not per table: the key is schema.index.
    for i in indexes:
        put("index", f"{schema}.{i.name}", table=parent, definition=i.definition,
            unique=i.unique, primary=i.primary, invalid=not i.valid, constraint=i.constraint,
            inherited=i.inherited, comment=i.comment)


def _triggers(put: Any, parent: str, triggers: tuple[Trigger, ...]) -> None:
    for t in triggers:
        put("trigger", f"{parent}.{t.name}", definition=t.definition,
            enabled=None if t.enabled == "enabled" else t.enabled,
            inherited=t.inherited, comment=t.comment)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- reading a snapshot back ------------------------------------------------------------


def parse(text: str, source: str = "snapshot") -> Snapshot:
    """Read :meth:`Snapshot.to_text` or :meth:`Snapshot.to_json` output back.

    ``source`` names the file in errors (ConfigError, exit 2, with the line).
    """
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
            return Snapshot({(o["kind"], o["name"]): dict(o["attributes"])
                             for o in data["objects"]})
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{source}: not a sqlmig JSON snapshot ({exc}). "
                              "Regenerate it with `sqlmig snapshot --out`.", path=source) from None
    return Snapshot(dict(_parse_text(text, source)))


def _parse_text(text: str, source: str) -> Iterator[tuple[Key, Attributes]]:
    key: Key | None = None
    attrs: Attributes = {}
    block: str | None = None
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.startswith("    |") and block is not None:
            attrs[block] = (attrs[block] + "\n" if attrs[block] is not None else "") + line[5:]
            continue
        block = None
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("  ") and key is not None and ": " in line:
            attr, _, raw = line[2:].partition(": ")
            if raw == "|":
                attrs[attr], block = None, attr
                continue
            try:
                attrs[attr] = json.loads(raw)
            except ValueError:
                _bad(source, lineno, f"the value of `{attr}` is not JSON")
            continue
        kind = next((k for k in KINDS if line.startswith(k + " ")), "")
        if not kind or line.startswith(" "):
            _bad(source, lineno, f"unexpected line {line[:60]!r}")
        if key is not None:
            yield key, attrs
        key, attrs = (kind, line[len(kind) + 1:]), {}
    if key is not None:
        yield key, attrs


def _bad(source: str, line: int, what: str) -> None:
    raise ConfigError(f"{source}:{line}: not a sqlmig snapshot: {what}. Regenerate it with "
                      "`sqlmig snapshot --out FILE`.", path=source, line=line)


# -- comparing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One object added or removed, or one attribute (or the column order) changed."""

    change: str  # "added" | "removed" | "changed"
    kind: str
    name: str
    attribute: str | None = None
    old: Any = None  # the expected value (None: absent)
    new: Any = None  # the actual value

    @property
    def is_order(self) -> bool:
        return self.attribute == ORDER

    def describe(self, added: str = "was added", removed: str = "is missing") -> str:
        """A sentence: "index questions_rank_idx is left over", "default of users.role
        changed from 'guest'::text to 'member'::text"."""
        what = f"{self.kind} {display(self.name)}"
        if self.change == "added":
            return f"{what} {added}"
        if self.change == "removed":
            return f"{what} {removed}"
        attr = self.attribute or ""
        if self.is_order:
            return (f"column order of {what} changed from ({', '.join(self.old or [])}) "
                    f"to ({', '.join(self.new or [])})")
        if attr in _FLAGS and isinstance(self.old or self.new, bool):
            return f"{what} is {'now' if self.new else 'no longer'} {_FLAGS[attr]}"
        subject = display(self.name) if self.kind == "column" else what
        label = attr.replace("_", " ")
        show = _json if attr == "comment" else _show
        if self.old is None:
            return f"{label} {show(self.new)} was added to {subject}"
        if self.new is None:
            return f"{label} {show(self.old)} of {subject} was removed"
        if isinstance(self.old, str) and isinstance(self.new, str) and (
                _long(self.old) or _long(self.new)):
            # Cut at a fixed width, two long definitions read the same: show the change.
            return "\n  ".join([f"{label} of {subject} changed:",
                                 *definition_diff(self.old, self.new)])
        return f"{label} of {subject} changed from {show(self.old)} to {show(self.new)}"


@dataclass(frozen=True)
class SnapshotDiff:
    """What differs between an expected and an actual snapshot."""

    differences: tuple[Difference, ...]  # objects and attributes, column order excluded
    order: tuple[Difference, ...]  # column order changes, reported separately

    @property
    def empty(self) -> bool:
        return not self.differences and not self.order

    def lines(self, added: str = "was added", removed: str = "is missing") -> list[str]:
        return [d.describe(added, removed) for d in (*self.differences, *self.order)]


def diff(expected: Snapshot, actual: Snapshot) -> SnapshotDiff:
    """Differences from ``expected`` to ``actual``.  The columns, constraints,
    indexes and triggers of an added or removed table (or view) are not listed
    again: the table is."""
    exp, act = expected.objects, actual.objects
    whole = {n for (k, n) in (exp.keys() ^ act.keys()) if k in _PARENTS}
    found: list[Difference] = []
    order: list[Difference] = []
    for key in _merged_keys(exp, act):
        kind, name = key
        if kind in _CHILDREN and _parent(key, exp.get(key) or act.get(key) or {}) in whole:
            continue
        if key not in act:
            found.append(Difference("removed", kind, name))
        elif key not in exp:
            found.append(Difference("added", kind, name))
        else:
            a, b = exp[key], act[key]
            for attr in _merged_attrs(a, b):
                if attr == ORDER and not _reordered(a.get(attr), b.get(attr)):
                    continue
                if a.get(attr) != b.get(attr):
                    d = Difference("changed", kind, name, attr, a.get(attr), b.get(attr))
                    (order if d.is_order else found).append(d)
    return SnapshotDiff(tuple(found), tuple(order))


def _reordered(old: list[str] | None, new: list[str] | None) -> bool:
    """Whether the columns both sides have come in a different order (an added or
    dropped column is reported as such, not as an order change)."""
    old, new = old or [], new or []
    common = set(old) & set(new)
    return [c for c in old if c in common] != [c for c in new if c in common]


def display(name: str) -> str:
    """A qualified name as people write it: ``public.`` is dropped."""
    return name[len("public."):] if name.startswith("public.") else name


def _parent(key: Key, attrs: Attributes) -> str:
    kind, name = key
    if kind == "index":
        return str(attrs.get("table", ""))
    return name.rsplit(".", 1)[0]


def _merged_keys(a: dict[Key, Any], b: dict[Key, Any]) -> list[Key]:
    # Expected order first, then what only the actual side has, in its order.
    return [*a, *(k for k in b if k not in a)]


def _merged_attrs(a: Attributes, b: Attributes) -> list[str]:
    return [*a, *(k for k in b if k not in a)]


def _long(value: str) -> bool:
    return "\n" in value or len(value) > _SHORT


_SHORT = 60  # a value up to this long is shown whole, inline
_WIDTH = 72  # single-line definitions are cut into pieces of about this width to be diffed
# Where a one-line definition (index, constraint, trigger, policy) is cut into
# lines: after commas, and before the clauses pg_get_*def() writes in capitals.
_BREAKS = re.compile(
    r"(?<=,)\s+|\s+(?=(?:FROM|WHERE|AND|OR|JOIN|ON|USING|INCLUDE|WITH|GROUP BY|ORDER BY|"
    r"HAVING|LIMIT|UNION|REFERENCES|CHECK|EXECUTE|FOR EACH|WHEN)\b)"
)


def definition_diff(old: str, new: str, *, context: int = 2, limit: int = 24) -> list[str]:
    """The change from ``old`` to ``new`` as unified-diff lines (``- ``, ``+ ``,
    ``  `` for context), trimmed to ``context`` lines around each change, ``...``
    where lines are left out, and at most ``limit`` lines.  Multi-line values
    (views, functions) are diffed by line; one-line ones by clause."""
    import difflib

    a, b = _diff_lines(old), _diff_lines(new)
    if a == b:  # equal up to how it is cut (trailing or repeated whitespace)
        return [f"- {old!r}", f"+ {new!r}"]
    out: list[str] = []
    end = (0, 0)
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if group[0][1] > end[0] or group[0][3] > end[1]:
            out.append("...")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [f"  {line}" for line in a[i1:i2]]
                continue
            out += [f"- {line}" for line in a[i1:i2]]
            out += [f"+ {line}" for line in b[j1:j2]]
        end = (group[-1][2], group[-1][4])
    if end[0] < len(a) or end[1] < len(b):
        out.append("...")
    if len(out) > limit:
        out = [*out[:limit], f"... ({len(out) - limit} more lines)"]
    return out


def _diff_lines(value: str) -> list[str]:
    import textwrap

    lines: list[str] = []
    for line in value.split("\n"):
        if len(line) <= _WIDTH:
            lines.append(line.rstrip())
            continue
        for piece in _BREAKS.split(line):
            lines += textwrap.wrap(piece, _WIDTH, break_long_words=False, break_on_hyphens=False)
    return lines


def _show(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:77] + "..."
        return " ".join(text.split()) if "\n" in text else text
    return _json(value)


# -- committed snapshot files ------------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotFile:
    """``sqlmig snapshot --out FILE [--check]``: what was written, or what differs."""

    path: str
    format: str  # "text" | "json"
    objects: int
    written: bool
    differences: list[str] = field(default_factory=list)  # committed -> live, for --check

    @property
    def ok(self) -> bool:
        return not self.differences


def file_format(path: str, fmt: str | None = None) -> str:
    return fmt or ("json" if path.endswith(".json") else "text")


def save(snap: Snapshot, path: Path, fmt: str | None = None) -> SnapshotFile:
    """Write ``snap`` to ``path`` (JSON for ``*.json`` unless ``fmt`` says otherwise)."""
    kind = file_format(str(path), fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(snap.to_json() if kind == "json" else snap.to_text(), encoding="utf-8")
    return SnapshotFile(str(path), kind, len(snap.objects), written=True)


def check_file(snap: Snapshot, path: Path, fmt: str | None = None) -> SnapshotFile:
    """Compare the live ``snap`` with the committed file; writes nothing.  A file
    that differs only in bytes (hand-edited spacing) counts as different too."""
    kind = file_format(str(path), fmt)
    if not path.is_file():
        raise ConfigError(f"{path} does not exist: write it first with "
                          f"`sqlmig snapshot --out {path}` and commit it.", path=path)
    text = path.read_text(encoding="utf-8")
    committed = parse(text, str(path))
    found = diff(committed, snap).lines(added="is not in the committed snapshot",
                                        removed="is in the committed snapshot but not in the "
                                                "database")
    expected = snap.to_json() if kind == "json" else snap.to_text()
    if not found and text != expected:
        found = [f"{path} is not in the form sqlmig writes (edited by hand?): regenerate it "
                 "with `sqlmig snapshot --out`"]
    return SnapshotFile(str(path), kind, len(snap.objects), written=False, differences=found)


def schema_snapshot(project: Project | Path | str | None = None, env: str = "dev",
                    database_url: str | None = None, *, privileges: bool = False,
                    include_backup: bool = False) -> Snapshot:
    """The snapshot of an environment's database, for a Python caller."""
    from ..core.session import Session

    with Session(project, env, database_url) as s:
        return take(s.conn, ledger_schema=s.ledger_schema, include_backup=include_backup,
                    privileges=privileges)


diff_snapshots = diff  # the public name: ``sqlmig.diff_snapshots(expected, actual)``
