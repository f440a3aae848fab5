"""What a parsed statement is: readers of pglast's parse trees for
:mod:`sqlmig.core.sqltext` (transaction control, statements PostgreSQL
refuses inside a transaction block, COPY through the client, the relations a
statement defines or changes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

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
    from pglast import ast
    from pglast.visitors import Visitor

    found: list[str] = []

    class _Strings(Visitor):
        def visit_A_Const(self, ancestors: Any, n: Any) -> None:
            if isinstance(n.val, ast.String) and n.val.sval is not None:
                found.append(n.val.sval)

    _Strings()(node)
    yield from found


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
    for query in _queries(tree):
        try:
            yield from (r.stmt for r in parse_sql(query))
        except parser.ParseError:
            continue


def _queries(tree: Any) -> Iterator[str]:
    """The SQL of every PL/pgSQL statement that runs one (execsql, PERFORM)."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in ("PLpgSQL_stmt_execsql", "PLpgSQL_stmt_perform"):
                expr = value.get("sqlstmt") or value.get("expr") or {}
                query = expr.get("PLpgSQL_expr", {}).get("query")
                if query:
                    yield query
            else:
                yield from _queries(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _queries(item)


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
