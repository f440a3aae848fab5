"""Fleets on the real server: 50 databases, 50 schemas, canaries, waves, the budget."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg import sql

import sqlmig
from conftest import Server
from sqlmig.cli.main import cli

ACCOUNTS = "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);"
PLANS = "CREATE TABLE plans (id bigint PRIMARY KEY, name text NOT NULL);\n" \
        "CREATE INDEX plans_name_idx ON plans (name);"
PLAN_COLUMN = "ALTER TABLE accounts ADD COLUMN plan_id bigint REFERENCES plans (id);"
# FAIL while a target has no plan at all.
SEEDED_CHECK = (
    "SELECT 'FAIL' AS status, 'plans' AS name, 'no plan exists' AS detail\n"
    "WHERE NOT EXISTS (SELECT 1 FROM plans)\n"
)


class Fleet:
    """A project in tmp_path whose `fleet` environment is given as YAML."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "sql" / "migrations").mkdir(parents=True)
        (root / "config").mkdir()
        self.add(1, "accounts", ACCOUNTS)
        self.add(2, "plans", PLANS)
        self.add(3, "plan_column", PLAN_COLUMN)

    def add(self, version: int, slug: str, up: str) -> None:
        (self.root / "sql" / "migrations" / f"{version:04d}_{slug}.sql").write_text(up)
        sqlmig.write_manifest(self.root)

    def check_file(self, name: str, text: str) -> None:
        (self.root / "sql" / "checks").mkdir(exist_ok=True)
        (self.root / "sql" / "checks" / f"{name}.sql").write_text(text)

    def config(self, text: str, env: str = "fleet") -> None:
        (self.root / "config" / f"{env}.yaml").write_text(text)

    def cli(self, *args: str) -> Result:
        return CliRunner().invoke(cli, [*args, "--project", str(self.root)],
                                  catch_exceptions=False)


class Sampler:
    """Counts sqlmig's backends in pg_stat_activity from its own thread.

    A backend leaves pg_stat_activity a moment after its client closed the
    connection, so a sample can see the old backend of a connection that is
    already closed beside the new one that replaced it.  Each backend's time
    in the samples is therefore trimmed by EDGE at both ends before backends
    are counted together: a connection opened beyond the budget overlaps the
    others for a whole target's run (far longer than that), and is counted.
    """

    EDGE = 0.015

    def __init__(self, url: str, databases: list[str]) -> None:
        self.url = url
        self.databases = databases
        self.samples = 0
        self._seen: list[tuple[float, set[int]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True, application_name="sampler") as conn:
            while not self._stop.is_set():
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE (application_name = 'sqlmig'"
                    " OR application_name LIKE 'sqlmig: %%')"
                    " AND datname = ANY(%s)", (self.databases,)).fetchall()
                self._seen.append((time.monotonic(), {int(r[0]) for r in rows}))
                self.samples += 1

    @property
    def max(self) -> int:
        first: dict[int, float] = {}
        last: dict[int, float] = {}
        for at, pids in self._seen:
            for pid in pids:
                first.setdefault(pid, at)
                last[pid] = at
        return max((sum(1 for pid in pids
                        if first[pid] + self.EDGE <= at <= last[pid] - self.EDGE)
                    for at, pids in self._seen), default=0)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def query(url: str, text: str, params: Any = None) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(text, params)
        return cur.fetchall() if cur.description else []


def create_databases(pg_server: Server, names: list[str]) -> None:
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_databases(pg_server: Server, names: list[str]) -> None:
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


@pytest.fixture
def fleet(tmp_path: Path) -> Fleet:
    return Fleet(tmp_path / "proj")


@pytest.fixture
def tenants(pg_server: Server, db_url: str) -> Iterator[tuple[str, list[str]]]:
    """One database with six tenant schemas t1..t6."""
    names = [f"t{n}" for n in range(1, 7)]
    query(db_url, "; ".join(f"CREATE SCHEMA {n}" for n in names))
    yield db_url, names


def schema_config(url: str, names: list[str], extra: str = "") -> str:
    return f"database_url: '{url}'\ntargets_schemas: [{', '.join(names)}]\n{extra}"


def applied_versions(url: str, schema: str = "sqlmig") -> list[int]:
    if not query(url, "SELECT to_regclass(%s)", (f"{schema}.schema_migrations",))[0][0]:
        return []
    return [r[0] for r in query(url, f"SELECT version FROM {schema}.schema_migrations "
                                     "WHERE status = 'applied' ORDER BY 1")]


# -- 50 databases -------------------------------------------------------------------------------


def test_fifty_databases_one_failing_then_fixed(pg_server: Server, fleet: Fleet) -> None:
    prefix = f"sqlmig_fleet_{uuid.uuid4().hex[:8]}"
    names = [f"{prefix}_{n:02d}" for n in range(1, 51)]
    registry = f"{prefix}_registry"
    create_databases(pg_server, [*names, registry])
    try:
        reg_url = pg_server.url(registry)
        query(reg_url, "CREATE TABLE tenants (tenant text, dsn text, active boolean)")
        with psycopg.connect(reg_url, autocommit=True) as conn, conn.cursor() as cur:
            cur.executemany("INSERT INTO tenants VALUES (%s, %s, true)",
                            [(f"tenant_{n:02d}", pg_server.url(name))
                             for n, name in enumerate(names, start=1)])
        fleet.config(
            f"targets_registry_url: '{reg_url}'\n"
            "targets_query: SELECT tenant AS name, dsn AS database_url FROM tenants"
            " WHERE active ORDER BY tenant\n"
        )
        broken = pg_server.url(names[16])  # tenant_17: a conflicting object
        query(broken, "CREATE TABLE plans (legacy text)")

        with Sampler(pg_server.url("postgres"), [*names, registry]) as sampler:
            first = fleet.cli("apply", "--env", "fleet", "--jobs", "4")
        assert first.exit_code == 1, first.output
        assert "50 targets: 49 applied, 1 failed" in first.stdout
        assert 'tenant_17: failed\n  migrations/0002_plans.sql:1:1: relation "plans" already ' \
               "exists (SQLSTATE 42P07)" in first.stdout
        assert sampler.samples > 10 and 1 <= sampler.max <= 4 + 1
        assert applied_versions(broken) == [1]
        assert all(applied_versions(pg_server.url(n)) == [1, 2, 3]
                   for n in names if n != names[16])

        query(broken, "DROP TABLE plans")
        with Sampler(pg_server.url("postgres"), [*names, registry]) as sampler:
            second = fleet.cli("apply", "--env", "fleet", "--jobs", "4")
        assert second.exit_code == 0, second.output
        assert "50 targets: 1 applied, 49 up-to-date" in second.stdout
        assert "tenant_17  1     3   2" in second.stdout
        assert sampler.max <= 4 + 1
        assert applied_versions(broken) == [1, 2, 3]
        # The 49 others were read, not touched: one audited apply each, as before.
        assert {query(pg_server.url(n), "SELECT count(*) FROM sqlmig.sqlmig_audit")[0][0]
                for n in names} == {1, 2}
        assert query(broken, "SELECT count(*) FROM sqlmig.sqlmig_audit")[0][0] == 2

        status = fleet.cli("status", "--env", "fleet", "--json")
        assert status.exit_code == 0, status.output
        doc = json.loads(status.stdout)["result"]
        assert doc["versions"] == {"3": 50} and doc["behind"] == []
        assert len(doc["targets"]) == 50
    finally:
        drop_databases(pg_server, [*names, registry])


# -- 50 schemas ---------------------------------------------------------------------------------


def test_fifty_schemas_each_with_its_own_ledger(db_url: str, fleet: Fleet) -> None:
    schemas = [f"tenant_{n:02d}" for n in range(1, 51)]
    query(db_url, "; ".join(f"CREATE SCHEMA {s}" for s in schemas))
    fleet.config(f"database_url: '{db_url}'\ntargets_schemas: >-\n  SELECT nspname FROM "
                 "pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1\n")
    dbname = psycopg.conninfo.conninfo_to_dict(db_url)["dbname"]
    with Sampler(db_url, [str(dbname)]) as sampler:
        result = fleet.cli("apply", "--env", "fleet", "--jobs", "4")
    assert result.exit_code == 0, result.output
    assert "50 targets: 50 applied" in result.stdout
    assert sampler.max <= 4 + 1
    assert all(applied_versions(db_url, s) == [1, 2, 3] for s in schemas)
    tables = query(db_url, "SELECT table_schema, count(*) FROM information_schema.tables WHERE "
                           "table_name IN ('accounts', 'plans') GROUP BY 1")
    assert dict(tables) == {s: 2 for s in schemas}  # nothing in public
    assert applied_versions(db_url, "public") == [] and applied_versions(db_url, "sqlmig") == []
    again = fleet.cli("apply", "--env", "fleet", "--jobs", "4")
    assert "50 targets: 50 up-to-date" in again.stdout


# -- canary and waves ----------------------------------------------------------------------------


def test_canary_with_failing_check_leaves_the_rest_untouched(
        tenants: tuple[str, list[str]], fleet: Fleet) -> None:
    url, names = tenants
    fleet.check_file("plans_seeded", SEEDED_CHECK)
    fleet.config(schema_config(url, names))
    result = fleet.cli("apply", "--env", "fleet", "--canary", "2", "--wave-size", "2")
    assert result.exit_code == 1
    assert "stopped: the canary failed on t1, t2" in result.stdout
    assert "untouched (4): t3, t4, t5, t6" in result.stdout
    assert "checks failed:\n  plans_seeded: FAIL plans: no plan exists" in result.stdout
    assert [applied_versions(url, n) for n in names] == [[1, 2, 3]] * 2 + [[]] * 4


def test_canary_with_passing_checks_goes_on_in_waves(
        tenants: tuple[str, list[str]], fleet: Fleet) -> None:
    url, names = tenants
    fleet.add(4, "default_plan", "INSERT INTO plans VALUES (1, 'free');")
    fleet.check_file("plans_seeded", SEEDED_CHECK)
    fleet.config(schema_config(url, names))
    result = fleet.cli("apply", "--env", "fleet", "--canary", "1", "--wave-size", "2", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)["result"]
    assert [(t["target"], t["wave"], t["outcome"]) for t in doc["targets"]] == [
        ("t1", 0, "applied"), ("t2", 1, "applied"), ("t3", 1, "applied"),
        ("t4", 2, "applied"), ("t5", 2, "applied"), ("t6", 3, "applied")]
    assert doc["targets"][0]["check"]["passed"] == 1


def test_waves_stop_at_the_first_failing_wave(tenants: tuple[str, list[str]],
                                              fleet: Fleet) -> None:
    url, names = tenants
    query(url, "CREATE TABLE t4.plans (legacy text)")
    fleet.config(schema_config(url, names))
    result = fleet.cli("apply", "--env", "fleet", "--wave-size", "2")
    assert result.exit_code == 1
    assert "stopped: wave 2 failed on t4" in result.stdout
    assert "untouched (2): t5, t6" in result.stdout
    assert [len(applied_versions(url, n)) for n in names] == [3, 3, 3, 1, 0, 0]


def test_canary_without_checks_is_refused_before_anything_changes(
        tenants: tuple[str, list[str]], fleet: Fleet) -> None:
    url, names = tenants
    fleet.config(schema_config(url, names))
    result = fleet.cli("apply", "--env", "fleet", "--canary", "1")
    assert result.exit_code == 2
    assert "--canary runs the checks of sql/checks" in result.stderr
    assert all(applied_versions(url, n) == [] for n in names)


def test_fail_fast_starts_no_target_after_a_failure(tenants: tuple[str, list[str]],
                                                     fleet: Fleet) -> None:
    url, names = tenants
    query(url, "CREATE TABLE t2.plans (legacy text)")
    fleet.config(schema_config(url, names))
    result = fleet.cli("apply", "--env", "fleet", "--jobs", "1", "--fail-fast")
    assert result.exit_code == 1
    assert "untouched (4): t3, t4, t5, t6" in result.stdout
    assert [len(applied_versions(url, n)) for n in names] == [3, 1, 0, 0, 0, 0]


def test_without_fail_fast_a_failure_does_not_stop_the_others(
        tenants: tuple[str, list[str]], fleet: Fleet) -> None:
    url, names = tenants
    query(url, "CREATE TABLE t2.plans (legacy text)")
    fleet.config(schema_config(url, names))
    result = fleet.cli("apply", "--env", "fleet", "--jobs", "1")
    assert result.exit_code == 1
    assert "6 targets: 5 applied, 1 failed" in result.stdout
    assert [len(applied_versions(url, n)) for n in names] == [3, 1, 3, 3, 3, 3]


# -- selection, status, check ---------------------------------------------------------------------


def test_target_and_targets_like_select_a_subset(tenants: tuple[str, list[str]],
                                                 fleet: Fleet) -> None:
    url, names = tenants
    fleet.config(schema_config(url, names))
    result = fleet.cli("apply", "--env", "fleet", "--target", "t6", "--targets-like", "t_",
                       "--to", "1")
    assert result.exit_code == 0, result.output
    assert "6 targets: 6 applied" in result.stdout
    subset = fleet.cli("apply", "--env", "fleet", "--targets-like", "t%3", "--target", "t5")
    assert "2 targets: 2 applied" in subset.stdout
    assert [len(applied_versions(url, n)) for n in names] == [1, 1, 3, 1, 3, 1]


@pytest.mark.parametrize("args, message", [
    (["--target", "t9"], "--target t9: no such target. Targets: t1, t2, t3, t4, t5, t6."),
    (["--targets-like", "x%"], "--targets-like x%: matches no target."),
])
def test_unknown_selection_is_a_usage_error(tenants: tuple[str, list[str]], fleet: Fleet,
                                            args: list[str], message: str) -> None:
    url, names = tenants
    fleet.config(schema_config(url, names))
    result = fleet.cli("apply", "--env", "fleet", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert all(applied_versions(url, n) == [] for n in names)


def test_status_matrix_counts_versions_behind_failed_and_drifted(
        tenants: tuple[str, list[str]], fleet: Fleet) -> None:
    url, names = tenants
    fleet.config(schema_config(url, names))
    assert fleet.cli("apply", "--env", "fleet", "--to", "2").exit_code == 0
    assert fleet.cli("apply", "--env", "fleet", "--target", "t1", "--target", "t2").exit_code == 0
    # Both checksums: with only the raw one forged, the normalized one still says
    # the file is what was applied, give or take comments (a cosmetic change).
    query(url, "UPDATE t3.schema_migrations SET checksum = repeat('0', 64),"
               " checksum_normalized = repeat('0', 64) WHERE version = 1")
    query(url, "UPDATE t4.schema_migrations SET status = 'failed', error = 'boom' "
               "WHERE version = 2")
    result = fleet.cli("status", "--env", "fleet")
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0] == "6 targets in fleet; newest migration: 3"
    assert "2        3" in lines and "3        2" in lines and "1        1" in lines
    assert "behind (2): t5, t6" in lines
    assert "failed (1): t4" in lines and "drifted (1): t3" in lines
    doc = json.loads(fleet.cli("status", "--env", "fleet", "--json").stdout)["result"]
    by_name = {t["target"]: t for t in doc["targets"]}
    assert by_name["t5"]["pending"] == ["0003_plan_column"]
    assert by_name["t3"]["state"] == "drifted" and by_name["t1"]["state"] == "current"
    # Applying refuses the drifted and failed targets and completes the rest.
    result = fleet.cli("apply", "--env", "fleet")
    assert "4 targets" not in result.stdout
    assert result.exit_code == 1 and "2 applied, 2 up-to-date, 2 refused" in result.stdout


def test_check_runs_on_every_target_and_aggregates(tenants: tuple[str, list[str]],
                                                   fleet: Fleet) -> None:
    url, names = tenants
    fleet.check_file("plans_seeded", SEEDED_CHECK)
    fleet.config(schema_config(url, names))
    assert fleet.cli("apply", "--env", "fleet").exit_code == 0
    query(url, "; ".join(f"INSERT INTO {n}.plans VALUES (1, 'free')" for n in names if n != "t5"))
    result = fleet.cli("check", "--env", "fleet", "--jobs", "3")
    assert result.exit_code == 1
    assert "t5: plans_seeded: FAIL plans: no plan exists" in result.stdout
    assert "6 targets: 5 ok, 1 failing" in result.stdout
    ok = fleet.cli("check", "--env", "fleet", "--targets-like", "t%", "--target", "t1",
                   "--format", "json")
    doc = json.loads(ok.stdout)["result"]
    assert [t["check"]["failed"] for t in doc["targets"]] == [0, 0, 0, 0, 1, 0]


# -- the connection budget ----------------------------------------------------------------------


NO_TRANSACTION = "-- sqlmig: no-transaction\nCREATE INDEX CONCURRENTLY accounts_email_idx " \
                 "ON accounts (email);\n"


def test_no_transaction_migrations_count_their_second_connection(
        tenants: tuple[str, list[str]], fleet: Fleet) -> None:
    url, names = tenants
    fleet.add(4, "email_index", NO_TRANSACTION)
    fleet.config(schema_config(url, names))
    dbname = str(psycopg.conninfo.conninfo_to_dict(url)["dbname"])
    refused = fleet.cli("apply", "--env", "fleet", "--jobs", "1", "--target", "t1")
    assert refused.exit_code == 1
    assert "needs 2 connections at once (1 session + 1 for the ledger rows of a " \
           "no-transaction migration) but --jobs is 1: rerun with --jobs 2" in refused.stdout
    assert applied_versions(url, "t1") == []
    with Sampler(url, [dbname]) as sampler:
        result = fleet.cli("apply", "--env", "fleet", "--jobs", "3")
    assert result.exit_code == 0, result.output
    assert sampler.max <= 3
    assert all(applied_versions(url, n) == [1, 2, 3, 4] for n in names)


def test_budget_never_hands_out_more_than_its_capacity() -> None:
    from sqlmig.fleet.run import Budget

    budget = Budget(3)
    assert budget.acquire(2) and not budget.try_acquire(2) and budget.try_acquire(1)
    assert not budget.acquire(1, timeout=0.05)
    budget.release(3)
    assert budget.peak == 3 and budget.acquire(3)


# -- targets, config and refusals -----------------------------------------------------------------


def test_unreachable_target_fails_alone_without_showing_its_password(
        pg_server: Server, db_url: str, fleet: Fleet) -> None:
    fleet.config(
        "targets:\n"
        f"  - {{name: good, database_url: '{db_url}'}}\n"
        "  - name: gone\n"
        "    database_url: postgresql://alice:${GONE_PASSWORD}@127.0.0.1:1/nowhere"
        "?connect_timeout=2\n"
    )
    result = CliRunner().invoke(cli, ["apply", "--env", "fleet", "--project", str(fleet.root)],
                                env={"GONE_PASSWORD": "s3cr3t-pw"})
    assert result.exit_code == 1
    assert "2 targets: 1 applied, 1 failed" in result.stdout
    assert "gone: failed\n  cannot connect to postgresql://alice:***@127.0.0.1:1/" in result.stdout
    assert "s3cr3t-pw" not in result.output
    assert applied_versions(db_url) == [1, 2, 3]


@pytest.mark.parametrize("yaml, message", [
    ("targets: []\n", "bad value for `targets`: []; expected a list of mappings"),
    ("targets:\n  - {name: a, url: x}\n", "item 1 is {'name': 'a', 'url': 'x'}"),
    ("targets:\n  - {name: a, database_url: x}\n  - {name: a, database_url: y}\n",
     "'a' appears twice"),
    ("targets:\n  - {name: 'a b', database_url: x}\n", "item 1: the name must be letters"),
    ("targets_query: SELECT 1\n", "`targets_query` needs `targets_registry_url`"),
    ("targets_registry_url: x\n", "`targets_query` is missing"),
    ("targets_schemas: [a]\n", "`targets_schemas` needs `database_url`"),
    ("database_url: x\ntargets_schemas: [a, a]\n", "'a' appears twice"),
    ("targets:\n  - {name: a, database_url: x}\ntargets_schemas: [a]\ndatabase_url: x\n",
     "`targets` and `targets_schemas` both name the targets"),
    ("database_url: x\nlock: row\n", "bad value for `lock`: 'row'; expected advisory"),
])
def test_bad_fleet_config_is_refused_naming_file_and_key(fleet: Fleet, yaml: str,
                                                          message: str) -> None:
    fleet.config(yaml)
    result = fleet.cli("apply", "--env", "fleet")
    assert result.exit_code == 2
    assert str(fleet.root / "config" / "fleet.yaml") in result.stderr
    assert message in result.stderr


def test_registry_query_with_wrong_columns_is_a_config_error(db_url: str, fleet: Fleet) -> None:
    fleet.config(f"targets_registry_url: '{db_url}'\ntargets_query: SELECT 'a', 'b'\n")
    result = fleet.cli("status", "--env", "fleet")
    assert result.exit_code == 2
    assert "`targets_query` must return the columns name, database_url" in result.stderr


def test_fleet_options_on_a_single_database_env_are_a_usage_error(fleet: Fleet,
                                                                  db_url: str) -> None:
    fleet.config(f"database_url: '{db_url}'\n", env="dev")
    result = fleet.cli("apply", "--canary", "2", "--jobs", "3")
    assert result.exit_code == 2
    assert "--jobs, --canary: only for fleet environments (environment 'dev' has no targets)" \
        in result.stderr
    assert applied_versions(db_url) == []
    assert fleet.cli("apply").exit_code == 0  # single-database envs work as before


def test_single_database_commands_on_a_fleet_name_the_way_out(
        tenants: tuple[str, list[str]], fleet: Fleet) -> None:
    url, _ = tenants
    fleet.config(f"targets:\n  - {{name: a, database_url: '{url}'}}\n")
    result = fleet.cli("history", "--env", "fleet")
    assert result.exit_code == 2
    assert "environment 'fleet' is a fleet without `database_url`" in result.stderr
    # --database-url picks one database: single-database apply, as before.
    one = fleet.cli("apply", "--env", "fleet", "--database-url", url)
    assert one.exit_code == 0 and "applied 3 migrations" in one.stdout


def test_auto_apply_false_needs_yes_once_for_the_fleet(tenants: tuple[str, list[str]],
                                                        fleet: Fleet) -> None:
    url, names = tenants
    fleet.config(schema_config(url, names, "auto_apply: false\n"))
    refused = fleet.cli("apply", "--env", "fleet")
    assert refused.exit_code == 3
    assert "pass --yes" in refused.stderr
    assert all(applied_versions(url, n) == [] for n in names)
    assert fleet.cli("apply", "--env", "fleet", "--yes").exit_code == 0


def test_python_api_returns_typed_results(tenants: tuple[str, list[str]], fleet: Fleet) -> None:
    url, names = tenants
    fleet.config(schema_config(url, names))
    seen: list[tuple[str, int, int]] = []
    result = sqlmig.fleet_apply(fleet.root, "fleet", jobs=2,
                                progress=lambda r, done, total: seen.append((r.target, done, total)))
    assert isinstance(result, sqlmig.FleetApplyResult) and result.ok
    assert sorted(done for _, done, _ in seen) == [1, 2, 3, 4, 5, 6]
    assert result.max_connections <= 2
    st = sqlmig.fleet_status(fleet.root, "fleet")
    assert st.versions == {"3": 6}
