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
