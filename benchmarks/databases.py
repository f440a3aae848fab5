"""Throwaway databases for the benchmarks (imported by the scripts in this
directory, which Python puts first on sys.path when one of them runs)."""

from __future__ import annotations

import uuid

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo


def fresh(base: str, prefix: str) -> tuple[str, str]:
    """Create an empty database on the server of ``base``: its name and URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as c:
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name, make_conninfo("", **{**conninfo_to_dict(base), "dbname": name})


def drop(base: str, name: str) -> None:
    with psycopg.connect(base, autocommit=True) as c:
        c.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
