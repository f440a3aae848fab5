"""The package's own SQL (``adoption/sql/*.sql``) and the two ways it is run."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg


def query(name: str) -> str:
    """The SQL of ``adoption/sql/<name>.sql``."""
    return (resources.files("sqlmig.adoption") / "sql" / f"{name}.sql").read_text(
        encoding="utf-8")


def table_exists(conn: psycopg.Connection, name: str) -> bool:
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
    return bool(row and row[0])


def rows(conn: psycopg.Connection, name: str,
         params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    return conn.execute(query(name), params).fetchall()
