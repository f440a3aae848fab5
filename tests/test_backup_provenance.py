"""Restores and retention know which database a backup came from.

Two real databases, A (the project's dev database) and B; the oracles are
the databases' own rows and catalog read with psycopg, and the files on disk.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest

import sqlmig
from sqlmig.backup import provenance
from sqlmig.core import clock

UTC = timezone.utc
T0 = datetime(2026, 3, 1, 2, 10, tzinfo=UTC)
ACCOUNTS = ("CREATE TABLE accounts (id int PRIMARY KEY, owner text);", "DROP TABLE accounts;")


def query(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def dbname(url: str) -> str:
    return str(query(url, "SELECT current_database()")[0][0])


def owners(url: str) -> list[tuple]:
    return query(url, "SELECT owner, count(*) FROM accounts GROUP BY 1 ORDER BY 1")


def restore_audit(url: str) -> list[tuple]:
    return query(url, "SELECT outcome, detail FROM sqlmig.sqlmig_audit"
                      " WHERE action = 'restore' ORDER BY id")


@pytest.fixture
def b_url(pg_server):
    with pg_server.fresh_database("sqlmig_t_b_") as url:
        yield url


@pytest.fixture
def two(project, b_url):
    """A (env dev) and B (env b): the same migration, different rows."""
    (project.root / "config" / "b.yaml").write_text(f"database_url: '{b_url}'\n")
    project.add(1, "accounts", *ACCOUNTS)
    with clock.frozen(T0):
        project.apply()
        project.apply(env="b")
    project.query("INSERT INTO accounts SELECT g, 'a' FROM generate_series(1, 300) g")
    query(b_url, "INSERT INTO accounts SELECT g, 'b' FROM generate_series(1, 40) g")
    return project, b_url


def test_the_sidecar_records_the_database_it_was_made_of(two):
    project, _ = two
    taken = sqlmig.create_backup(project.root)
    meta = json.loads(taken.sidecar.read_text())
    [(sysid, name, oid)] = query(project.url, (
        "SELECT (SELECT system_identifier FROM pg_control_system())::text, d.datname, "
        "d.oid::bigint FROM pg_database d WHERE d.datname = current_database()"))
    assert (meta["system_identifier"], meta["database"], meta["database_oid"], meta["env"]) == (
        sysid, name, oid, "dev")


def test_a_backup_of_a_is_not_restored_in_place_over_b(two):
    project, b_url = two
    taken = sqlmig.create_backup(project.root)
    r = project.cli("restore", str(taken.file), "--env", "b", "--yes")
    assert r.exit_code == 3, r.stderr
    assert "Traceback" not in r.stderr
    a, b = dbname(project.url), dbname(b_url)
    assert f"a backup of database {a!r}" in r.stderr and f"not of database {b!r}" in r.stderr
    assert "--from-other-database" in r.stderr and "Nothing was changed" in r.stderr
    assert owners(b_url) == [("b", 40)]
    [(outcome, detail)] = restore_audit(b_url)
    assert outcome == "refused" and repr(a) in detail and repr(b) in detail


def test_from_other_database_restores_a_over_b_and_the_audit_says_so(two):
    project, b_url = two
    taken = sqlmig.create_backup(project.root)
    result = sqlmig.restore_backup(taken.file, project.root, "b", yes=True,
                                   from_other_database=True)
    assert not result.into_new_database
    assert owners(b_url) == [("a", 300)]
    [(outcome, detail)] = restore_audit(b_url)
    a, b = dbname(project.url), dbname(b_url)
    assert outcome == "ok"
    assert f"from other database (--from-other-database): database {a!r}" in detail
    assert f"into database {b!r}" in detail


def test_restoring_into_a_new_database_records_the_source(two, pg_server):
    project, b_url = two
    taken = sqlmig.create_backup(project.root)
    new = f"sqlmig_t_into_{uuid.uuid4().hex[:8]}"
    try:
        sqlmig.restore_backup(taken.file, project.root, "b", into=new)
        assert owners(pg_server.url(new)) == [("a", 300)]
    finally:
        query(b_url, f'DROP DATABASE IF EXISTS "{new}" WITH (FORCE)')
    [(outcome, detail)] = restore_audit(b_url)
    assert outcome == "ok" and f"from database {dbname(project.url)!r}" in detail


def test_an_old_sidecar_is_unknown_provenance_in_place(two):
    project, _ = two
    taken = sqlmig.create_backup(project.root)
    meta = json.loads(taken.sidecar.read_text())
    for key in ("system_identifier", "database_oid"):
        del meta[key]  # as sidecars were written before provenance
    taken.sidecar.write_text(json.dumps(meta))
    project.query("DELETE FROM accounts WHERE id > 10")
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        sqlmig.restore_backup(taken.file, project.root, yes=True)
    assert info.value.policy == "provenance"
    assert "has no source identity in its sidecar" in info.value.message
    assert owners(project.url) == [("a", 10)]
    sqlmig.restore_backup(taken.file, project.root, yes=True, from_other_database=True)
    assert owners(project.url) == [("a", 300)]
    assert "a backup of unknown provenance into database" in restore_audit(project.url)[-1][1]


def test_a_backup_of_the_same_database_needs_no_flag(two):
    project, _ = two
    taken = sqlmig.create_backup(project.root)
    project.query("DELETE FROM accounts")
    sqlmig.restore_backup(taken.file, project.root, yes=True)
    assert owners(project.url) == [("a", 300)]
    assert "from other database" not in restore_audit(project.url)[-1][1]


@pytest.mark.parametrize("unreadable", ["source", "target"])
def test_an_unreadable_system_identifier_is_not_taken_for_the_same_server(unreadable):
    known = provenance.DatabaseIdentity("7714268872266287208", "app", 16384, "prod")
    blind = provenance.DatabaseIdentity(None, "app", 16384, "prod")
    source, target = (blind, known) if unreadable == "source" else (known, blind)
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        provenance.check_in_place(Path("x.dump"), source, target, from_other_database=False)
    assert "pg_control_system()" in info.value.message
    assert provenance.check_in_place(Path("x.dump"), known, known,
                                     from_other_database=False) is None


def test_keep_backups_prunes_only_this_databases_backups(two):
    project, b_url = two
    shared = project.root / "shared"
    for env in ("dev", "b"):
        (project.root / "config" / f"{env}.yaml").write_text(
            f"database_url: '{project.url if env == 'dev' else b_url}'\n"
            f"backup_dir: '{shared}'\nkeep_backups: 1\n")
    shared.mkdir()
    # Files keep_backups must never delete: a dump without a sidecar, one with
    # an unreadable sidecar, one of unknown provenance (an old sidecar).
    (shared / "stray.dump").write_bytes(b"x")
    (shared / "garbled.dump").write_bytes(b"x")
    (shared / "garbled.json").write_text("{not json")
    with clock.frozen(T0):
        old_format = sqlmig.create_backup(project.root)
    meta = json.loads(old_format.sidecar.read_text())
    del meta["system_identifier"]
    old_format.sidecar.write_text(json.dumps(meta))
    made: dict[str, list[Path]] = {"a": [], "b": []}
    for hours in (1, 2, 3):
        with clock.frozen(T0 + timedelta(hours=hours)):
            made["a"].append(sqlmig.create_backup(project.root).file)
            # env dev serving database B too (a --database-url override).
            made["b"].append(sqlmig.create_backup(project.root, "dev", b_url).file)
    on_disk = sorted(p.name for p in shared.iterdir())
    assert on_disk == sorted([
        "stray.dump", "garbled.dump", "garbled.json",
        old_format.file.name, old_format.sidecar.name,
        made["a"][-1].name, made["a"][-1].with_suffix(".json").name,
        made["b"][-1].name, made["b"][-1].with_suffix(".json").name])


@pytest.mark.parametrize("ledger_schema", ["sqlmig", "public"])
def test_tables_whose_names_contain_sqlmigs_are_restored(project, ledger_schema):
    """Only sqlmig's own audit log and approvals are kept across an in-place
    restore, matched by schema and exact name."""
    if ledger_schema == "public":
        cfg = project.root / "config" / "dev.yaml"
        cfg.write_text(cfg.read_text() + "schema: public\n")
    lookalikes = ["my_sqlmig_audit_copy", "sqlmig_approvals_archive", "sqlmig_audit_x"]
    if ledger_schema != "public":
        lookalikes.append("sqlmig_audit")  # public.sqlmig_audit, beside sqlmig.sqlmig_audit
    project.add(1, "lookalikes", "".join(
        f"CREATE TABLE public.{t} (id int PRIMARY KEY);\n" for t in lookalikes))
    project.apply()
    for t in lookalikes:
        project.query(f"INSERT INTO public.{t} SELECT generate_series(1, 25)")
    taken = sqlmig.create_backup(project.root)
    for t in lookalikes:
        project.query(f"DELETE FROM public.{t} WHERE id > 5")
    audit = f"{ledger_schema}.sqlmig_audit"
    before = project.scalar(f"SELECT count(*) FROM {audit}")
    sqlmig.restore_backup(taken.file, project.root, yes=True)
    counts = {t: project.scalar(f"SELECT count(*) FROM public.{t}") for t in lookalikes}
    assert counts == dict.fromkeys(lookalikes, 25)
    # sqlmig's own audit log kept its rows and gained the restore's.
    assert project.scalar(f"SELECT count(*) FROM {audit}") == before + 1


def test_a_database_of_the_same_name_on_another_server_is_another_database(
        project, scratch_server):
    """The system identifier, not the name, tells two servers apart: a backup of
    A is refused in place over a database called A on another server."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    project.add(1, "accounts", *ACCOUNTS)
    project.apply()
    project.query("INSERT INTO accounts SELECT g, 'a' FROM generate_series(1, 30) g")
    name = dbname(project.url)
    other = make_conninfo("", **{**conninfo_to_dict(scratch_server), "dbname": name})
    query(scratch_server, f'CREATE DATABASE "{name}"')
    try:
        (project.root / "config" / "twin.yaml").write_text(f"database_url: '{other}'\n")
        project.apply(env="twin")
        query(other, "INSERT INTO accounts SELECT g, 'twin' FROM generate_series(1, 5) g")
        assert query(project.url, "SELECT system_identifier::text FROM pg_control_system()") != \
            query(other, "SELECT system_identifier::text FROM pg_control_system()")
        taken = sqlmig.create_backup(project.root)
        with pytest.raises(sqlmig.PolicyRefusal) as info:
            sqlmig.restore_backup(taken.file, project.root, "twin", yes=True)
        assert "--from-other-database" in info.value.message
        assert owners(other) == [("twin", 5)]
    finally:
        query(scratch_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
