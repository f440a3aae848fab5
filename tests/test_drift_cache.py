"""`sqlmig drift` keeps its replay as a template on the scratch server.

The oracle for every cached result is a fresh replay (``cache=False``): a
hit, a template extended by one migration and a rebuilt one must report
exactly what it reports.  Where templates are is read from pg_database on
the scratch server (conftest's second server) and on the target's server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid

import psycopg
import pytest
from conftest import sqlmig_command

import sqlmig
from sqlmig.schema import drift
from sqlmig.schema import scratch as scratch_mod

BASE = """CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                          email text NOT NULL, role text NOT NULL DEFAULT 'guest');
"""
INDEX = "CREATE INDEX users_email_idx ON users (email);\n"


def cached(url: str, pattern: str = "sqlmig\\_cache\\_%") -> list[str]:
    """Databases on the server of ``url`` whose name matches, oldest first."""
    with psycopg.connect(url, autocommit=True) as conn:
        return [r[0] for r in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY oid",
            (pattern,)).fetchall()]


def building(url: str) -> list[str]:
    return cached(url, "sqlmig\\_cachebuild\\_%")


@pytest.fixture
def unique(project):
    """Two applied migrations whose key no other test shares (a comment)."""
    project.add(1, "users", f"-- {uuid.uuid4().hex}\n{BASE}", "DROP TABLE users;\n")
    project.add(2, "users_email_idx", INDEX, "DROP INDEX users_email_idx;\n")
    project.apply()
    return project


def detect(project, **kw) -> drift.DriftReport:
    return sqlmig.detect_drift(project.root, **kw)


def same(a: drift.DriftReport, b: drift.DriftReport) -> bool:
    return (a.applied, a.differences, a.order) == (b.applied, b.differences, b.order)


def newest_template(scratch_server: str) -> str:
    return cached(scratch_server)[-1]


def test_a_hit_reports_exactly_what_a_fresh_replay_reports(unique, scratch_server, pg_server):
    unique.query("ALTER TABLE users ADD COLUMN nickname text")
    unique.query("ALTER TABLE users ALTER COLUMN role SET DEFAULT 'admin'")
    unique.query("DROP INDEX users_email_idx")
    reader = f"reader_{uuid.uuid4().hex[:8]}"
    unique.query(f"CREATE ROLE {reader} NOLOGIN")
    unique.query(f"GRANT SELECT ON users TO {reader}")
    try:
        before = set(cached(scratch_server))
        own = set(cached(pg_server.url("postgres")))  # same-server tests keep theirs there
        fresh = detect(unique, cache=False)
        assert fresh.cache == "off" and set(cached(scratch_server)) == before
        built, hit = detect(unique), detect(unique)
        assert (built.cache, hit.cache) == ("built", "hit")
        assert fresh.drifted and len(fresh.differences) == 3
        assert same(built, fresh) and same(hit, fresh)
        # The other kind of snapshot was kept too: a hit, and what a fresh replay says.
        fresh_p = detect(unique, cache=False, privileges=True)
        hit_p = detect(unique, privileges=True)
        assert hit_p.cache == "hit" and same(hit_p, fresh_p)
        assert any(reader in d for d in fresh_p.differences)
        result = unique.cli("drift")
        assert result.exit_code == 3
        assert result.stdout.splitlines()[1:] == [f"  {d}" for d in fresh.differences]
        # Kept on the scratch server, never on the target's.
        assert len(set(cached(scratch_server)) - before) == 1
        assert set(cached(pg_server.url("postgres"))) == own and building(scratch_server) == []
    finally:
        unique.query(f"DROP OWNED BY {reader}")
        unique.query(f"DROP ROLE {reader}")


def test_an_edited_file_misses_and_shows_as_drift_like_a_fresh_replay(unique):
    assert detect(unique).drifted is False
    assert detect(unique).cache == "hit"
    # Edited after it was applied: the ledger's checksum is the old file's.
    unique.add(2, "users_email_idx", "CREATE INDEX users_email_idx ON users (role);\n",
               "DROP INDEX users_email_idx;\n")
    fresh = detect(unique, cache=False)
    report = detect(unique)
    assert report.cache == "built"
    assert fresh.drifted and same(report, fresh)
    assert any("users_email_idx" in d for d in report.differences)


def test_one_more_applied_migration_extends_the_cached_prefix(unique, scratch_server):
    assert detect(unique).cache == "built"
    unique.add(3, "profiles", "CREATE TABLE profiles (user_id bigint REFERENCES users (id),"
                              " bio text);\n", "DROP TABLE profiles;\n")
    unique.apply()
    unique.query("ALTER TABLE profiles ADD COLUMN by_hand int")
    extended = detect(unique)
    assert extended.cache == "extended"
    fresh = detect(unique, cache=False)
    assert fresh.differences == ["column profiles.by_hand was added (not in the migrations)"]
    assert same(extended, fresh)
    again = detect(unique)
    assert again.cache == "hit" and same(again, fresh)
    assert same(detect(unique, privileges=True), detect(unique, cache=False, privileges=True))
    assert building(scratch_server) == []


def test_a_tampered_or_damaged_cached_snapshot_is_not_trusted(unique, scratch_server):
    assert detect(unique).cache == "built"
    name = newest_template(scratch_server)
    unique.query("ALTER TABLE users ADD COLUMN nickname text")
    # An expectation edited to contain the hand-made column would hide it.
    url = scratch_mod.with_dbname(scratch_server, name)
    with psycopg.connect(url, autocommit=True) as conn:
        (text,) = conn.execute("SELECT snapshot FROM sqlmig.sqlmig_drift_cache "
                               "WHERE NOT privileges").fetchone()
        data = json.loads(text)
        data["objects"].append({"kind": "column", "name": "public.users.nickname",
                                "attributes": {"type": "text"}})
        conn.execute("UPDATE sqlmig.sqlmig_drift_cache SET snapshot = %s WHERE NOT privileges",
                     (json.dumps(data),))
    report = detect(unique)
    assert report.cache == "built"
    assert report.differences == ["column users.nickname was added (not in the migrations)"]
    # A template whose rows are gone (e.g. one renamed by hand) is not trusted either.
    name = newest_template(scratch_server)
    with psycopg.connect(scratch_mod.with_dbname(scratch_server, name), autocommit=True) as conn:
        conn.execute("DROP TABLE sqlmig.sqlmig_drift_cache")
    report = detect(unique)
    assert report.cache == "built" and same(report, detect(unique, cache=False))


def test_what_replays_and_snapshots_is_part_of_the_key(unique, monkeypatch):
    assert detect(unique).cache == "built"
    monkeypatch.setattr(drift, "_code_digest", lambda: "another sqlmig")
    assert detect(unique).cache == "built"
    monkeypatch.setattr(drift.snapshot_mod, "FORMAT", "sqlmig schema snapshot, format 99")
    assert detect(unique).cache == "built"
    assert detect(unique).cache == "hit"


def test_only_the_newest_templates_are_kept(project, scratch_server, monkeypatch):
    monkeypatch.setattr(scratch_mod, "CACHE_KEEP", 2)
    project.add(1, "t", f"-- {uuid.uuid4().hex}\nCREATE TABLE t (id int);\n", "DROP TABLE t;\n")
    project.apply()
    names = []
    for v in (2, 3, 4):
        project.add(v, f"t{v}", f"CREATE TABLE t{v} (id int);\n", f"DROP TABLE t{v};\n")
        project.apply()
        assert detect(project).cache in ("built", "extended")
        names.append(newest_template(scratch_server))
    assert cached(scratch_server) == names[-2:]
    assert detect(project).cache == "hit"


def test_two_concurrent_drifts_build_one_template(unique, scratch_server):
    """Two real processes on the same cold key: one builds (slowly), the other
    waits for it and reads it; neither sees a half-built template."""
    (unique.root / "config" / "dev.yaml").write_text(
        f"database_url: '{unique.url}'\nscratch: '{scratch_server}'\n")
    unique.add(3, "slow", f"-- {uuid.uuid4().hex}\nSELECT pg_sleep(1.5);\n"
                          "CREATE TABLE slow (id int);\n", "DROP TABLE slow;\n")
    unique.apply()
    unique.query("ALTER TABLE slow ADD COLUMN by_hand int")
    before = set(cached(scratch_server))
    cmd = [sqlmig_command(), "drift", "--json", "--project", str(unique.root)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [3, 3], outs
    results = [json.loads(out)["result"] for out, _ in outs]
    assert sorted(r["cache"] for r in results) == ["built", "hit"]
    assert results[0]["differences"] == results[1]["differences"] == [
        "column slow.by_hand was added (not in the migrations)"]
    assert len(set(cached(scratch_server)) - before) == 1 and building(scratch_server) == []


def kill_drift_while_building(project, scratch_server: str) -> None:
    """Start `sqlmig drift`, SIGKILL it once its template build has started
    (observed on the scratch server), and wait for it to die."""
    proc = subprocess.Popen([sqlmig_command(), "drift", "--project", str(project.root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not building(scratch_server) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert building(scratch_server), "the build never started"
        time.sleep(0.5)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def test_a_build_killed_half_way_is_never_used_and_is_cleaned_up(unique, scratch_server):
    (unique.root / "config" / "dev.yaml").write_text(
        f"database_url: '{unique.url}'\nscratch: '{scratch_server}'\n")
    fast = f"-- {uuid.uuid4().hex}\nCREATE TABLE slow (id int);\n"
    unique.add(3, "slow", fast, "DROP TABLE slow;\n")
    unique.apply()
    # Edited after it was applied: the replay runs the file as it is now, slowly.
    unique.add(3, "slow", fast + "SELECT pg_sleep(20);\n", "DROP TABLE slow;\n")
    before = set(cached(scratch_server))
    kill_drift_while_building(unique, scratch_server)
    assert set(cached(scratch_server)) == before  # nothing half-built was published
    assert building(scratch_server)  # left behind by the killed run
    unique.add(3, "slow", fast, "DROP TABLE slow;\n")
    report = detect(unique)
    assert report.cache == "built" and not report.drifted
    assert same(report, detect(unique, cache=False))
    # The next run dropped the dead build: nobody held its lock.
    assert building(scratch_server) == []
    assert len(set(cached(scratch_server)) - before) == 1


def test_replays_with_server_wide_statements_are_not_cached(project, scratch_server):
    role = f"made_{uuid.uuid4().hex[:8]}"
    project.add(1, "role", f"CREATE ROLE {role} NOLOGIN;\nCREATE TABLE t (id int);\n",
                f"DROP TABLE t;\nDROP ROLE {role};\n")
    try:
        project.apply()
        before = cached(scratch_server)
        assert detect(project).cache == "off"
        assert cached(scratch_server) == before
    finally:
        project.query(f"DROP OWNED BY {role}")
        project.query(f"DROP ROLE IF EXISTS {role}")


def test_the_targets_own_server_holds_templates_only_with_same_server(project, pg_server):
    project.add(1, "t", f"-- {uuid.uuid4().hex}\nCREATE TABLE t (id int);\n", "DROP TABLE t;\n")
    project.apply()
    own = pg_server.url("postgres")
    before = cached(own)
    # A scratch URL that turns out to be the target's own server: replayed there, not kept.
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nscratch: '{own}'\n")
    report = detect(project)
    assert report.cache == "off" and not report.drifted and cached(own) == before
    (project.root / "config" / "dev.yaml").write_text(
        f"database_url: '{project.url}'\nscratch: same-server\n")
    try:
        assert detect(project).cache == "built"
        assert detect(project).cache == "hit"
        assert len(set(cached(own)) - set(before)) == 1
    finally:
        with psycopg.connect(own, autocommit=True) as conn:
            for name in set(cached(own)) - set(before):
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_the_long_projects_shapes_are_kept_exactly_and_hit_like_a_fresh_replay(
        project, scratch_server):
    """Tables with foreign keys, indexes, views, plpgsql and SQL functions,
    ALTER TABLEs and data updates (benchmarks/gen_long_project.py's shapes):
    the kept JSON reads back as the very snapshot, so a hit replays nothing
    and snapshots nothing on the scratch server."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "gen_long_project.py"
    spec = importlib.util.spec_from_file_location("gen_long_project", path)
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    tag = uuid.uuid4().hex
    for v in range(1, 25):
        slug, up, down = gen.migration(v)
        project.add(v, slug, (f"-- {tag}\n" if v == 1 else "") + up, down, manifest=False)
    project.write_manifest()
    project.apply()
    project.query("CREATE OR REPLACE VIEW v2 AS SELECT id, lower(name) AS name, created_at "
                  "FROM t1 WHERE created_at > '2000-01-01'")
    project.query("ALTER TABLE t18 DROP CONSTRAINT t18_c22_positive")
    fresh = detect(project, cache=False)
    built = detect(project)
    assert built.cache == "built" and len(fresh.differences) == 2 and same(built, fresh)
    with psycopg.connect(scratch_mod.with_dbname(scratch_server, newest_template(scratch_server)),
                         autocommit=True) as conn:
        rows = conn.execute("SELECT privileges, snapshot IS NOT NULL FROM "
                            "sqlmig.sqlmig_drift_cache ORDER BY 1").fetchall()
    assert rows == [(False, True), (True, True)]
    hit = detect(project)
    assert hit.cache == "hit" and same(hit, fresh)
    assert same(detect(project, privileges=True), detect(project, cache=False, privileges=True))


def test_a_snapshot_not_kept_is_read_from_the_template_itself(unique, monkeypatch):
    """When a snapshot would not read back exactly from JSON it is not kept,
    and a hit snapshots the template (read-only) instead of replaying."""
    monkeypatch.setattr(drift, "_row", lambda key, privileges, snap: (
        privileges, key, None, drift._row_digest(key, privileges, None)))
    unique.query("ALTER TABLE users ADD COLUMN nickname text")
    assert detect(unique).cache == "built"
    hit = detect(unique)
    assert hit.cache == "hit" and same(hit, detect(unique, cache=False))
    assert hit.differences == ["column users.nickname was added (not in the migrations)"]


def test_a_replay_from_a_checkpoint_is_keyed_by_the_checkpoint_file(unique):
    unique.add(3, "later", "CREATE TABLE later (id int PRIMARY KEY);\n", "DROP TABLE later;\n")
    unique.apply()
    assert unique.cli("checkpoint", "--to", "2").exit_code == 0
    built = detect(unique)
    assert built.cache == "built" and not built.drifted
    assert detect(unique).cache == "hit"
    # The checkpoint edited: what it builds is expected now, as a fresh replay says.
    path = next((unique.root / "sql" / "checkpoints").glob("0002_checkpoint.sql"))
    path.write_text(path.read_text() + "\nCREATE TABLE from_checkpoint (id int);\n")
    unique.write_manifest()
    fresh = detect(unique, cache=False)
    assert fresh.differences == ["table from_checkpoint is missing"]
    report = detect(unique)
    assert report.cache == "built" and same(report, fresh)

def test_a_hit_for_another_target_reports_that_targets_own_drift(unique, pg_server):
    with pg_server.fresh_database() as url2:
        (unique.root / "config" / "other.yaml").write_text(f"database_url: '{url2}'\n")
        sqlmig.apply(unique.root, env="other")
        unique.query("ALTER TABLE users ADD COLUMN a_only text")
        with psycopg.connect(url2, autocommit=True) as c:
            c.execute("ALTER TABLE users ADD COLUMN b_only text")
        a = sqlmig.detect_drift(unique.root, "dev")
        b = sqlmig.detect_drift(unique.root, "other")
        fresh_b = sqlmig.detect_drift(unique.root, "other", cache=False)
        assert (a.cache, b.cache) == ("built", "hit")
        assert a.differences == ["column users.a_only was added (not in the migrations)"]
        assert b.differences == ["column users.b_only was added (not in the migrations)"]
        assert same(b, fresh_b)


def test_eviction_leaves_a_template_in_use(project, scratch_server, monkeypatch):
    project.add(1, "t", f"-- {uuid.uuid4().hex}\nCREATE TABLE t (id int);\n", "DROP TABLE t;\n")
    project.apply()
    assert detect(project).cache == "built"
    older = newest_template(scratch_server)
    digest8 = older[len(scratch_mod.CACHE_PREFIX):][:8]
    holder = psycopg.connect(scratch_mod.with_dbname(scratch_server, "postgres"), autocommit=True)
    holder.execute("SELECT pg_advisory_lock_shared(%s, %s)",
                   (scratch_mod._CACHE_LOCK, scratch_mod._lock_id(digest8)))
    monkeypatch.setattr(scratch_mod, "CACHE_KEEP", 1)
    try:
        project.add(2, "t2", "CREATE TABLE t2 (id int);\n", "DROP TABLE t2;\n")
        project.apply()
        assert detect(project).cache in ("built", "extended")
        assert older in cached(scratch_server), "evicted while in use"
    finally:
        holder.close()
    project.add(3, "t3", "CREATE TABLE t3 (id int);\n", "DROP TABLE t3;\n")
    project.apply()
    assert detect(project).cache in ("built", "extended")
    assert older not in cached(scratch_server)


def test_a_killed_build_of_the_same_key_is_dropped_by_the_next_build(unique, scratch_server):
    (unique.root / "config" / "dev.yaml").write_text(
        f"database_url: '{unique.url}'\nscratch: '{scratch_server}'\n")
    unique.add(3, "slow", f"-- {uuid.uuid4().hex}\nCREATE TABLE slow (id int);\nSELECT pg_sleep(4);\n",
               "DROP TABLE slow;\n")
    unique.apply()
    before = set(cached(scratch_server))
    kill_drift_while_building(unique, scratch_server)
    dead = building(scratch_server)
    assert dead and set(cached(scratch_server)) == before
    report = detect(unique)  # the same key as the killed run
    assert report.cache == "built" and same(report, detect(unique, cache=False))
    assert building(scratch_server) == [], building(scratch_server)
    assert len(set(cached(scratch_server)) - before) == 1
