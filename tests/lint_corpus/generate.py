"""Generate the lint corpus: real-world-style migrations, each labelled with
the rules it must trigger (``-- expect: rule, rule`` on its first line;
``-- expect: none`` for clean ones).

    python tests/lint_corpus/generate.py [OUT_DIR] [COUNT] [SEED]

The committed corpus is ``generate.py tests/lint_corpus/files 300 7``;
benchmarks/bench_lint.py uses the same templates to build inputs of any size.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

LT = "SET LOCAL lock_timeout = '5s';\n"

# (template, expected rules).  {t} table, {c} column, {i} index name, {n} a number.
TEMPLATES: list[tuple[str, set[str]]] = [
    ("CREATE INDEX IF NOT EXISTS {i} ON {t} ({c});", {"create-index-not-concurrently"}),
    ("CREATE INDEX IF NOT EXISTS {i} ON app.{t} (lower({c}));", {"create-index-not-concurrently"}),
    ("CREATE INDEX CONCURRENTLY IF NOT EXISTS {i} ON {t} ({c});", {"concurrently-in-transaction"}),
    ("ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c}_note text;\n"
     "COMMENT ON COLUMN {t}.{c}_note IS 'Added.';", set()),
    ("ALTER TABLE {t} DROP COLUMN {c};", {"drop-column"}),
    ('ALTER TABLE "{T}" DROP COLUMN "{C}";', {"drop-column"}),
    ("ALTER TABLE {t} ADD COLUMN {c}_id bigint NOT NULL;\n"
     "COMMENT ON COLUMN {t}.{c}_id IS 'Added.';", {"add-not-null-column-without-default"}),
    ("ALTER TABLE {t} ADD COLUMN {c}_flag boolean NOT NULL DEFAULT false;\n"
     "COMMENT ON COLUMN {t}.{c}_flag IS 'Added.';", set()),
    ("ALTER TABLE {t} ADD COLUMN {c}_uid uuid NOT NULL DEFAULT gen_random_uuid();\n"
     "COMMENT ON COLUMN {t}.{c}_uid IS 'Added.';", {"volatile-default"}),
    ("ALTER TABLE {t} ADD COLUMN {c}_at timestamptz DEFAULT now();\n"
     "COMMENT ON COLUMN {t}.{c}_at IS 'Added.';", set()),
    ("ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_fk FOREIGN KEY ({c}) REFERENCES parents (id);",
     {"constraint-without-not-valid", "foreign-key-without-index"}),
    ("ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_fk FOREIGN KEY ({c}) REFERENCES parents (id) NOT VALID;\n"
     "ALTER TABLE {t} VALIDATE CONSTRAINT {t}_{c}_fk;", {"foreign-key-without-index"}),
    ("ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_chk CHECK ({c} > {n});", {"constraint-without-not-valid"}),
    ("ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_chk CHECK ({c} > {n}) NOT VALID;", set()),
    ("ALTER TABLE {t} ALTER COLUMN {c} TYPE bigint;", {"alter-column-type"}),
    ("ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;", {"set-not-null"}),
    ("ALTER TABLE {t} ADD CONSTRAINT {c}_nn CHECK ({c} IS NOT NULL) NOT VALID;\n"
     "ALTER TABLE {t} VALIDATE CONSTRAINT {c}_nn;\nALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;\n"
     "ALTER TABLE {t} DROP CONSTRAINT {c}_nn;", set()),
    ("UPDATE {t} SET {c} = {n};", {"update-without-where"}),
    ("UPDATE {t} SET {c} = {n} WHERE {c} IS NULL AND id < 10000;", set()),
    ("DELETE FROM {t};", {"delete-without-where"}),
    ("DELETE FROM {t} WHERE created_at < now() - interval '90 days';", set()),
    ("TRUNCATE {t};", {"truncate"}),
    ("DROP TABLE IF EXISTS {t};", {"drop-table"}),
    ("ALTER TABLE {t} RENAME COLUMN {c} TO {c}_old;", {"rename-column"}),
    ("ALTER TABLE {t} RENAME TO {t}_old;", {"rename-table"}),
    ("VACUUM FULL {t};", {"vacuum-full"}),
    ("CLUSTER {t} USING {i};", {"cluster"}),
    ("DROP INDEX IF EXISTS {i};", {"drop-index-not-concurrently"}),
    ("CREATE SCHEMA {t}_s;", {"create-without-if-not-exists"}),
    ("DROP SCHEMA IF EXISTS {t}_s CASCADE;", {"drop-schema-cascade"}),
    ("CREATE TABLE IF NOT EXISTS {t}_new (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
     "    {c} text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now()\n);\n"
     "CREATE INDEX IF NOT EXISTS {t}_new_{c}_idx ON {t}_new ({c});\n"
     "COMMENT ON TABLE {t}_new IS 'New {t} rows.';\nCOMMENT ON COLUMN {t}_new.id IS 'Key.';\n"
     "COMMENT ON COLUMN {t}_new.{c} IS 'Value.';\nCOMMENT ON COLUMN {t}_new.created_at IS 'When.';",
     set()),
    ("CREATE TABLE IF NOT EXISTS {t}_v (id serial PRIMARY KEY, {c} varchar(40), seen timestamp);\n"
     "COMMENT ON TABLE {t}_v IS 'x';\nCOMMENT ON COLUMN {t}_v.id IS 'x';\n"
     "COMMENT ON COLUMN {t}_v.{c} IS 'x';\nCOMMENT ON COLUMN {t}_v.seen IS 'x';",
     {"int-primary-key", "varchar-length", "timestamp-without-time-zone"}),
    ("CREATE TABLE IF NOT EXISTS {t}_log (msg text);", {"missing-primary-key", "missing-comment"}),
    # tricky: dangerous words where they are not statements
    ("CREATE OR REPLACE FUNCTION purge_{t}() RETURNS void LANGUAGE plpgsql AS $body$\nBEGIN\n"
     "    DELETE FROM {t};\n    TRUNCATE {t};\n    DROP TABLE {t};\nEND\n$body$;", set()),
    ("SELECT 'DROP TABLE {t}; TRUNCATE {t}; DELETE FROM {t}';", set()),
    ("-- DROP TABLE {t};\n/* ALTER TABLE {t} DROP COLUMN {c}; VACUUM FULL {t}; */\nSELECT {n};", set()),
    ("DO $$\nBEGIN\n    EXECUTE 'ALTER TABLE {t} DROP COLUMN {c}';\nEND\n$$;", set()),
    ("INSERT INTO audit (note) VALUES ('UPDATE {t} SET {c} = 0; CREATE INDEX x ON {t} ({c})');", set()),
    ("COMMENT ON COLUMN {t}.{c} IS 'never RENAME TO or DROP COLUMN this';", set()),
]
WORDS = ["users", "orders", "invoices", "events", "accounts", "payments", "products", "sessions",
         "messages", "tickets", "shipments", "reviews", "carts", "coupons", "devices", "alerts"]
COLS = ["email", "status", "amount", "owner_id", "kind", "score", "region", "total", "label", "ref"]


def make_one(rng: random.Random, parts: int) -> tuple[str, set[str]]:
    expected: set[str] = set()
    chunks = [LT]
    for _ in range(parts):
        template, rules = rng.choice(TEMPLATES)
        t, c = rng.choice(WORDS) + str(rng.randrange(100)), rng.choice(COLS)
        sql = template.format(t=t, c=c, T=t.capitalize(), C=c.capitalize(),
                              i=f"{t}_{c}_idx{rng.randrange(1000)}", n=rng.randrange(1, 500))
        chunks.append(f"-- step: {template.split(chr(10))[0][:40]}\n{sql}\n")
        expected |= rules
    return "\n".join(chunks), expected


def generate(out: Path, count: int, seed: int, parts: tuple[int, int] = (1, 4)) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, count + 1):
        text, expected = make_one(rng, rng.randint(*parts))
        path = out / f"{n:04d}_corpus.sql"
        path.write_text(f"-- expect: {', '.join(sorted(expected)) or 'none'}\n{text}")
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "files"
    generate(target, int(sys.argv[2]) if len(sys.argv) > 2 else 300,
             int(sys.argv[3]) if len(sys.argv) > 3 else 7)
