"""Backups and restores with the real pg_dump/pg_restore against the real server."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

import sqlmig
from sqlmig.backup import dump as backup
from sqlmig.core import clock
from sqlmig.core.session import Session

UTC = timezone.utc
T0 = datetime(2026, 3, 1, 2, 10, tzinfo=UTC)


def env_file(project, name: str, body: str = "") -> None:
    (project.root / "config" / f"{name}.yaml").write_text(
        f"database_url: '{project.url}'\n{body}")


@pytest.fixture
def seeded(project):
    project.add(1, "accounts", "CREATE TABLE accounts (id int PRIMARY KEY, phone text);\n"
                "CREATE INDEX accounts_phone ON accounts (phone);", "DROP TABLE accounts;")
    with clock.frozen(T0):
        project.apply()
    project.query("INSERT INTO accounts SELECT g, 'p' || g FROM generate_series(1, 500) g")
    return project


@pytest.fixture
def scratch_dbs(project):
    names: list[str] = []
    yield names
    for name in names:
        project.query(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fingerprint(url: str):
    with psycopg.connect(url, autocommit=True) as conn:
        return backup.fingerprint(conn)


def other_db(url: str, name: str) -> str:
    return make_conninfo("", **{**conninfo_to_dict(url), "dbname": name})


# -- tools and arguments ---------------------------------------------------------------


def test_newest_client_is_chosen_and_an_older_one_is_refused(seeded):
    with Session(seeded.root) as s:
        _, major = backup.server_version_of(s.conn)
        dump, restore = backup.find_tools(s.config, major)
    assert dump.major >= major and restore.major >= major
    env_file(seeded, "old", "pg_dump_path: /usr/bin/pg_dump\n")
    r = seeded.cli("backup", "--env", "old")
    assert r.exit_code == 3
    assert "is older than the server" in r.stderr and "pg_dump cannot dump a newer server" in r.stderr
    assert not (seeded.root / "backups" / "old").exists() or not list(
        (seeded.root / "backups" / "old").iterdir())


def test_missing_pg_dump_is_a_clear_refusal(seeded, tmp_path):
    empty = tmp_path / "no-tools"
    empty.mkdir()
    env_file(seeded, "bare", f"pg_bin_dir: '{empty}'\n")
    r = seeded.cli("backup", "--env", "bare")
    assert r.exit_code == 3 and f"pg_dump not found in {empty}" in r.stderr


def test_password_goes_through_the_environment_never_argv():
    url = "postgresql://alice:s3cr3t-Pw@db.example.com:5433/app?sslmode=require"
    tool = backup.Tool(Path("/usr/bin/pg_dump"), "18.1", 18)
    argv, env = backup.dump_command(tool, url, Path("/tmp/x.dump"), snapshot="00000003-1")
    assert not any("s3cr3t-Pw" in a for a in argv)
    assert env["PGPASSWORD"] == "s3cr3t-Pw"
    conninfo = conninfo_to_dict(argv[3].split("=", 1)[1])
    assert conninfo["host"] == "db.example.com" and conninfo["port"] == "5433"
    assert conninfo["user"] == "alice" and conninfo["sslmode"] == "require"
    assert "password" not in conninfo


def test_backup_with_a_password_role_leaks_it_nowhere(seeded):
    name, pw = f"sqlmig_bk_{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex}"
    seeded.query(f"CREATE ROLE {name} LOGIN PASSWORD '{pw}'")
    try:
        seeded.query(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}")
        seeded.query(f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}")
        # A governed ledger: the deployer reads it and appends its audit row
        # through sqlmig's functions (docs/environments.md).
        sqlmig.api.access_setup(seeded.root, "dev", seeded.url)
        sqlmig.api.access_grant(name, "deployer", seeded.root, "dev", seeded.url)
        url = make_conninfo("", **{**conninfo_to_dict(seeded.url), "user": name, "password": pw})
        r = seeded.cli("backup", "--database-url", url, "--json")
        assert r.exit_code == 0, r.stderr
        meta = json.loads(r.stdout)["result"]
        sidecar = Path(meta["sidecar"]).read_text()
        assert pw not in r.stdout + r.stderr + sidecar
        assert pw not in str(seeded.query("SELECT * FROM sqlmig.sqlmig_audit"))
    finally:
        seeded.query(f"DROP OWNED BY {name}")
        seeded.query(f"DROP ROLE {name}")


# -- backup and verification --------------------------------------------------------------


def test_backup_writes_dump_and_sidecar_and_reports_verification(seeded):
    with clock.frozen(T0 + timedelta(hours=1)):
        r = seeded.cli("backup", "--json")
    assert r.exit_code == 0, r.stderr
    result = json.loads(r.stdout)["result"]  # the --json envelope's result
    dbname = conninfo_to_dict(seeded.url)["dbname"]
    dump = Path(result["file"])
    assert dump.parent == seeded.root / "backups" / "dev"
    assert dump.name == f"dev_{dbname}_20260301T031000Z_v1.dump"
    assert dump.read_bytes()[:5] == b"PGDMP"
    meta = json.loads(dump.with_suffix(".json").read_text())
    assert meta["size"] == dump.stat().st_size and meta["sha256"] == backup.sha256_of(dump)
    assert meta["ledger_version"] == 1 and meta["server_version"].split(".")[0] == \
        meta["pg_dump_version"].split(".")[0]
    assert result["verified"][:2] == [f"size {meta['size']} bytes", "sha256 matches"]
    assert result["verified"][2].startswith("table of contents readable (")
    assert seeded.query("SELECT action, outcome, backup_file, backup_sha256 FROM sqlmig.sqlmig_audit"
                        " WHERE action = 'backup'") == [("backup", "ok", dump.name, meta["sha256"])]


def test_round_trip_backup_verify_restore_into_new_database(seeded, scratch_dbs):
    r = seeded.cli("backup", "--verify", "restore", "--json")
    assert r.exit_code == 0, r.stderr
    result = json.loads(r.stdout)["result"]  # the --json envelope's result
    assert "equal row counts, schema equal" in result["verified"][-1]
    meta = json.loads(Path(result["sidecar"]).read_text())
    assert meta["tables"]["public.accounts"] == 500
    target = f"sqlmig_t_into_{uuid.uuid4().hex[:8]}"
    scratch_dbs.append(target)
    r = seeded.cli("restore", result["file"], "--into", target)
    assert r.exit_code == 0, r.stderr
    assert f"into new database {target}" in r.stdout
    assert _equal_but_audit(seeded.url, other_db(seeded.url, target))
    # The scratch database of --verify=restore is gone.
    assert seeded.scalar("SELECT count(*) FROM pg_database WHERE datname LIKE 'sqlmig_verify_%'") == 0


def _equal_but_audit(a: str, b: str) -> bool:
    # The source gained audit rows (backup, restore) after the dump was taken;
    # sqlmig's own tables are not part of the fingerprint's row counts.
    fa, fb = fingerprint(a), fingerprint(b)
    assert "sqlmig.sqlmig_audit" not in fa["tables"] and "public.sqlmig_audit" not in fa["tables"]
    return fa == fb


def test_one_flipped_byte_fails_verification(seeded, scratch_dbs):
    result = sqlmig.create_backup(seeded.root)
    data = bytearray(result.file.read_bytes())
    data[len(data) // 2] ^= 0x01
    result.file.write_bytes(bytes(data))
    target = f"sqlmig_t_into_{uuid.uuid4().hex[:8]}"
    scratch_dbs.append(target)
    r = seeded.cli("restore", str(result.file), "--into", target)
    assert r.exit_code == 3 and "does not match the sidecar" in r.stderr and "corrupted" in r.stderr
    assert seeded.scalar("SELECT count(*) FROM pg_database WHERE datname = %s", (target,)) == 0
    assert seeded.query("SELECT outcome FROM sqlmig.sqlmig_audit WHERE action = 'restore'") == [("refused",)]


def test_unreadable_table_of_contents_fails_verification(seeded):
    result = sqlmig.create_backup(seeded.root)
    data = bytearray(result.file.read_bytes())
    data[0:5] = b"XXXXX"  # not a custom-format archive any more
    result.file.write_bytes(bytes(data))
    meta = json.loads(result.sidecar.read_text())
    meta["sha256"] = backup.sha256_of(result.file)  # even with a matching checksum
    result.sidecar.write_text(json.dumps(meta))
    with Session(seeded.root) as s:
        _, tool = backup.find_tools(s.config, backup.server_version_of(s.conn)[1])
    with pytest.raises(sqlmig.BackupFailed) as info:
        backup.verify_file(result.file, tool)
    assert "pg_restore --list cannot read it" in info.value.message


def test_retention_keeps_the_newest_n_of_the_environment(seeded):
    env_file(seeded, "dev", "keep_backups: 2\n")
    env_file(seeded, "other")
    with clock.frozen(T0):
        foreign = sqlmig.create_backup(seeded.root, "other")
    made = []
    for hours in (1, 2, 3):
        with clock.frozen(T0 + timedelta(hours=hours)):
            made.append(sqlmig.create_backup(seeded.root, "dev"))
    remaining = sorted(p.name for p in (seeded.root / "backups" / "dev").glob("*.dump"))
    assert remaining == sorted(m.file.name for m in made[1:])
    assert made[2].deleted == [made[0].file]
    assert not made[0].sidecar.exists()
    assert foreign.file.exists()


def test_retention_never_deletes_the_only_backup(seeded):
    env_file(seeded, "dev", "keep_backups: 1\n")
    with clock.frozen(T0):
        first = sqlmig.create_backup(seeded.root)
    with clock.frozen(T0):  # same second: a distinct name, the older one goes
        second = sqlmig.create_backup(seeded.root)
    assert second.file != first.file and second.file.exists() and not first.file.exists()


# -- backup: required -----------------------------------------------------------------------


def test_backup_required_guards_apply_and_is_recorded(seeded):
    env_file(seeded, "dev", "backup: required\n")
    seeded.add(2, "more", "CREATE TABLE more (id int);", "DROP TABLE more;")
    result = seeded.apply()
    assert [m.version for m in result.applied] == [2]
    [dump] = (seeded.root / "backups" / "dev").glob("*.dump")
    sha = backup.sha256_of(dump)
    assert dump.name.endswith("_v1.dump")  # taken before 2 ran
    assert seeded.query("SELECT backup_file, backup_sha256 FROM sqlmig.schema_migrations WHERE version = 2"
                        ) == [(dump.name, sha)]
    assert seeded.query("SELECT backup_file FROM sqlmig.sqlmig_history WHERE version = 2") == [(dump.name,)]
    assert seeded.query("SELECT action, backup_file, backup_sha256 FROM sqlmig.sqlmig_audit"
                        " WHERE action = 'apply' ORDER BY id DESC LIMIT 1") == [("apply", dump.name, sha)]
    seeded.rollback()
    assert len(list((seeded.root / "backups" / "dev").glob("*.dump"))) == 2
    assert seeded.query("SELECT action, backup_file IS NOT NULL FROM sqlmig.sqlmig_audit"
                        " WHERE action = 'rollback'") == [("rollback", True)]


def test_backup_required_blocks_apply_when_pg_dump_is_missing(seeded, tmp_path):
    empty = tmp_path / "no-tools"
    empty.mkdir()
    env_file(seeded, "dev", f"backup: required\npg_bin_dir: '{empty}'\n")
    seeded.add(2, "more", "CREATE TABLE more (id int);")
    r = seeded.cli("apply")
    assert r.exit_code == 3 and "pg_dump not found" in r.stderr
    assert seeded.ledger_versions() == [1] and not seeded.table_exists("more")
    assert seeded.query("SELECT action, outcome FROM sqlmig.sqlmig_audit ORDER BY id DESC LIMIT 2") == [
        ("apply", "refused"), ("backup", "failed")]


def test_backup_required_blocks_apply_when_pg_dump_fails(seeded):
    name = f"sqlmig_bk_{uuid.uuid4().hex[:8]}"
    seeded.query(f"CREATE ROLE {name} LOGIN")
    try:
        env_file(seeded, "dev", "backup: required\n")
        seeded.query(f"GRANT CREATE, USAGE ON SCHEMA public TO {name}")
        seeded.query(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                     f"TO {name}")
        seeded.query(f"GRANT SELECT, USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}")
        sqlmig.api.access_setup(seeded.root, "dev", seeded.url)
        sqlmig.api.access_grant(name, "deployer", seeded.root, "dev", seeded.url)
        seeded.query(f"REVOKE SELECT ON accounts FROM {name}")  # pg_dump cannot read it
        seeded.add(2, "more", "CREATE TABLE more (id int);")
        url = make_conninfo("", **{**conninfo_to_dict(seeded.url), "user": name})
        r = seeded.cli("apply", "--database-url", url)
        assert r.exit_code == 3
        assert "pg_dump failed" in r.stderr and "permission denied for table accounts" in r.stderr
        assert seeded.ledger_versions() == [1] and not seeded.table_exists("more")
        assert list((seeded.root / "backups" / "dev").glob("*")) == []  # no partial file counts
    finally:
        seeded.query(f"DROP OWNED BY {name}")
        seeded.query(f"DROP ROLE {name}")


# -- restore in place -------------------------------------------------------------------------


def test_restore_in_place_needs_confirmation_and_keeps_the_audit_log(seeded):
    with clock.frozen(T0):
        taken = sqlmig.create_backup(seeded.root)
    seeded.add(2, "more", "CREATE TABLE more (id int);", "DROP TABLE more;")
    seeded.apply()
    seeded.query("DELETE FROM accounts WHERE id > 100")
    r = seeded.cli("restore", str(taken.file))
    assert r.exit_code == 3 and "restore not confirmed" in r.stderr and "--yes" in r.stderr
    assert seeded.scalar("SELECT count(*) FROM accounts") == 100
    audit_before = seeded.scalar("SELECT count(*) FROM sqlmig.sqlmig_audit")
    r = seeded.cli("restore", str(taken.file), input="y\n")
    assert r.exit_code == 0, r.stderr
    assert seeded.scalar("SELECT count(*) FROM accounts") == 500
    assert seeded.ledger_versions() == [1]
    # Objects the backup does not know stay: inspect with --into first (docs/backups.md).
    assert seeded.table_exists("more")
    rows = seeded.query("SELECT action, outcome FROM sqlmig.sqlmig_audit ORDER BY id")
    assert len(rows) == audit_before + 1 and rows[-1] == ("restore", "ok")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        seeded.query("DELETE FROM sqlmig.sqlmig_audit")  # still append-only after the restore


def test_restore_in_production_needs_emergency_and_reason(seeded):
    env_file(seeded, "prod", "restore: emergency\n")
    with clock.frozen(T0):
        taken = sqlmig.create_backup(seeded.root, "prod")
    r = seeded.cli("restore", str(taken.file), "--env", "prod", "--yes")
    assert r.exit_code == 3 and "restore: emergency" in r.stderr
    r = seeded.cli("restore", str(taken.file), "--env", "prod", "--yes", "--emergency")
    assert r.exit_code == 3
    r = seeded.cli("restore", str(taken.file), "--env", "prod", "--yes", "--emergency",
                   "--reason", "incident 4712: bad data import")
    assert r.exit_code == 0, r.stderr
    assert seeded.query("SELECT outcome, emergency, reason FROM sqlmig.sqlmig_audit"
                        " WHERE action = 'restore' ORDER BY id") == [
        ("refused", False, None), ("refused", True, None),
        ("ok", True, "incident 4712: bad data import")]


def test_restore_refused_environment_allows_only_into(seeded, scratch_dbs):
    env_file(seeded, "locked", "restore: refused\n")
    taken = sqlmig.create_backup(seeded.root, "locked")
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        sqlmig.restore_backup(taken.file, seeded.root, "locked", yes=True, emergency=True,
                              reason="x")
    assert info.value.policy == "restore"
    target = f"sqlmig_t_into_{uuid.uuid4().hex[:8]}"
    scratch_dbs.append(target)
    assert sqlmig.restore_backup(taken.file, seeded.root, "locked", into=target).into_new_database


def test_restore_into_an_existing_database_is_refused(seeded):
    taken = sqlmig.create_backup(seeded.root)
    existing = conninfo_to_dict(seeded.url)["dbname"]
    r = seeded.cli("restore", str(taken.file), "--into", existing)
    assert r.exit_code == 2 and "already exists" in r.stderr


def test_restore_without_sidecar_is_refused(seeded):
    taken = sqlmig.create_backup(seeded.root)
    taken.sidecar.unlink()
    r = seeded.cli("restore", str(taken.file), "--yes")
    assert r.exit_code == 3 and "sidecar" in r.stderr and "is missing" in r.stderr


# -- data-preserving rollback convention --------------------------------------------------------


def test_data_preserving_rollback_round_trips_the_dropped_column(seeded):
    seeded.add(2, "drop_accounts_phone", """\
CREATE SCHEMA IF NOT EXISTS sqlmig_backup;
CREATE TABLE sqlmig_backup.accounts_0002 AS SELECT id, phone FROM accounts;
ALTER TABLE accounts DROP COLUMN phone;
""", """\
ALTER TABLE accounts ADD COLUMN phone text;
UPDATE accounts a SET phone = b.phone FROM sqlmig_backup.accounts_0002 b WHERE b.id = a.id;
CREATE INDEX accounts_phone ON accounts (phone);
DROP TABLE sqlmig_backup.accounts_0002;
""")
    before = seeded.query("SELECT id, phone FROM accounts ORDER BY id")
    seeded.apply()
    assert seeded.scalar("SELECT count(*) FROM sqlmig_backup.accounts_0002") == 500
    seeded.rollback()
    assert seeded.query("SELECT id, phone FROM accounts ORDER BY id") == before
    assert not seeded.table_exists("sqlmig_backup.accounts_0002")


def test_a_path_entry_the_system_refuses_holds_no_tool(seeded):
    """Path.is_file() raises for ENAMETOOLONG instead of answering False; a PATH
    entry like that is skipped, as the shell skips it."""
    import os

    too_long = "/" + "a" * 300
    r = seeded.cli("backup", env={"PATH": f"{too_long}{os.pathsep}{os.environ['PATH']}"})
    assert r.exit_code == 0, r.output
    assert list((seeded.root / "backups" / "dev").glob("*.dump"))


def test_a_path_entry_sqlmig_may_not_search_holds_no_tool(seeded):
    """EACCES: a directory of PATH with mode 000.  Root ignores mode bits, so
    the search runs in a forked child that has given up root for `nobody`."""
    import os
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="sqlmig-path-"))  # /tmp: every user may search it
    base.chmod(0o755)
    (base / "open").mkdir()
    locked = base / "locked"
    locked.mkdir(mode=0o000)
    with Session(seeded.root) as s:
        config, major = s.config, backup.server_version_of(s.conn)[1]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            os.environ["PATH"] = str(locked)
            (base / "open" / "pg_dump").is_file()  # the same place, searchable: no error
            try:
                (locked / "pg_dump").is_file()
                reproduced = "no"
            except PermissionError:
                reproduced = "yes"
            try:
                dump, _ = backup.find_tools(config, major)
                outcome = f"found {dump.path}"
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                outcome = f"{type(exc).__name__}: {exc}"
            os.write(write, f"{reproduced}\n{outcome}".encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        reproduced, outcome = pipe.read().split("\n", 1)
    os.waitpid(pid, 0)
    locked.chmod(0o755)
    shutil.rmtree(base)
    assert reproduced == "yes"  # is_file() on the locked entry raises for this user
    assert outcome.startswith("found ") and outcome.endswith("/pg_dump"), outcome


# -- restoring in place the repository's own schema ---------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def schema_dump(url: str) -> str:
    """The oracle for "the same schema": pg_dump --schema-only's text, without
    its random \\restrict key, and with CHECK expressions unparenthesized:
    the server re-nests ((a AND b) AND c) as (a AND b AND c) when it parses
    its own deparsed text, so a dump and restore changes their parentheses."""
    import re
    import subprocess

    with psycopg.connect(url) as conn:
        major = conn.info.server_version // 10000
    with Session(REPO, database_url=url) as s:
        tool, _ = backup.find_tools(s.config, major)
    out = subprocess.run([str(tool.path), "--schema-only", f"--dbname={url}"], check=True,
                         capture_output=True, text=True).stdout
    return "\n".join(re.sub(r"[()]", "", line) if " CHECK (" in line else line
                     for line in out.splitlines()
                     if not line.startswith(("\\restrict", "\\unrestrict")))


def row_counts(url: str) -> dict[str, int]:
    """count(*) of every ordinary table (partitions included), sqlmig's audit log aside."""
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND c.relname <> 'sqlmig_audit' ORDER BY 1").fetchall()
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for (t,) in tables}


@pytest.fixture
def reference(tmp_path, db_url):
    """This repository's sql/ applied to a fresh database, with demo data."""
    import importlib.util
    import shutil

    root = tmp_path / "reference"
    shutil.copytree(REPO / "sql", root / "sql")
    (root / "config").mkdir()
    (root / "config" / "dev.yaml").write_text(f"database_url: '{db_url}'\n")
    sqlmig.apply(root)
    spec = importlib.util.spec_from_file_location("brainliest_seed", REPO / "demo" / "seed.py")
    seed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(seed)
    seed.seed(db_url, scale=0.005, seed=3, defects=False)
    return root, db_url


def test_restore_in_place_of_the_reference_schema_with_partitions(reference):
    from click.testing import CliRunner

    from sqlmig.cli.main import cli

    root, url = reference
    schema_before, rows_before = schema_dump(url), row_counts(url)
    assert any(t.startswith("public.performance_trends_") for t in rows_before)
    runner = CliRunner()
    r = runner.invoke(cli, ["backup", "--project", str(root)])
    assert r.exit_code == 0, r.output
    (dump,) = (root / "backups" / "dev").glob("*.dump")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM performance_trends")
        conn.execute("DELETE FROM access_audit")
        conn.execute("DROP TABLE auth_logs_default")
    r = runner.invoke(cli, ["restore", str(dump), "--yes", "--project", str(root)])
    assert r.exit_code == 0, r.output
    assert row_counts(url) == rows_before
    assert schema_dump(url) == schema_before


def test_a_failed_restore_in_place_changes_nothing_and_says_so(seeded):
    taken = sqlmig.create_backup(seeded.root)
    seeded.query("DELETE FROM accounts WHERE id > 100")
    seeded.query("CREATE VIEW early_accounts AS SELECT id FROM accounts")  # not in the backup
    schema_before, rows_before = schema_dump(seeded.url), row_counts(seeded.url)
    r = seeded.cli("restore", str(taken.file), "--yes")
    assert r.exit_code == 1
    assert r.stderr.count("error:") == 1 and "Traceback" not in r.stderr
    assert "cannot drop" in r.stderr and "early_accounts" in r.stderr
    assert "Nothing was changed" in r.stderr
    assert row_counts(seeded.url) == rows_before
    assert schema_dump(seeded.url) == schema_before


def test_a_new_projects_backups_are_ignored_by_git(seeded):
    import subprocess

    subprocess.run(["git", "init", "-q", str(seeded.root)], check=True)
    r = seeded.cli("backup")
    assert r.exit_code == 0, r.output
    untracked = subprocess.run(["git", "-C", str(seeded.root), "status", "--porcelain",
                                "--untracked-files=all"], capture_output=True, text=True,
                               check=True).stdout
    assert list((seeded.root / "backups" / "dev").glob("*.dump"))
    assert "backups/" not in untracked and "sql/" in untracked, untracked
