#!/usr/bin/env python3
"""Generate a long sqlmig project: N small migrations of six shapes.

The shapes, in rotation: a new table (identity key, foreign key to an earlier
table, a comment), an index, a view over two tables, a plpgsql function and
an SQL function, an ALTER TABLE (column added with a default, a CHECK
constraint), and a data update (reference rows inserted, then updated).
Every migration has a rollback.  Deterministic: the same N gives the same
files.

    python benchmarks/gen_long_project.py DIR [--migrations 350] [--database-url URL]
"""

from __future__ import annotations

import argparse
from pathlib import Path

SHAPES = 6


def migration(v: int) -> tuple[str, str, str]:
    """(slug, up, down) of migration ``v``."""
    t = f"t{v - v % SHAPES or 1}"  # the table of this group (created by its first migration)
    shape = v % SHAPES
    if shape == 0 or v == 1:
        t = f"t{v}"
        parent = f"t{v - SHAPES}" if v > SHAPES else None
        ref = f",\n    parent_id bigint REFERENCES {parent} (id)" if parent else ""
        return (f"table_{v}",
                f"CREATE TABLE {t} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                f"    name text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now(){ref}\n);\n"
                f"COMMENT ON TABLE {t} IS 'generated table {v}';\n",
                f"DROP TABLE {t} CASCADE;\n")
    if shape == 1:
        return (f"index_{v}", f"CREATE INDEX {t}_name_{v}_idx ON {t} (lower(name));\n",
                f"DROP INDEX {t}_name_{v}_idx;\n")
    if shape == 2:
        return (f"view_{v}",
                f"CREATE VIEW v{v} AS SELECT id, upper(name) AS name, created_at FROM {t}\n"
                f"    WHERE created_at > '2000-01-01';\n",
                f"DROP VIEW v{v};\n")
    if shape == 3:
        return (f"functions_{v}",
                f"CREATE FUNCTION f{v}(n bigint) RETURNS bigint LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n    RETURN n * {v};\nEND\n$$;\n"
                f"CREATE FUNCTION count_{v}() RETURNS bigint LANGUAGE sql STABLE\n"
                f"    AS $$ SELECT count(*) FROM {t} $$;\n",
                f"DROP FUNCTION count_{v}(); DROP FUNCTION f{v}(bigint);\n")
    if shape == 4:
        return (f"alter_{v}",
                f"ALTER TABLE {t} ADD COLUMN c{v} integer NOT NULL DEFAULT {v};\n"
                f"ALTER TABLE {t} ADD CONSTRAINT {t}_c{v}_positive CHECK (c{v} > 0);\n",
                f"ALTER TABLE {t} DROP COLUMN c{v};\n")
    return (f"data_{v}",
            f"INSERT INTO {t} (name) SELECT 'row ' || g FROM generate_series(1, 3) g;\n"
            f"UPDATE {t} SET name = name || ' (v{v})' WHERE name LIKE 'row %';\n",
            f"DELETE FROM {t} WHERE name LIKE 'row % (v{v})';\n")


def generate(root: Path, n: int, database_url: str = "embedded") -> None:
    """Write the project (config/dev.yaml, sql/, manifest) under ``root``."""
    import sqlmig

    (root / "sql" / "migrations").mkdir(parents=True, exist_ok=True)
    (root / "sql" / "rollbacks").mkdir(parents=True, exist_ok=True)
    (root / "config").mkdir(exist_ok=True)
    (root / "config" / "dev.yaml").write_text(f"database_url: '{database_url}'\n")
    for v in range(1, n + 1):
        slug, up, down = migration(v)
        name = f"{v:04d}_{slug}.sql"
        (root / "sql" / "migrations" / name).write_text(up)
        (root / "sql" / "rollbacks" / name).write_text(down)
    sqlmig.write_manifest(root)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--migrations", type=int, default=350)
    ap.add_argument("--database-url", default="embedded")
    args = ap.parse_args()
    generate(args.dir, args.migrations, args.database_url)
    print(f"wrote {args.migrations} migrations ({SHAPES} shapes) under {args.dir}")


if __name__ == "__main__":
    main()
