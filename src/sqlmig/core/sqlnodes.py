"""What a parsed statement is: readers of pglast's parse trees for
:mod:`sqlmig.core.sqltext` (transaction control, statements PostgreSQL
refuses inside a transaction block, COPY through the client, the relations a
statement defines or changes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar

# Kinds of TransactionStmt that stay inside the surrounding transaction.
SAVEPOINT_KINDS = {"TRANS_STMT_SAVEPOINT", "TRANS_STMT_RELEASE", "TRANS_STMT_ROLLBACK_TO"}


def _kind(node: Any) -> str:
    return type(node).__name__


def transaction_kind(node: Any) -> str | None:
    """``TRANS_STMT_COMMIT``... for a TransactionStmt, else None."""
    return node.kind.name if _kind(node) == "TransactionStmt" else None


def _defel_true(options: Any, name: str, default: bool) -> bool:
    """A boolean option of a WITH (...) list, as PostgreSQL's defGetBoolean reads it."""
    for opt in options or ():
        if getattr(opt, "defname", None) == name:
            arg = getattr(opt, "arg", None)
            if arg is None:
                return True
            value = str(getattr(arg, "sval", getattr(arg, "ival", getattr(arg, "boolval", ""))))
            return value.lower() not in ("false", "off", "0", "no")
    return default


def no_transaction_block(node: Any) -> str | None:
    """The name PostgreSQL gives the statement when it refuses to run it inside
    a transaction block (PreventInTransactionBlock, SQLSTATE 25001), or None.

    Only what the syntax decides: REINDEX or CLUSTER of a partitioned table
    and DROP SUBSCRIPTION of a subscription with a slot are refused too, but
    that depends on the catalog; the server says so at run time.
    """
    kind = _kind(node)
    if kind == "IndexStmt" and node.concurrent:
        return "CREATE INDEX CONCURRENTLY"
    if kind == "DropStmt" and node.concurrent:
        return "DROP INDEX CONCURRENTLY"
    if kind == "ReindexStmt":
        if any(getattr(p, "defname", None) == "concurrently" for p in node.params or ()) and \
                _defel_true(node.params, "concurrently", True):
            return "REINDEX CONCURRENTLY"
        what = node.kind.name.removeprefix("REINDEX_OBJECT_")
        if what in ("SCHEMA", "SYSTEM", "DATABASE"):
            return f"REINDEX {what}"
        return None
    if kind == "VacuumStmt":
        return "VACUUM" if node.is_vacuumcmd else None
    if kind == "AlterTableStmt":
        for cmd in node.cmds or ():
            if cmd.subtype.name == "AT_DetachPartition" and getattr(cmd.def_, "concurrent", False):
                return "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY"
        return None
    if kind == "AlterDatabaseStmt":
        if any(getattr(o, "defname", None) == "tablespace" for o in node.options or ()):
            return "ALTER DATABASE ... SET TABLESPACE"
        return None
    if kind == "ClusterStmt":
        return "CLUSTER" if node.relation is None else None
    if kind == "DiscardStmt":
        return "DISCARD ALL" if node.target.name == "DISCARD_ALL" else None
    if kind == "CreateSubscriptionStmt":
        # create_slot defaults to the value of connect, which defaults to true.
        connect = _defel_true(node.options, "connect", True)
        if _defel_true(node.options, "create_slot", connect):
            return "CREATE SUBSCRIPTION ... WITH (create_slot = true)"
        return None
    if kind == "AlterSubscriptionStmt":
        sub = node.kind.name.removeprefix("ALTER_SUBSCRIPTION_")
        if sub == "REFRESH":
            return "ALTER SUBSCRIPTION ... REFRESH"
        if sub in ("SET_PUBLICATION", "ADD_PUBLICATION", "DROP_PUBLICATION") and \
                _defel_true(node.options, "refresh", True):
            return "ALTER SUBSCRIPTION with refresh"
        return None
    return {
        "CreatedbStmt": "CREATE DATABASE",
        "DropdbStmt": "DROP DATABASE",
        "AlterSystemStmt": "ALTER SYSTEM",
        "CreateTableSpaceStmt": "CREATE TABLESPACE",
        "DropTableSpaceStmt": "DROP TABLESPACE",
    }.get(kind)


# The same, from the words of a statement pglast cannot parse (newer syntax).
_NO_BLOCK_WORDS = [
    (re.compile(r"^CREATE (?:UNIQUE )?INDEX CONCURRENTLY\b"), "CREATE INDEX CONCURRENTLY"),
    (re.compile(r"^DROP INDEX CONCURRENTLY\b"), "DROP INDEX CONCURRENTLY"),
    (re.compile(r"^REINDEX\b.*\bCONCURRENTLY\b"), "REINDEX CONCURRENTLY"),
    (re.compile(r"^REINDEX (?:\w+ )*?(SCHEMA|SYSTEM|DATABASE)\b"), "REINDEX {0}"),
    (re.compile(r"^VACUUM\b"), "VACUUM"),
    (re.compile(r"^(CREATE DATABASE|DROP DATABASE|ALTER SYSTEM|CREATE TABLESPACE"
                r"|DROP TABLESPACE|DISCARD ALL)\b"), "{0}"),
    (re.compile(r"^ALTER TABLE\b.*\bDETACH PARTITION\b.*\bCONCURRENTLY\b"),
     "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY"),
]


def no_transaction_block_words(words: str) -> str | None:
    for pattern, label in _NO_BLOCK_WORDS:
        m = pattern.match(words)
        if m:
            return label.format(*m.groups())
    return None


def copy_stdio(node: Any) -> bool:
    """COPY FROM STDIN / TO STDOUT: no file name and no program."""
    return _kind(node) == "CopyStmt" and not node.filename and not node.is_program


# -- the relations a statement defines or changes ---------------------------------------------

_RELATION_TYPES = {"OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE"}
_ON_RELATION = {"OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE"}
_IDENT_LITERAL = re.compile(r"^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?$")


def _rv(rangevar: Any) -> str:
    schema = getattr(rangevar, "schemaname", None)
    return f"{schema}.{rangevar.relname}" if schema else rangevar.relname


def _dotted(parts: Any) -> str:
    return ".".join(p.sval for p in parts or () if getattr(p, "sval", None) is not None)


def touches(node: Any) -> list[tuple[str, str]]:
    """(action, relation) for each table or view the statement defines or
    changes: "create" (CREATE TABLE/VIEW/MATERIALIZED VIEW), "drop" (DROP
    TABLE/VIEW), "change" (ALTER, COMMENT ON, CREATE INDEX/TRIGGER/POLICY ...
    ON, PARTITION OF, ATTACH/DETACH PARTITION, GRANT/REVOKE ON a table).  A
    relation only mentioned (a REFERENCES, a SELECT, an INSERT of data) is not
    changed.  Two idioms reach further: the statements of a PL/pgSQL ``DO``
    body count, and a SELECT or CALL passing a table's name as a string
    literal (``create_partitions('events'::regclass)``) changes that table.
    Names are ``schema.name`` when the statement qualified them."""
    return list(_touches(node))


def _touches(node: Any) -> Iterator[tuple[str, str]]:
    kind = _kind(node)
    if kind == "CreateStmt":
        yield "create", _rv(node.relation)
        if node.partbound is not None:
            for parent in node.inhRelations or ():
                yield "change", _rv(parent)
    elif kind == "CreateTableAsStmt":
        yield "create", _rv(node.into.rel)
    elif kind == "ViewStmt":
        yield "create", _rv(node.view)
    elif kind == "AlterTableStmt":
        if node.objtype.name in _RELATION_TYPES:
            yield "change", _rv(node.relation)
            for cmd in node.cmds or ():
                if cmd.subtype.name in ("AT_AttachPartition", "AT_DetachPartition"):
                    yield "change", _rv(cmd.def_.name)
    elif kind in ("RenameStmt", "AlterObjectSchemaStmt"):
        if getattr(node, "relation", None) is not None:
            yield "change", _rv(node.relation)
    elif kind == "CommentStmt":
        if node.objtype.name in _RELATION_TYPES:
            yield "change", _dotted(node.object)
        elif node.objtype.name == "OBJECT_COLUMN":
            yield "change", _dotted(node.object).rsplit(".", 1)[0]
    elif kind in ("IndexStmt", "CreateTrigStmt"):
        yield "change", _rv(node.relation)
    elif kind in ("CreatePolicyStmt", "AlterPolicyStmt"):
        yield "change", _rv(node.table)
    elif kind == "DropStmt":
        what = node.removeType.name
        for obj in node.objects or ():
            if what in _RELATION_TYPES:
                yield "drop", _dotted(obj)
            elif what in _ON_RELATION:
                yield "change", _dotted(obj).rsplit(".", 1)[0]
    elif kind == "GrantStmt":
        if node.targtype.name == "ACL_TARGET_OBJECT" and node.objtype.name == "OBJECT_TABLE":
            for rv in node.objects or ():
                yield "change", _rv(rv)
    elif kind in ("SelectStmt", "CallStmt"):
        for value in _string_constants(node):
            if _IDENT_LITERAL.match(value):
                yield "change", value.lower()
    elif kind == "DoStmt":
        for sql in _do_statements(node):
            yield from _touches(sql)


def _string_constants(node: Any) -> Iterator[str]:
    for n in walk(node, frozenset({"A_Const"})):
        val = n.val
        if _kind(val) == "String" and val.sval is not None:
            yield val.sval


def _do_statements(node: Any) -> Iterator[Any]:
    """The SQL statements of a PL/pgSQL DO body, through pglast's PL/pgSQL
    parser (the body is wrapped in a function, which is what the parser takes)."""
    from pglast import parse_sql, parser

    body = next((o.arg.sval for o in node.args or () if o.defname == "as"), None)
    language = next((o.arg.sval for o in node.args or () if o.defname == "language"), "plpgsql")
    if body is None or language.lower() != "plpgsql":
        return
    tag, n = "$sqlmig$", 0
    while tag in body:
        n += 1
        tag = f"$sqlmig{n}$"
    try:
        tree = json.loads(parser.parse_plpgsql_json(
            f"CREATE FUNCTION sqlmig_do() RETURNS void LANGUAGE plpgsql AS {tag}{body}{tag}"))
    except (parser.ParseError, ValueError):
        return
    as_json = isinstance(node, JsonNode)  # the inner trees are of the same kind as the DO's
    for query in _queries(tree):
        try:
            if as_json:
                yield from from_json(parse_json(query))
            else:
                yield from (r.stmt for r in parse_sql(query))
        except parser.ParseError:
            continue


_RUNS_SQL = ("PLpgSQL_stmt_execsql", "PLpgSQL_stmt_perform")


def _queries(tree: Any) -> Iterator[str]:
    """The SQL of every PL/pgSQL statement that runs one (execsql, PERFORM), in
    the order of the tree (depth first)."""
    stack: list[tuple[bool, Any]] = [(False, tree)]
    while stack:
        is_query, item = stack.pop()
        if is_query:
            yield item
        elif isinstance(item, dict):
            todo: list[tuple[bool, Any]] = []
            for key, value in item.items():
                if key in _RUNS_SQL:
                    expr = value.get("sqlstmt") or value.get("expr") or {}
                    query = expr.get("PLpgSQL_expr", {}).get("query")
                    if query:
                        todo.append((True, query))
                elif isinstance(value, (dict, list)):
                    todo.append((False, value))
            stack.extend(reversed(todo))
        elif isinstance(item, list):
            stack.extend((False, value) for value in reversed(item)
                         if isinstance(value, (dict, list)))


# -- what a read-only query may not contain (integrity checks) --------------------------------

# Functions with effects outside the query's result: they write (sequences,
# large objects, server files, WAL, replication slots), signal or lock other
# sessions, reach other databases (dblink), or assign a transaction id.  By
# name, whatever the schema: a same-named function of the user's is refused too.
SIDE_EFFECT_FUNCTIONS = frozenset({
    "nextval", "setval", "txid_current", "pg_current_xact_id",
    "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile",
    "pg_switch_wal", "pg_create_restore_point", "pg_notify", "pg_logical_emit_message",
    "pg_promote", "pg_backup_start", "pg_backup_stop", "pg_start_backup", "pg_stop_backup",
    "pg_drop_replication_slot", "pg_replication_slot_advance", "pg_import_system_collations",
    "pg_log_backend_memory_contexts", "pg_log_standby_snapshot", "lowrite", "loread",
    "pg_sequence_last_value_set",
})
SIDE_EFFECT_PREFIXES = (
    "dblink", "pg_advisory_", "pg_try_advisory_", "lo_", "pg_file_", "pg_logdir_",
    "pg_stat_reset", "pg_replication_origin_", "pg_create_", "pg_copy_", "pg_logical_slot_",
    "pg_wal_replay_",
)
# Settings set_config may not change even for the transaction: they switch
# whose privileges the rest of the query runs with.
_IDENTITY_SETTINGS = {"role", "session_authorization"}
_WRITES = {"InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE",
           "MergeStmt": "MERGE"}
_STATEMENT_LABELS = {"CopyStmt": "COPY", "DoStmt": "DO", "CallStmt": "CALL",
                     "ExplainStmt": "EXPLAIN", "CreateTableAsStmt": "CREATE TABLE AS",
                     "LockStmt": "LOCK", "NotifyStmt": "NOTIFY", "ListenStmt": "LISTEN",
                     **_WRITES}


def side_effect_function(name: str) -> bool:
    """``name`` (unqualified, any case) is one of :data:`SIDE_EFFECT_FUNCTIONS`
    or starts with one of :data:`SIDE_EFFECT_PREFIXES`."""
    name = name.lower()
    return name in SIDE_EFFECT_FUNCTIONS or name.startswith(SIDE_EFFECT_PREFIXES)


def not_read_only(node: Any) -> list[tuple[str, int | None]]:
    """Why a statement is more than a query, as (what, location) pairs
    (location: a byte offset into the statement's text, or None): anything but
    a SELECT / VALUES / TABLE / WITH ... SELECT, a data-changing statement
    anywhere in it (a writable CTE), SELECT ... INTO, a row-locking clause
    (FOR UPDATE/SHARE), and calls of side-effect functions
    (:func:`side_effect_function`, ``set_config`` other than transaction-local
    of a literal setting that is not role or session_authorization).  Empty:
    the syntax is a plain query.  What the functions it calls do inside
    (their bodies, a view's definition, a SECURITY DEFINER function) is not
    visible here."""
    from pglast.visitors import Visitor

    found: list[tuple[str, int | None]] = []
    kind = _kind(node)
    if kind != "SelectStmt":
        label = _STATEMENT_LABELS.get(kind)
        if kind == "VariableSetStmt":
            label = ("RESET " if node.kind.name.startswith("VAR_RESET") else "SET ") + {
                "role": "ROLE", "session_authorization": "SESSION AUTHORIZATION",
            }.get(node.name or "", node.name or "ALL")
        elif kind == "VariableShowStmt":
            label = "SHOW"
        found.append((label or kind.removesuffix("Stmt"), None))
        return found
    if node.intoClause is not None:
        found.append(("SELECT ... INTO", None))

    class _Effects(Visitor):
        def visit(self, ancestors: Any, n: Any) -> None:
            k = _kind(n)
            if k in _WRITES:
                found.append((f"{_WRITES[k]} (a data-changing WITH query)", None))
            elif k == "LockingClause":
                found.append(("a row-locking clause (FOR UPDATE/SHARE)", None))

        def visit_FuncCall(self, ancestors: Any, n: Any) -> None:
            name = n.funcname[-1].sval if n.funcname else ""
            if side_effect_function(name) or (name.lower() == "set_config"
                                              and not _local_set_config(n.args or ())):
                found.append((f"{name}()", getattr(n, "location", None)))

    _Effects()(node)
    return found


def _local_set_config(args: Any) -> bool:
    """set_config('literal', ..., true) of a setting that is not an identity."""
    from pglast import ast

    if len(args) != 3 or not all(isinstance(a, ast.A_Const) for a in (args[0], args[2])):
        return False
    name, local = args[0].val, args[2].val
    is_true = (isinstance(local, ast.Boolean) and bool(local.boolval)) or (
        isinstance(local, ast.String) and str(local.sval).lower() in ("true", "on", "t"))
    return isinstance(name, ast.String) and is_true and \
        str(name.sval).lower() not in _IDENTITY_SETTINGS


# -- statements that change the whole server, not one database -------------------------------
# (server_wide and created_globals: for sqlmig.schema.scratch and the
# linter's server-wide-statement rule)

_GLOBAL_OBJECTS = {"OBJECT_ROLE": "ROLE", "OBJECT_DATABASE": "DATABASE",
                   "OBJECT_TABLESPACE": "TABLESPACE"}
_SERVER_WIDE_KINDS = {
    "AlterRoleSetStmt": "ALTER ROLE ... SET",
    "DropRoleStmt": "DROP ROLE",
    "AlterSystemStmt": "ALTER SYSTEM",
    "CreatedbStmt": "CREATE DATABASE",
    "AlterDatabaseStmt": "ALTER DATABASE",
    "AlterDatabaseSetStmt": "ALTER DATABASE ... SET",
    "AlterDatabaseRefreshCollStmt": "ALTER DATABASE ... REFRESH COLLATION VERSION",
    "DropdbStmt": "DROP DATABASE",
    "CreateTableSpaceStmt": "CREATE TABLESPACE",
    "AlterTableSpaceOptionsStmt": "ALTER TABLESPACE",
    "DropTableSpaceStmt": "DROP TABLESPACE",
    "CreateSubscriptionStmt": "CREATE SUBSCRIPTION",
    "AlterSubscriptionStmt": "ALTER SUBSCRIPTION",
    "DropSubscriptionStmt": "DROP SUBSCRIPTION",
    "ReassignOwnedStmt": "REASSIGN OWNED",
    "DropOwnedStmt": "DROP OWNED",
}
# The first words of a server-wide statement pglast cannot parse (newer syntax).
_SERVER_WIDE_WORDS = re.compile(
    r"^(?:(?P<verb>CREATE|ALTER|DROP) (?P<what>ROLE|USER|GROUP|DATABASE|TABLESPACE|SUBSCRIPTION)"
    r"(?! MAPPING)\b|(?P<system>ALTER SYSTEM)\b|(?P<owned>REASSIGN OWNED|DROP OWNED)\b"
    r"|(?P<on>COMMENT ON|SECURITY LABEL (?:FOR \S+ )?ON) (?P<object>ROLE|DATABASE|TABLESPACE)\b)")


def server_wide(node: Any | None, text: str = "") -> str | None:
    """What the statement is ("ALTER ROLE", "GRANT role membership"...) when it
    changes an object of the whole server rather than of the database it runs
    in: roles and their memberships and settings, databases, tablespaces,
    ``ALTER SYSTEM``, privileges on databases and parameters, ``REASSIGN`` /
    ``DROP OWNED``, and subscriptions (per database, but they connect out to
    another server); None otherwise.  Statements of a PL/pgSQL ``DO`` body
    count.  ``node`` is the parse tree; when pglast could not parse the
    statement (None), the first words of ``text`` decide.  Dynamic SQL
    (``EXECUTE`` of a string) and bodies of functions are not seen."""
    if node is None:
        words = " ".join(w.upper() for w in re.findall(r"[A-Za-z_]+|\S", text)[:6])
        m = _SERVER_WIDE_WORDS.match(words)
        if m is None:
            return None
        if m.group("verb"):
            return f"{m.group('verb')} {m.group('what')}"
        if m.group("on"):
            label = "COMMENT" if m.group("on").startswith("COMMENT") else "SECURITY LABEL"
            return f"{label} ON {m.group('object')}"
        return str(m.group("system") or m.group("owned"))
    kind = _kind(node)
    if kind in _SERVER_WIDE_KINDS:
        return _SERVER_WIDE_KINDS[kind]
    if kind == "CreateRoleStmt":
        return "CREATE " + str(node.stmt_type.name).removeprefix("ROLESTMT_")
    if kind == "AlterRoleStmt":
        return "ALTER ROLE"
    if kind == "GrantRoleStmt":
        return ("GRANT" if node.is_grant else "REVOKE") + " role membership"
    if kind == "GrantStmt":
        what = {"OBJECT_DATABASE": "DATABASE", "OBJECT_TABLESPACE": "TABLESPACE",
                "OBJECT_PARAMETER_ACL": "PARAMETER"}.get(node.objtype.name)
        if what is not None:
            return f"{'GRANT' if node.is_grant else 'REVOKE'} ... ON {what}"
        return None
    if kind in ("RenameStmt", "AlterOwnerStmt"):
        attr = "renameType" if kind == "RenameStmt" else "objectType"
        what = _GLOBAL_OBJECTS.get(getattr(node, attr).name)
        if what is not None:
            return f"ALTER {what} ... {'RENAME' if kind == 'RenameStmt' else 'OWNER TO'}"
        return None
    if kind in ("CommentStmt", "SecLabelStmt"):
        what = _GLOBAL_OBJECTS.get(node.objtype.name)
        if what is not None:
            return f"{'COMMENT' if kind == 'CommentStmt' else 'SECURITY LABEL'} ON {what}"
        return None
    if kind == "DoStmt":
        for inner in _do_statements(node):
            found = server_wide(inner)
            if found is not None:
                return f"{found} (in a DO block)"
    return None


# The node kinds server_wide can return a name for: any other kind is None, without a
# look at the tree.  (Keep in step with server_wide.)
SERVER_WIDE_NODE_KINDS = frozenset({
    *_SERVER_WIDE_KINDS, "CreateRoleStmt", "AlterRoleStmt", "GrantRoleStmt", "GrantStmt",
    "RenameStmt", "AlterOwnerStmt", "CommentStmt", "SecLabelStmt", "DoStmt",
})

# Every server-wide statement has one of these words (GRANT/REVOKE: role
# membership has no other marker): a cheap first look before a parse tree.
_SERVER_WIDE_MARKER = re.compile(
    r"\b(?:ROLE|USER|GROUP|DATABASE|TABLESPACE|SYSTEM|SUBSCRIPTION|OWNED|GRANT|REVOKE)\b",
    re.IGNORECASE)


def might_be_server_wide(text: str) -> bool:
    """False when no statement of ``text`` can be :func:`server_wide`."""
    return _SERVER_WIDE_MARKER.search(text) is not None


def created_globals(node: Any) -> list[tuple[str, str]]:
    """("role" | "database" | "tablespace", name) of each server-wide object the
    statement creates (also in a ``DO`` body)."""
    kind = _kind(node)
    if kind == "CreateRoleStmt":
        return [("role", node.role)]
    if kind == "CreatedbStmt":
        return [("database", node.dbname)]
    if kind == "CreateTableSpaceStmt":
        return [("tablespace", node.tablespacename)]
    if kind == "DoStmt":
        return [g for inner in _do_statements(node) for g in created_globals(inner)]
    return []


# -- tables, columns and their comments (for the linter's classification rule) ---------------


# The only node kinds table_columns, column_changes, renamed, comment_on and
# dropped_tables answer anything but None or [] for.
TABLE_MODEL_KINDS = frozenset({"CreateStmt", "AlterTableStmt", "RenameStmt", "CommentStmt",
                               "DropStmt"})


def table_columns(node: Any) -> tuple[str, list[str]] | None:
    """(table, its column names in order) of a CREATE TABLE with a column list;
    None for any other statement and for a partition (PARTITION OF: its
    columns, and what they hold, are its parent's).  Columns from ``LIKE``,
    ``INHERITS`` or ``OF type`` are not listed."""
    if _kind(node) != "CreateStmt" or node.partbound is not None:
        return None
    return _rv(node.relation), [e.colname for e in node.tableElts or ()
                                if _kind(e) == "ColumnDef"]


def column_changes(node: Any) -> list[tuple[str, str, str]]:
    """("add" | "drop", table, column) for each ADD COLUMN / DROP COLUMN of an
    ALTER TABLE, in order."""
    if _kind(node) != "AlterTableStmt" or node.objtype.name != "OBJECT_TABLE":
        return []
    table = _rv(node.relation)
    out = []
    for cmd in node.cmds or ():
        if cmd.subtype.name == "AT_AddColumn":
            out.append(("add", table, cmd.def_.colname))
        elif cmd.subtype.name == "AT_DropColumn":
            out.append(("drop", table, cmd.name))
    return out


def renamed(node: Any) -> tuple[str, str | None, str] | None:
    """(table, column or None, new name) of ALTER TABLE ... RENAME [COLUMN] ... TO."""
    if _kind(node) != "RenameStmt" or getattr(node, "relation", None) is None:
        return None
    if node.renameType.name == "OBJECT_TABLE":
        return _rv(node.relation), None, node.newname
    if node.renameType.name == "OBJECT_COLUMN" and node.relationType.name == "OBJECT_TABLE":
        return _rv(node.relation), node.subname, node.newname
    return None


def comment_on(node: Any) -> tuple[str, str | None, str | None] | None:
    """(table, column or None, the comment or None for ``IS NULL``) of COMMENT
    ON TABLE / COMMENT ON COLUMN."""
    if _kind(node) != "CommentStmt":
        return None
    if node.objtype.name == "OBJECT_TABLE":
        return _dotted(node.object), None, node.comment
    if node.objtype.name == "OBJECT_COLUMN":
        table, _, column = _dotted(node.object).rpartition(".")
        return table, column, node.comment
    return None


def dropped_tables(node: Any) -> list[str]:
    """The tables a DROP TABLE drops."""
    if _kind(node) != "DropStmt" or node.removeType.name != "OBJECT_TABLE":
        return []
    return [_dotted(obj) for obj in node.objects or ()]


# -- parse trees read from pglast's JSON -------------------------------------------------------
#
# pglast.parser.parse_sql builds a Python object for every node of the tree, checking
# and converting each attribute as it is set: most of the cost of parsing.  The same
# parser's JSON (parse_sql_json, decoded by json.loads in C) costs a fraction of it;
# JsonNode gives it the attributes of the pglast.ast node of the same name, converted
# when first read, so that the readers above (and the linter's rules) take either.


class JsonNode:
    """A parse tree node from libpg_query's JSON, read like the :mod:`pglast.ast`
    node of the same class name: the same attributes (``def_``...), tuples for
    lists (a List node too), enums of :mod:`pglast.enums`, ``None``, ``False`` or
    0 for what the JSON leaves out, and ``AttributeError`` for any other name.
    One difference: ``location`` (any ParseLoc) is a byte offset into the
    statement's UTF-8 text, as the parser gives it, where pglast converts it to
    a character index (``None`` when unknown, -1 here): see :func:`char_index`."""

    __slots__ = ("__dict__", "_d")
    _conv: ClassVar[dict[str, tuple[str, Any, Any]]] = {}  # per class: attribute -> reader
    _members: ClassVar[tuple[str, ...]] = ()  # per class: the attributes that may hold nodes

    def __init__(self, data: dict[str, Any]) -> None:
        self._d = data

    def __getattr__(self, name: str) -> Any:
        spec = self._conv.get(name)
        if spec is None:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        key, default, convert = spec
        value = self._d.get(key, default) if convert is None else convert(self._d)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} (json) {self._d!r}>"


_JSON_CLASSES: dict[str, type[JsonNode]] = {}
_FIELDS: dict[str, dict[str, tuple[str, Any, Any]]] = {}
_NODE_MEMBERS: dict[str, tuple[str, ...]] = {}
_RAW_MEMBERS: dict[str, tuple[tuple[str, str, str], ...]] = {}  # (JSON key, how, class)
_INTS = {"AclMode", "AttrNumber", "Index", "ParseLoc", "RelFileNumber", "SubTransactionId",
         "bits32", "int", "int16", "int32", "long", "uint32", "uint64", "Oid"}
_VAL_UNION = (("boolval", "Boolean"), ("ival", "Integer"), ("fval", "Float"),
              ("bsval", "BitString"), ("sval", "String"))


def _json_class(name: str) -> type[JsonNode]:
    cls = _JSON_CLASSES.get(name)
    if cls is None:
        conv = _fields(name)
        cls = _JSON_CLASSES[name] = type(name, (JsonNode,), {
            "__slots__": (), "_conv": conv, "_members": _NODE_MEMBERS[name]})
    return cls


def _value(v: Any) -> Any:
    """A JSON value in a node position: ``{"Type": {...}}``, a List, or a list."""
    kind_of = type(v)
    if kind_of is dict:
        if len(v) == 1:
            for kind in v:
                inner = v[kind]
                if kind == "List":
                    return tuple([_value(i) for i in inner.get("items", ())])
                if type(inner) is dict:
                    return (_JSON_CLASSES.get(kind) or _json_class(kind))(inner)
        return v if v else None  # {}: a NULL in a list (RangeFunction.functions)
    if kind_of is list:
        return tuple([_value(i) for i in v])
    return v


# A field's reader: (JSON key, default, None) when the JSON value is the attribute's
# (scalars), else (key, None, function of the node's JSON dict).
_Spec = tuple[str, Any, Any]


def _converter(key: str, ctype: str) -> tuple[_Spec, bool]:
    """(how to read one field of a node class, may hold a node)."""
    from pglast import ast, enums

    if ctype == "bool":
        return (key, False, None), False  # JSON writes only true
    if ctype in _INTS:
        return (key, 0, None), False
    if ctype in ("Cardinality", "Cost"):
        return (key, None, lambda d: float(d.get(key, 0.0))), False
    if ctype == "char":
        return (key, "\x00", None), False
    if ctype == "char*":
        return (key, None, None), False
    if ctype == "ValUnion":
        def val(d: dict[str, Any]) -> Any:
            if d.get("isnull"):
                return None
            for field, cls in _VAL_UNION:
                if field in d:
                    return _json_class(cls)(d[field])
            return None
        return (key, None, val), True
    if ctype == "Bitmapset*":
        return (key, None, lambda d: set(d[key]) if key in d else None), False
    if ctype in ("List*", "Node*", "Expr*"):
        return (key, None, lambda d: _value(d[key]) if key in d else None), True
    enum = getattr(enums, ctype, None)
    if enum is not None:
        def member(d: dict[str, Any]) -> Any:
            value = d.get(key)
            if isinstance(value, str) and len(value) > 1:
                return enum[value]
            try:
                return enum(value if value is not None else 0)
            except ValueError:
                return None
        return (key, None, member), False
    name = ctype.removesuffix("*")
    if isinstance(getattr(ast, name, None), type):
        def node(d: dict[str, Any]) -> Any:
            value = d.get(key)
            return _json_class(name)(value) if isinstance(value, dict) else _value(value)
        return (key, None, node), True
    return (key, None, lambda d: _value(d[key]) if key in d else None), True


def _fields(name: str) -> dict[str, _Spec]:
    found = _FIELDS.get(name)
    if found is None:
        from pglast import ast

        found, members = {}, []
        cls = getattr(ast, name, None)
        slots = getattr(cls, "__slots__", None) if isinstance(cls, type) else None
        raw: list[tuple[str, str, str]] = []
        for field, info in (slots.items() if isinstance(slots, dict) else ()):
            key = field.removesuffix("_")  # def_: "def" in the JSON
            found[field], holds_nodes = _converter(key, info[0])
            if holds_nodes:
                members.append(field)
                ctype = info[0]
                specific = ctype.removesuffix("*")
                if ctype == "ValUnion":
                    raw.append((key, "val", ""))
                elif ctype not in ("List*", "Node*", "Expr*") and isinstance(
                        getattr(ast, specific, None), type):
                    raw.append((key, "node", specific))
                else:
                    raw.append((key, "any", ""))
        _FIELDS[name] = found
        _NODE_MEMBERS[name] = tuple(members)
        _RAW_MEMBERS[name] = tuple(raw)
    return found


def parse_json(text: str) -> str:
    """pglast's JSON of ``text``'s parse trees; raises ``pglast.parser.ParseError``
    exactly as ``pglast.parser.parse_sql`` does."""
    from pglast import parser

    return parser.parse_sql_json(text)


def from_json(raw: str) -> tuple[Any, ...]:
    """The statements of :func:`parse_json`'s output as :class:`JsonNode` trees:
    what ``RawStmt.stmt`` is in ``pglast.parser.parse_sql``'s result."""
    return tuple(_value(s["stmt"]) if "stmt" in s else None
                 for s in json.loads(raw).get("stmts", ()))


def char_index(text: str, offset: int) -> int | None:
    """The character index in ``text`` of a byte ``offset`` into its UTF-8 form,
    None outside the text: how pglast converts the parser's locations."""
    if text.isascii():
        return offset if 0 <= offset < len(text) else None
    data = text.encode("utf-8")
    if not 0 <= offset < len(data):
        return None
    return len(data[:offset].decode("utf-8", "ignore"))


def walk(node: Any, only: frozenset[str] | None = None) -> Iterator[Any]:
    """Every node of a tree (a pglast.ast node, a :class:`JsonNode` or a tuple of
    them), breadth first, in the order ``pglast.visitors.Visitor`` visits them;
    with ``only``, the nodes of these class names only (same order)."""
    from collections import deque

    from pglast import ast

    if isinstance(node, JsonNode) or (
            isinstance(node, tuple) and node and all(isinstance(n, JsonNode) for n in node)):
        yield from _walk_json(node, only)
        return
    kinds = (ast.Node, JsonNode)
    if not isinstance(node, (tuple, *kinds)):
        raise TypeError("Bad argument, expected a ast.Node instance or a tuple")
    todo: deque[Any] = deque([node])
    while todo:
        value = todo.popleft()
        is_sequence = isinstance(value, tuple)
        for sub in (value if is_sequence else (value,)):
            if isinstance(sub, kinds):
                if only is None or type(sub).__name__ in only:
                    yield sub
                members: Any = sub._members if isinstance(sub, JsonNode) else sub
                for member in members:
                    child = getattr(sub, member)
                    if isinstance(child, (tuple, *kinds)):
                        todo.append(child)
            elif isinstance(sub, tuple):
                for child in sub:
                    if isinstance(child, (tuple, *kinds)):
                        todo.append(child)


# walk over JsonNode trees, on their JSON: the same order as the walk above over
# the converted attributes, without converting them.  A queue entry is a node,
# (True, class name, its JSON dict), or a sequence, (False, "", list of JSON values).

def _raw(v: Any) -> tuple[bool, str, Any] | None:
    """What _value makes of a JSON value, as a walk entry (None: no node, no tuple)."""
    kind_of = type(v)
    if kind_of is dict:
        if len(v) == 1:
            for kind in v:
                inner = v[kind]
                if kind == "List":
                    return False, "", inner.get("items", ())
                if type(inner) is dict:
                    return True, kind, inner
        return None
    if kind_of is list:
        return False, "", v
    return None


def _walk_json(node: Any, only: frozenset[str] | None) -> Iterator[Any]:
    from collections import deque

    root: tuple[bool, str, Any] = (
        (True, type(node).__name__, node._d) if isinstance(node, JsonNode)
        else (False, "", node))
    todo: deque[tuple[bool, str, Any]] = deque([root])
    while todo:
        is_node, name, data = todo.popleft()
        if is_node:
            subs: Any = ((True, name, data),)
        elif data is node:  # the root tuple: JsonNodes already
            subs = [(True, type(n).__name__, n._d) for n in data]
        else:
            subs = [_raw(item) for item in data]
        for sub in subs:
            if sub is None:
                continue
            sub_is_node, sub_name, sub_data = sub
            if sub_is_node:
                if only is None or sub_name in only:
                    yield _json_class(sub_name)(sub_data)
                if sub_name not in _RAW_MEMBERS:
                    _fields(sub_name)
                for key, how, cls in _RAW_MEMBERS[sub_name]:
                    if how == "any":
                        value = sub_data.get(key)
                        child = _raw(value) if value is not None else None
                    elif how == "node":
                        value = sub_data.get(key)
                        child = ((True, cls, value) if isinstance(value, dict) else
                                 _raw(value) if value is not None else None)
                    else:  # A_Const's val
                        child = None
                        if not sub_data.get("isnull"):
                            for field, val_cls in _VAL_UNION:
                                if field in sub_data:
                                    child = (True, val_cls, sub_data[field])
                                    break
                    if child is not None:
                        todo.append(child)
            else:
                for item in sub_data:
                    child = _raw(item)
                    if child is not None:
                        todo.append(child)
