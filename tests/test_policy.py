"""Environment policies: maintenance windows, confirmation, emergency override,
clean git, validated keys, lock_timeout retries.  Real server; frozen clock
through sqlmig.clock, never a patched driver."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

import sqlmig
from sqlmig.core import clock
from sqlmig.governance import window

UTC = timezone.utc
# 2026-03-01 is a Sunday.
SUNDAY_0230 = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
SUNDAY_0500 = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)


def env_file(project, name: str, body: str) -> None:
    (project.root / "config" / f"{name}.yaml").write_text(
        f"database_url: '{project.url}'\n{body}")


def audit_rows(project, outcome=None):
    sql = "SELECT action, outcome, versions::bigint[], emergency, reason, detail FROM sqlmig.sqlmig_audit"
    if outcome:
        sql += f" WHERE outcome = '{outcome}'"
    return project.query(sql + " ORDER BY id")


# -- windows (pure) ------------------------------------------------------------------


@pytest.mark.parametrize("spec, at, inside", [
    ("Sun 02:00-04:00 UTC", datetime(2026, 3, 1, 2, 0, tzinfo=UTC), True),    # opening minute
    ("Sun 02:00-04:00 UTC", datetime(2026, 3, 1, 3, 59, 59, tzinfo=UTC), True),
    ("Sun 02:00-04:00 UTC", datetime(2026, 3, 1, 4, 0, tzinfo=UTC), False),   # closing minute
    ("Sun 02:00-04:00 UTC", datetime(2026, 3, 1, 1, 59, tzinfo=UTC), False),
    ("Sun 02:00-04:00 UTC", datetime(2026, 3, 2, 2, 30, tzinfo=UTC), False),  # Monday
    # 02:30 in Berlin (CET, UTC+1) is 01:30 UTC.
    ("Sun 02:00-04:00 Europe/Berlin", datetime(2026, 3, 1, 1, 30, tzinfo=UTC), True),
    ("Sun 02:00-04:00 Europe/Berlin", datetime(2026, 3, 1, 3, 30, tzinfo=UTC), False),
    # Crossing midnight: Saturday 23:00 to Sunday 01:00 New York (EST, UTC-5).
    ("Sat 23:00-01:00 America/New_York", datetime(2026, 3, 1, 5, 30, tzinfo=UTC), True),
    ("Sat 23:00-01:00 America/New_York", datetime(2026, 3, 1, 6, 0, tzinfo=UTC), False),
    ("Mon-Fri 22:00-02:00 UTC", datetime(2026, 3, 7, 1, 0, tzinfo=UTC), True),  # Fri night
    ("Mon-Fri 22:00-02:00 UTC", datetime(2026, 3, 8, 1, 0, tzinfo=UTC), False),  # Sat night
    ("daily 12:00-12:30 Asia/Kolkata", datetime(2026, 6, 10, 6, 45, tzinfo=UTC), True),
])
def test_window_membership_is_half_open_in_the_windows_zone(spec, at, inside):
    assert window.parse(spec).contains(at) is inside


def test_window_on_the_night_clocks_spring_forward_is_one_hour_long():
    # Europe/Berlin skips 02:00-03:00 on 2026-03-29: the window opens when
    # 03:00 CEST begins (01:00 UTC) and closes at 04:00 CEST (02:00 UTC).
    w = window.parse("Sun 02:00-04:00 Europe/Berlin")
    assert not w.contains(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))
    assert w.contains(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))
    assert not w.contains(datetime(2026, 3, 29, 2, 0, tzinfo=UTC))
    # In autumn (2026-10-25, 02:00-03:00 happens twice) it lasts three hours.
    assert w.contains(datetime(2026, 10, 25, 0, 0, tzinfo=UTC))
    assert w.contains(datetime(2026, 10, 25, 2, 59, tzinfo=UTC))
    assert not w.contains(datetime(2026, 10, 25, 3, 0, tzinfo=UTC))


def test_next_opening_is_the_earliest_of_several_windows():
    ws = window.parse_many(["Sun 02:00-04:00 UTC", "Wed 20:00-21:00 Europe/Berlin"])
    opening, w = window.next_opening(ws, SUNDAY_0500)
    assert w.spec == "Wed 20:00-21:00 Europe/Berlin"
    assert opening == datetime(2026, 3, 4, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize("value, fragment", [
    ("Sun 02:00-04:00", "IANA time zone"),
    ("Sun 02:00-04:00 Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
    ("Sonntag 02:00-04:00 UTC", "unknown day 'sonntag'"),
    ("Sun 02:00-02:00 UTC", "the window is empty"),
    ("Sun 25:00-26:00 UTC", "bad time '25:00'"),
])
def test_bad_maintenance_window_is_a_config_error_naming_file_and_key(project, value, fragment):
    env_file(project, "prod", f"maintenance_window: '{value}'\n")
    r = project.cli("status", "--env", "prod")
    assert r.exit_code == 2
    assert "prod.yaml: bad value for `maintenance_window`" in r.stderr
    assert fragment in r.stderr


@pytest.mark.parametrize("key, value, expected", [
    ("approval", "maybe", "off or required"),
    ("backup", "yes", "off or required"),
    ("auto_apply", "'no'", "true or false"),
    ("approval_ttl", "-5s", "is negative"),
    ("approval_ttl", "0", "above zero"),
    ("approval_ttl", "2 weeks", "expected a duration with a unit"),
    ("approval_ttl", "7200", "has no unit: write 7200s"),
    ("lock_timeout", "5", "has no unit: write 5s"),
    ("lock_wait", "60", "has no unit: write 60s"),
    ("lock_retry_delay", "1", "has no unit: write 1s"),
    ("statement_timeout", "5m", "did you mean 5min?"),
    ("lock_retries", "-1", "0 or more"),
    ("keep_backups", "0", "1 or more"),
    ("restore", "sometimes", "allowed or emergency or refused"),
    ("require_clean_git", "1", "true or false"),
])
def test_bad_policy_values_are_config_errors(project, key, value, expected):
    env_file(project, "prod", f"{key}: {value}\n")
    r = project.cli("apply", "--env", "prod")
    assert r.exit_code == 2
    assert f"prod.yaml: bad value for `{key}`" in r.stderr and expected in r.stderr
    assert project.ledger_versions() == []


def test_misspelled_policy_key_is_refused(project):
    env_file(project, "prod", "aproval: required\n")
    r = project.cli("apply", "--env", "prod")
    assert r.exit_code == 2
    assert "unknown key `aproval`. Did you mean `approval`?" in r.stderr


# -- maintenance window on apply -------------------------------------------------------


def with_one_migration(project, env: str, body: str):
    env_file(project, env, body)
    project.add(1, "t", "CREATE TABLE t (id int);", "DROP TABLE t;")
    return project


def server_now(project) -> datetime:
    return project.scalar("SELECT clock_timestamp()").astimezone(UTC)


@pytest.fixture
def windowed(project):
    """`prod` with a window that is closed now by the server's clock: it opens
    in three days, 02:00-04:00 UTC."""
    project.opening = (server_now(project) + timedelta(days=3)).replace(
        hour=2, minute=0, second=0, microsecond=0)
    project.window = f"{project.opening:%a} 02:00-04:00 UTC"
    env_file(project, "dev", "")
    return with_one_migration(project, "prod", f"maintenance_window: ['{project.window}']\n")


def test_apply_outside_the_window_is_refused_with_the_next_opening(windowed):
    before = server_now(windowed)
    # The client's clock says it is inside the window: the server's clock decides.
    with clock.frozen(windowed.opening + timedelta(minutes=30)):
        r = windowed.cli("apply", "--env", "prod")
    assert r.exit_code == 3
    assert f"only inside its maintenance window ({windowed.window})" in r.stderr
    assert f"it is {before:%a %Y-%m-%d %H:}" in r.stderr  # the server's time
    assert f"next window opens {windowed.opening:%a %Y-%m-%d %H:%M} UTC" in r.stderr
    assert "--emergency --reason" in r.stderr
    assert not windowed.table_exists("t") and windowed.ledger_versions() == []
    [row] = audit_rows(windowed)
    assert row[:5] == ("apply", "refused", [1], False, None)
    assert "maintenance window" in row[5]


def test_apply_inside_a_window_open_by_the_servers_clock(project):
    now = server_now(project)
    spec = f"daily {now - timedelta(hours=2):%H:%M}-{now + timedelta(hours=2):%H:%M} UTC"
    with_one_migration(project, "prod", f"maintenance_window: ['{spec}']\n")
    # A client clock far outside the window does not close it either.
    with clock.frozen(now + timedelta(hours=12)):
        r = project.cli("apply", "--env", "prod")
    assert r.exit_code == 0, r.stderr
    assert project.ledger_versions() == [1]


def test_rollback_outside_the_window_is_refused_too(windowed):
    assert windowed.cli("apply", "--env", "dev").exit_code == 0
    r = windowed.cli("rollback", "--env", "prod")
    assert r.exit_code == 3 and "maintenance window" in r.stderr
    assert windowed.ledger_versions() == [1] and windowed.table_exists("t")


def test_nothing_pending_is_not_refused_outside_the_window(windowed):
    assert windowed.cli("apply", "--env", "dev").exit_code == 0
    r = windowed.cli("apply", "--env", "prod")
    assert r.exit_code == 0 and "nothing to apply" in r.stdout


def test_emergency_without_reason_is_refused_and_audited(windowed):
    r = windowed.cli("apply", "--env", "prod", "--emergency")
    assert r.exit_code == 3 and "--emergency needs --reason" in r.stderr
    assert windowed.ledger_versions() == []
    assert [row[:4] for row in audit_rows(windowed)] == [("apply", "refused", [1], True)]


def test_emergency_with_reason_runs_outside_the_window_loudly_and_audited(windowed):
    before = server_now(windowed)
    r = windowed.cli("apply", "--env", "prod", "--emergency", "--reason", "incident 4711: hotfix")
    assert r.exit_code == 0, r.stderr
    assert "EMERGENCY OVERRIDE" in r.stderr and "incident 4711" in r.stderr
    assert windowed.ledger_versions() == [1]
    rows = windowed.query(
        "SELECT action, outcome, emergency, reason, at BETWEEN %s AND clock_timestamp(),"
        " db_user = session_user FROM sqlmig.sqlmig_audit ORDER BY id", (before,))
    assert rows == [
        ("override", "ok", True, "incident 4711: hotfix", True, True),
        # The first governed run records which environment this database is
        # (the server's own row, written by a trigger on the binding).
        ("bind", "ok", False, None, True, True),
        ("apply", "ok", True, "incident 4711: hotfix", True, True),
    ]


# -- confirmation -------------------------------------------------------------------------


@pytest.fixture
def manual(project):
    return with_one_migration(project, "staging", "auto_apply: false\n")


def test_non_interactive_apply_without_yes_is_refused(manual):
    r = manual.cli("apply", "--env", "staging")  # no input: end of file
    assert r.exit_code == 3
    assert "pass --yes in non-interactive runs" in r.stderr
    assert "not confirmed" in r.stderr
    assert manual.ledger_versions() == []


def test_prompt_shows_the_plan_and_no_refuses(manual):
    r = manual.cli("apply", "--env", "staging", input="n\n")
    assert r.exit_code == 3
    assert "1 migration to apply" in r.stderr and "migrations/0001_t.sql" in r.stderr
    assert manual.ledger_versions() == []


def test_prompt_yes_applies(manual):
    r = manual.cli("apply", "--env", "staging", input="y\n")
    assert r.exit_code == 0, r.stderr
    assert manual.ledger_versions() == [1]


def test_yes_flag_applies_without_prompt(manual):
    r = manual.cli("apply", "--env", "staging", "--yes")
    assert r.exit_code == 0 and "Apply these" not in r.stderr
    assert manual.ledger_versions() == [1]


def test_rollback_asks_too(manual):
    manual.cli("apply", "--env", "staging", "--yes")
    r = manual.cli("rollback", "--env", "staging", input="n\n")
    assert r.exit_code == 3 and manual.ledger_versions() == [1]
    r = manual.cli("rollback", "--env", "staging", input="y\n")
    assert r.exit_code == 0 and manual.ledger_versions() == []


def test_library_needs_yes_or_confirm_callback(manual):
    with pytest.raises(sqlmig.PolicyRefusal) as info:
        sqlmig.apply(manual.root, "staging")
    assert info.value.policy == "confirmation" and info.value.exit_code == 3
    seen = []
    with pytest.raises(sqlmig.PolicyRefusal):
        sqlmig.apply(manual.root, "staging", confirm=lambda p: seen.append(p) or False)
    assert [s.version for s in seen[-1].steps] == [1]
    assert sqlmig.apply(manual.root, "staging", confirm=lambda p: True).to_version == 1


def test_deploy_script_meets_the_same_refusal_as_the_cli(windowed):
    script = (
        "import sys, sqlmig\n"
        "try:\n"
        f"    sqlmig.apply({str(windowed.root)!r}, 'prod')\n"
        "except sqlmig.PolicyRefusal as e:\n"
        "    print(e.policy); sys.exit(e.exit_code)\n"
    )
    # The real clock: a run at a random moment is outside "Sun 02:00-04:00 UTC"
    # unless it happens to be Sunday night, so pick a window that is never open now.
    now = datetime.now(UTC)
    closed = (now + timedelta(days=3)).strftime("%a")
    env_file(windowed, "prod", f"maintenance_window: '{closed} 00:00-00:01 UTC'\n")
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3 and r.stdout.strip() == "maintenance_window"
    cli = windowed.run("apply", "--env", "prod")
    assert cli.returncode == 3 and "maintenance window" in cli.stderr
    assert windowed.ledger_versions() == []


# -- clean git -------------------------------------------------------------------------------


def _git(root, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=root, check=True, capture_output=True)


def test_require_clean_git_refuses_uncommitted_sql_then_allows_committed(project):
    env_file(project, "prod", "require_clean_git: true\n")
    project.add(1, "t", "CREATE TABLE t (id int);")
    r = project.cli("apply", "--env", "prod")
    assert r.exit_code == 3 and "not in a git repository" in r.stderr
    _git(project.root, "init", "-q")
    _git(project.root, "add", "config")
    _git(project.root, "commit", "-qm", "config")
    r = project.cli("apply", "--env", "prod")
    assert r.exit_code == 3 and "sql/ has uncommitted changes" in r.stderr
    assert "sql/migrations/0001_t.sql" in r.stderr
    assert project.ledger_versions() == []
    _git(project.root, "add", "sql")
    _git(project.root, "commit", "-qm", "sql")
    r = project.cli("apply", "--env", "prod")
    assert r.exit_code == 0 and project.ledger_versions() == [1]


# -- lock_timeout retries -----------------------------------------------------------------


def _hold_lock(url: str, table: str, release_after: float | None):
    """A second real connection holding ACCESS EXCLUSIVE on ``table``."""
    conn = psycopg.connect(url)
    conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    if release_after is not None:
        threading.Timer(release_after, conn.rollback).start()
    return conn


def test_lock_timeout_retries_then_refuses_with_exit_3(project):
    env_file(project, "prod", "lock_timeout: 100ms\nlock_retries: 2\nlock_retry_delay: 50ms\n")
    project.query("CREATE TABLE busy (id int)")
    project.add(1, "alter_busy", "ALTER TABLE busy ADD COLUMN note text;")
    holder = _hold_lock(project.url, "busy", None)
    try:
        events = []
        with pytest.raises(sqlmig.MigrationLockTimeout) as info:
            sqlmig.apply(project.root, "prod", progress=events.append)
        err = info.value
        assert err.exit_code == 3 and err.sqlstate == "55P03"
        assert "in 3 attempt(s) (lock_retries: 2)" in err.message
        assert [e.kind for e in events].count("retry") == 2
        r = project.cli("apply", "--env", "prod")
        assert r.exit_code == 3 and "lock timeout" in r.stderr
    finally:
        holder.close()
    assert project.ledger_versions() == []
    assert project.scalar("SELECT count(*) FROM information_schema.columns"
                          " WHERE table_name = 'busy' AND column_name = 'note'") == 0


def test_lock_released_during_retries_lets_the_migration_through(project):
    env_file(project, "prod", "lock_timeout: 100ms\nlock_retries: 6\nlock_retry_delay: 100ms\n")
    project.query("CREATE TABLE busy (id int)")
    project.add(1, "alter_busy", "ALTER TABLE busy ADD COLUMN note text;")
    holder = _hold_lock(project.url, "busy", release_after=0.3)
    try:
        started = time.monotonic()
        result = sqlmig.apply(project.root, "prod")
        assert time.monotonic() - started >= 0.25
    finally:
        holder.close()
    assert [m.version for m in result.applied] == [1]
    assert project.scalar("SELECT count(*) FROM information_schema.columns"
                          " WHERE table_name = 'busy' AND column_name = 'note'") == 1


def test_other_errors_are_not_retried(project):
    env_file(project, "prod", "lock_retries: 5\nlock_retry_delay: 5s\n")
    project.add(1, "bad", "SELECT 1/0;")
    started = time.monotonic()
    with pytest.raises(sqlmig.MigrationFailed) as info:
        sqlmig.apply(project.root, "prod")
    assert time.monotonic() - started < 4
    assert not isinstance(info.value, sqlmig.MigrationLockTimeout) and info.value.exit_code == 1


def test_shipped_configs_are_valid_and_production_is_strict():
    from pathlib import Path

    import sqlmig.features  # noqa: F401  (the features' keys)
    from sqlmig.core import settings as config
    from sqlmig.backup.settings import BackupSettings
    from sqlmig.governance.settings import PolicySettings

    root = Path(__file__).resolve().parents[1] / "config"
    env = {"DATABASE_URL": "postgresql://x@h/db", "STAGING_DATABASE_URL": "postgresql://x@h/s",
           "PRODUCTION_DATABASE_URL": "postgresql://x@h/p"}
    dev_config = config.load(root, "dev", environ={})
    dev = PolicySettings.of(dev_config)
    assert dev_config.database_url == "embedded" and dev.auto_apply and dev_config.verbose
    staging = PolicySettings.of(config.load(root, "staging", environ=env))
    assert staging.backup == "required" and not staging.auto_apply and staging.approval == "off"
    prod_config = config.load(root, "production", environ=env)
    prod = PolicySettings.of(prod_config)
    assert prod.approval == "required" and prod.approval_ttl.seconds == 7200
    assert prod.backup == "required" and prod.require_clean_git and not prod.auto_apply
    assert [str(w) for w in prod.maintenance_window] == ["Sun 02:00-04:00 UTC"]
    assert prod_config.lock_timeout and prod_config.lock_retries >= 1
    assert BackupSettings.of(prod_config).restore == "emergency"


@pytest.mark.parametrize("env", ["dev", "staging", "production"])
def test_a_recorded_policy_reads_back_as_the_same_settings(env):
    """The environment binding stores the policy keys as the YAML would write them
    and rebuilds them from there: every shipped environment round-trips."""
    from pathlib import Path

    from sqlmig.core import settings

    repo = Path(__file__).resolve().parent.parent
    cfg = sqlmig.Project(repo).config(env, database_url="postgresql://nobody@localhost/x")
    doc = settings.policy_document(cfg)
    assert doc == settings.policy_document(settings.with_policy(cfg, doc))
    bare = settings.with_policy(sqlmig.Project(repo).config(
        "dev", database_url="postgresql://nobody@localhost/x"), doc)
    assert settings.policy_document(bare) == doc
