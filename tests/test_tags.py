"""Release tags: `sqlmig tag NAME [--at V]` and --to-tag on plan, apply and rollback."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def three(project):
    for v in (1, 2, 3):
        project.add(v, f"t{v}", f"CREATE TABLE t{v} (id int);\n", f"DROP TABLE t{v};\n")
    project.apply(to=2)
    return project


def tags(project):
    return project.query("SELECT name, version, tagged_by FROM sqlmig.sqlmig_tags ORDER BY name")


@pytest.mark.parametrize("bad", ["1.4", "v1.4.0.1", "01.2.3", "1.2.3-", "release-1", "v1.2.3+",
                                 "1.2.3\n"])
def test_a_tag_must_be_a_semantic_version(three, bad):
    result = three.cli("tag", bad)
    assert result.exit_code == 2, result.output
    assert "is not a semantic version" in result.output
    assert "Traceback" not in result.output
    assert three.scalar("SELECT to_regclass('sqlmig.sqlmig_tags')") is None or tags(three) == []


@pytest.mark.parametrize("good", ["v1.4.0", "1.4.0", "2.0.0-rc.1", "1.0.0+build.7"])
def test_semantic_versions_are_tagged_at_the_current_version(three, good):
    result = three.cli("tag", good)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"tagged {good} at version 2 (0002_t2)"
    assert [(n, v) for n, v, _ in tags(three)] == [(good, 2)]


def test_a_duplicate_tag_is_refused(three):
    assert three.cli("tag", "v1.0.0", "--at", "1").exit_code == 0
    result = three.cli("tag", "v1.0.0")
    assert result.exit_code == 2
    assert "tag v1.0.0 already exists" in result.output
    assert [(n, v) for n, v, _ in tags(three)] == [("v1.0.0", 1)]


def test_the_server_refuses_a_bad_or_duplicate_tag_from_any_caller(three):
    import psycopg

    assert three.cli("tag", "v1.0.0").exit_code == 0
    with psycopg.connect(three.url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("SELECT sqlmig.sqlmig_tag('v1.0.0', 1, NULL)")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("SELECT sqlmig.sqlmig_tag('nope', 1, NULL)")
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute("SELECT sqlmig.sqlmig_tag('v9.0.0', 3, NULL)")


def test_at_must_be_applied(three):
    result = three.cli("tag", "v2.0.0", "--at", "3")
    assert result.exit_code == 2
    assert "version 3 is not applied" in result.output


def test_status_and_history_show_tags(three):
    assert three.cli("tag", "v1.0.0", "--at", "1").exit_code == 0
    assert three.cli("tag", "v1.1.0").exit_code == 0
    status = three.cli("status")
    assert "tags: v1.0.0 = 1, v1.1.0 = 2" in status.stdout
    data = json.loads(three.cli("status", "--json").stdout)["result"]
    assert [(t["name"], t["version"]) for t in data["tags"]] == [("v1.0.0", 1), ("v1.1.0", 2)]
    history = three.cli("history").stdout
    assert "tagged v1.1.0" in history and "tagged v1.0.0" in history
    audit = three.query("SELECT action, versions::bigint[] FROM sqlmig.sqlmig_audit "
                        "WHERE action = 'tag' ORDER BY id")
    assert audit == [("tag", [1]), ("tag", [2])]


def test_rollback_to_tag(three):
    assert three.cli("tag", "v1.0.0", "--at", "1").exit_code == 0
    three.apply()  # at 3: two steps above the tag
    result = three.cli("rollback", "--to-tag", "v1.0.0")
    assert result.exit_code == 0, result.output
    assert three.ledger_versions() == [1]
    assert not three.table_exists("t3") and not three.table_exists("t2")
    assert three.table_exists("t1")


def test_plan_and_apply_to_tag(three):
    assert three.cli("tag", "v1.0.0", "--at", "1").exit_code == 0
    assert three.cli("rollback", "--to", "0").exit_code == 0
    plan = json.loads(three.cli("plan", "--to-tag", "v1.0.0", "--json").stdout)["result"]
    assert [s["version"] for s in plan["steps"]] == [1]
    assert three.cli("apply", "--to-tag", "v1.0.0").exit_code == 0
    assert three.ledger_versions() == [1]


def test_unknown_tag_and_both_to_options_are_usage_errors(three):
    unknown = three.cli("plan", "--to-tag", "v9.9.9")
    assert unknown.exit_code == 2 and "no such tag" in unknown.output
    both = three.cli("apply", "--to", "2", "--to-tag", "v9.9.9")
    assert both.exit_code == 2 and "not both" in both.output
    assert three.ledger_versions() == [1, 2]
