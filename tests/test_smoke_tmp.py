def test_apply_and_rollback(project):
    project.add(1, "create_users", "CREATE TABLE users (id bigint PRIMARY KEY);", "DROP TABLE users;")
    result = project.apply()
    assert [m.version for m in result.applied] == [1]
    assert project.table_exists("users")
    project.rollback()
    assert not project.table_exists("users")

def test_cli(project):
    project.add(1, "a", "SELECT 1;", "SELECT 1;")
    r = project.cli("apply")
    assert r.exit_code == 0, r.output
    assert "[1/1] 0001_a ... ok" in r.stdout
