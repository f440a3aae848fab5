"""The lint rules: id, category, default severity, one-line summary and the
"why and what to do instead" text shown by ``sqlmig lint --explain RULE``.

The checks themselves live in :mod:`sqlmig.lint.checks` (per statement) and
:mod:`sqlmig.lint.project_rules` (per project); this module is the catalogue
both of them, the config file and the output formats refer to.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
NOTE = "note"
SEVERITIES = (ERROR, WARNING, NOTE)


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str  # the default; config/lint.yaml may change it
    summary: str
    explanation: str
    opt_in: bool = False  # off unless the `strict` profile or config/lint.yaml turns it on


_RULES: list[Rule] = []


def _rule(id: str, category: str, severity: str, summary: str, explanation: str,
          *, opt_in: bool = False) -> None:
    _RULES.append(Rule(id, category, severity, summary, " ".join(explanation.split()), opt_in))


# -- locking and rewrites --------------------------------------------------------------

_rule("create-index-not-concurrently", "locking", WARNING,
      "CREATE INDEX without CONCURRENTLY on an existing table",
      """A plain CREATE INDEX takes a SHARE lock on the table for the whole build: every
      INSERT, UPDATE and DELETE waits until the index is built, which on a large table
      means minutes of write outage. Use CREATE INDEX CONCURRENTLY (in a file with
      `-- sqlmig: no-transaction`, one index per file); it builds without blocking
      writes. A failed concurrent build leaves an INVALID index: drop it (DROP INDEX
      CONCURRENTLY IF EXISTS) and retry. With --env, an index on an empty table is a
      note and one on a table above `large_table_rows` is an error.""")
_rule("drop-index-not-concurrently", "locking", WARNING,
      "DROP INDEX without CONCURRENTLY",
      """DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: even reads wait
      for it, and it queues behind any long-running query. Use DROP INDEX CONCURRENTLY
      IF EXISTS in a `-- sqlmig: no-transaction` file.""")
_rule("concurrently-in-transaction", "locking", ERROR,
      "CONCURRENTLY inside a transactional migration",
      """CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION
      CONCURRENTLY cannot run inside a transaction block, and sqlmig runs every file in
      a transaction unless its header says `-- sqlmig: no-transaction`. The migration
      would fail with "cannot run inside a transaction block". Add the directive and
      keep the file to statements that are safe to run one by one.""")
_rule("constraint-without-not-valid", "locking", WARNING,
      "FOREIGN KEY or CHECK added to an existing table without NOT VALID",
      """Adding a FOREIGN KEY or CHECK constraint scans the whole table while holding a
      lock that blocks writes (a FOREIGN KEY also locks the referenced table). Add it
      with NOT VALID (a catalog-only change), then run ALTER TABLE ... VALIDATE
      CONSTRAINT in a later statement: validation only takes a SHARE UPDATE EXCLUSIVE
      lock and lets reads and writes go on.""")
_rule("alter-column-type", "locking", WARNING,
      "ALTER COLUMN ... TYPE rewrites the table",
      """Changing a column's type rewrites the whole table and rebuilds its indexes under
      an ACCESS EXCLUSIVE lock, unless the change is binary-coercible (varchar(n) to
      text or to a longer varchar, numeric to a wider numeric). Add a new column,
      backfill it in batches, switch the application over, then drop the old column.
      With --env the current type is read from the catalog, the binary-coercible cases
      become notes, and the estimated rewrite time is reported.""")
_rule("set-not-null", "locking", WARNING,
      "SET NOT NULL on an existing column without a validated CHECK first",
      """ALTER COLUMN ... SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE
      lock to prove there is no NULL. Since PostgreSQL 12 the scan is skipped when a
      valid CHECK (col IS NOT NULL) constraint exists: add that CHECK ... NOT VALID,
      VALIDATE CONSTRAINT it (no write lock), then SET NOT NULL and drop the CHECK.""")
_rule("volatile-default", "locking", WARNING,
      "column added with a volatile default (table rewrite)",
      """Since PostgreSQL 11 a column added with a constant or stable default (now(), a
      literal) is a catalog-only change. A volatile default (random(),
      gen_random_uuid(), clock_timestamp(), nextval(), a serial type) or a GENERATED
      ... STORED / identity column must be computed for every row: the table is
      rewritten under an ACCESS EXCLUSIVE lock. Add the column without default (or
      with a constant), set the default afterwards, and backfill in batches.""")
_rule("vacuum-full", "locking", ERROR,
      "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock",
      """VACUUM FULL copies the whole table and blocks reads and writes while it does.
      It does not belong in a migration: schedule it as maintenance, or use
      pg_repack / pg_squeeze, which rebuild online.""")
_rule("cluster", "locking", ERROR,
      "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock",
      """CLUSTER rewrites the table in index order and blocks reads and writes while it
      does. Run it as scheduled maintenance, or use pg_repack --order-by online.""")
_rule("missing-lock-timeout", "locking", WARNING,
      "ALTER TABLE on an existing table without a lock_timeout",
      """ALTER TABLE needs an ACCESS EXCLUSIVE lock (most forms). If a long query holds
      a conflicting lock, the ALTER waits, and every query that arrives after it
      queues behind it: the table is unavailable until the long query ends. Set a
      lock_timeout so the migration fails fast instead: `SET LOCAL lock_timeout =
      '5s';` at the top of the file, or `lock_timeout:` in every environment's
      config/<env>.yaml.""")

# -- destructive and backward-incompatible ----------------------------------------------

_rule("drop-table", "destructive", ERROR,
      "DROP TABLE destroys data",
      """Dropping a table loses its data, and the running application may still read it.
      Stop using the table in the application first, deploy, then drop it in a later
      migration. To keep the migration reversible with its data, copy it first into
      the schema sqlmig_backup (CREATE TABLE sqlmig_backup.<table>_<version> AS SELECT
      ...) and restore it in the rollback: lint then reports a note instead.""")
_rule("drop-column", "destructive", ERROR,
      "DROP COLUMN destroys data and breaks readers of the column",
      """The column's data is lost, and any deployed code that still selects it fails.
      Remove every use from the application, deploy, then drop the column. Follow the
      data-preserving rollback convention to keep it reversible: copy the column into
      sqlmig_backup.<table>_<version> (e.g. CREATE TABLE sqlmig_backup.users_0008 AS
      SELECT id, phone FROM users) before dropping it; lint then reports a note.""")
_rule("truncate", "destructive", ERROR,
      "TRUNCATE deletes every row",
      """TRUNCATE empties the table under an ACCESS EXCLUSIVE lock and cannot be undone by
      a rollback file. If the rows really must go, back them up into sqlmig_backup first
      or delete them in batches with a WHERE clause.""")
_rule("drop-schema-cascade", "destructive", ERROR,
      "DROP SCHEMA ... CASCADE drops everything in the schema",
      """CASCADE silently drops every table, view and function in the schema and
      everything elsewhere that depends on them. Drop the objects explicitly, then the
      empty schema without CASCADE, so that a forgotten dependency fails loudly.""")
_rule("rename-table", "destructive", WARNING,
      "renaming a table breaks the running application",
      """Code deployed before the migration still uses the old name and fails the moment
      the rename commits. Create a view with the old name, or do it in steps (new
      name + updatable view, deploy, drop the view).""")
_rule("rename-column", "destructive", WARNING,
      "renaming a column breaks the running application",
      """Queries of the deployed application that use the old column name fail as soon
      as the rename commits. Add the new column, write both, backfill, switch reads,
      then drop the old column in a later release.""")
_rule("delete-without-where", "destructive", ERROR,
      "DELETE without WHERE on an existing table",
      """A DELETE without WHERE removes every row (and locks them all). If that is
      intended, say so with a suppression and a reason; otherwise add the WHERE clause.
      Large deletes belong in batches outside a migration's single transaction.""")
_rule("update-without-where", "destructive", ERROR,
      "UPDATE without WHERE on an existing table",
      """An UPDATE without WHERE rewrites every row in one transaction: all rows stay
      locked until it commits and the table doubles in size until vacuum. Add a WHERE
      clause, or backfill in batches.""")
_rule("add-not-null-column-without-default", "destructive", ERROR,
      "NOT NULL column without default added to an existing table",
      """ALTER TABLE ... ADD COLUMN ... NOT NULL without a DEFAULT fails as soon as the
      table has one row, and code deployed before the migration does not write the
      column. Add a constant DEFAULT (catalog-only since PostgreSQL 11), or add the
      column nullable, backfill, then set NOT NULL via a validated CHECK.""")

# -- robustness --------------------------------------------------------------------------

_rule("create-without-if-not-exists", "robustness", WARNING,
      "CREATE TABLE/INDEX/SCHEMA/EXTENSION without IF NOT EXISTS",
      """A migration that was partly applied by hand (or a no-transaction migration that
      failed half-way) cannot be re-run if its CREATE statements fail on objects that
      already exist. IF NOT EXISTS makes the statement idempotent. Opt-in (profile
      `strict`): in a transactional migration recorded in the ledger a failed file
      leaves nothing behind, and IF NOT EXISTS would silently accept an object of the
      same name but another shape.""", opt_in=True)
_rule("drop-without-if-exists", "robustness", WARNING,
      "DROP without IF EXISTS in a rollback file",
      """A rollback often runs after a failed or partial migration; a DROP of an object
      that was never created makes the rollback fail too. Use DROP ... IF EXISTS.
      Opt-in (profile `strict`): a transactional migration that failed left nothing to
      undo, so its rollback never runs against a half-built schema.""", opt_in=True)
_rule("transaction-control", "robustness", ERROR,
      "top-level transaction control in a migration",
      """sqlmig wraps each transactional file in its own transaction and records it in
      the ledger in the same transaction; a BEGIN, COMMIT or ROLLBACK in the file would
      end it early and break the all-or-nothing promise (sqlmig refuses to run it).
      Remove it; split the work into several migrations if it needs several
      transactions.""")
_rule("psql-meta-command", "robustness", ERROR,
      "psql meta-command in a migration",
      """Backslash commands (\\i, \\set, \\connect...) are interpreted by psql, not by the
      server; sqlmig sends SQL through a driver and refuses the file. Inline the
      included SQL or use literals.""")
_rule("empty-file", "robustness", NOTE,
      "migration or rollback without any statement",
      """The file is empty or holds only comments. sqlmig applies it as a no-op (a
      migration is still recorded in the ledger), which is sometimes intended (a
      placeholder, a rollback of a data-only change); say so in a comment with
      `-- sqlmig: allow empty-file <reason>`, or write the statements.""")
_rule("syntax-error", "robustness", ERROR,
      "statement that PostgreSQL's parser rejects",
      """The statement does not parse with PostgreSQL's own grammar (pglast), so the
      server will reject it and the other rules could not check it. Fix the
      syntax.""")

# -- safety --------------------------------------------------------------------------------

_rule("server-wide-statement", "safety", WARNING,
      "statement that changes the whole server, not only the project's database",
      """Roles (CREATE/ALTER/DROP ROLE, USER, GROUP, ALTER ROLE ... SET, role
      membership GRANT/REVOKE, COMMENT or SECURITY LABEL ON ROLE), databases,
      tablespaces, ALTER SYSTEM, GRANT ON DATABASE/TABLESPACE/PARAMETER, REASSIGN or DROP
      OWNED, and subscriptions (which connect to another server) are not isolated by a
      database: `sqlmig verify` and `sqlmig drift` replaying such a migration on the
      target's own server would change them for real (a rotated password reset, a
      role expired). sqlmig replays on a scratch server (`scratch:` in
      config/<env>.yaml) and refuses to replay these statements with `scratch:
      same-server`. Keep roles, passwords and server settings out of migrations (a
      DBA's or the platform's job); where a migration must create a role, make it
      idempotent and never set passwords in it.""")

# -- types and design ----------------------------------------------------------------------

_rule("timestamp-without-time-zone", "design", WARNING,
      "timestamp without time zone",
      """`timestamp` stores a wall-clock reading without saying in which zone; values
      written by sessions with different TimeZone settings cannot be compared. Use
      timestamptz, which stores an absolute instant.""")
_rule("char-type", "design", WARNING,
      "char(n) pads values with spaces",
      """char(n) blank-pads, compares ignoring trailing spaces and is no faster than text.
      Use text (with a CHECK on length(...) if the length matters).""")
_rule("varchar-length", "design", NOTE,
      "varchar(n): prefer text with a CHECK",
      """varchar(n) has no performance benefit over text in PostgreSQL, and changing n
      later means an ALTER COLUMN TYPE. Use text with CHECK (length(col) <= n): the
      limit can then be changed with a NOT VALID constraint and no rewrite.""")
_rule("int-primary-key", "design", WARNING,
      "serial/int primary key instead of bigint identity",
      """A 32-bit key runs out at 2.1 billion, and converting it later rewrites the
      table and every referencing foreign key. serial types also attach an
      implicitly owned sequence. Use `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY
      KEY`.""")
_rule("missing-primary-key", "design", WARNING,
      "table without a primary key",
      """Without a primary key rows cannot be addressed reliably, logical replication
      cannot replicate UPDATE and DELETE, and duplicates go unnoticed. Add one (a
      bigint identity column if there is no natural key).""")
_rule("foreign-key-without-index", "design", WARNING,
      "foreign key without an index on the referencing columns",
      """PostgreSQL does not index the referencing side of a foreign key. Each DELETE or
      key UPDATE on the referenced table then scans the referencing table, and joins
      along the key are slow. Create an index whose leading columns are the foreign
      key's columns.""")
_rule("missing-comment", "design", NOTE,
      "new table or column without COMMENT ON",
      """Documentation coverage: every table and column a migration creates should say
      what it holds (COMMENT ON TABLE / COMMENT ON COLUMN in the same migration), so
      the catalog documents itself. Opt-in (profile `strict`, or set its severity in
      config/lint.yaml).""", opt_in=True)

# -- project level ---------------------------------------------------------------------------

_rule("missing-rollback", "project", WARNING,
      "migration without a rollback file",
      """`sqlmig rollback` refuses to go below a migration without rollback file. Write
      sql/rollbacks/<same name>.sql, or mark the migration `-- sqlmig: irreversible
      <reason>` so that the refusal is explained.""")
_rule("rollback-incomplete", "project", WARNING,
      "rollback does not mention an object its migration creates",
      """Each table, index, column, view, function, type, schema, extension or sequence
      the migration creates should be undone by its rollback; a rollback that never
      names it probably leaves it behind (and the next apply then fails on it).""")
_rule("checksum-drift", "project", ERROR,
      "an applied migration file was edited",
      """The file's SHA-256 differs from the checksum recorded in the environment's
      ledger when it was applied: the database does not contain what the file says,
      and `sqlmig apply` refuses to run. Revert the edit and write a new migration.""")
_rule("versioned-uses-repeatable", "project", WARNING,
      "a versioned migration uses an object that only a repeatable migration defines",
      """`sqlmig apply` runs repeatable migrations (sql/repeatable) after every pending
      versioned one. On a fresh database (CI, a new environment, `sqlmig verify`) a
      versioned migration that reads a repeatable's view or calls its function runs
      before the repeatable has created it, and fails, although it worked where the
      repeatable was applied earlier. Create the object in a versioned migration (the
      repeatable may then replace it), or move the statement into the repeatable. A
      versioned migration that drops such an object leaves it dropped: the repeatable
      runs again only when its own file changes, so change it in the same commit.""")
_rule("unclassified-personal-data", "project", WARNING,
      "a column of a table marked @contains-personal-data without @pii, or a malformed tag",
      """A table whose comment carries `@contains-personal-data` promises that every
      column says what personal data it holds: `@pii KIND` (email, name, ip-address...)
      or `@pii none`. Read from the migration files in order, as they leave the schema
      (later COMMENT ON statements replace earlier ones; ADD/DROP COLUMN, renames and
      DROP TABLE count), each column without one is reported at the table's comment;
      so is each malformed tag (an unknown `@word`, `@retention` without a duration
      such as 400d, `@pii` without a kind). Add the tag to the column's COMMENT ON
      COLUMN in a new migration; docs/compliance.md describes the tags. Opt-in
      (profile `strict`, or set its severity in config/lint.yaml).""", opt_in=True)
_rule("invalid-suppression", "project", ERROR,
      "`sqlmig: allow` without a known rule or without a reason",
      """A suppression is written `-- sqlmig: allow RULE reason...`, on the line before
      the statement or in the file header (whole file). The reason is required so that
      a reviewer knows why the finding is acceptable; RULE must be a rule id (see
      `sqlmig lint --explain`).""")

RULES: dict[str, Rule] = {r.id: r for r in _RULES}

# config/lint.yaml `profile:`: which opt-in rules run at their own severity.
PROFILES: dict[str, frozenset[str]] = {
    "default": frozenset(),
    "strict": frozenset(r.id for r in _RULES if r.opt_in),
}
DEFAULT_PROFILE = "default"


def get(rule_id: str) -> Rule | None:
    return RULES.get(rule_id)
