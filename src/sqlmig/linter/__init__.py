"""``sqlmig lint``: unsafe and irreversible migrations, found before they run.

    import sqlmig
    report = sqlmig.lint()                      # every migration, statically
    report = sqlmig.lint(env="prod")            # pending ones, with prod's table sizes
    for f in report.findings:
        print(f.path, f.line, f.rule, f.severity, f.message)

:func:`findings_for` lints a given list of migrations as one run (for
``sqlmig plan`` and the approval workflow).  The rules are in
:mod:`sqlmig.linter.rules`; docs/lint.md explains each and the design.
"""

from __future__ import annotations

import dataclasses

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..core.files import MIGRATIONS_DIR, REPEATABLE_DIR, ROLLBACKS_DIR, Migration, read_sql_file
from .report import Finding, LintReport, TableStats
from .rules import RULES, Rule
from .settings import LintSettings

if TYPE_CHECKING:
    from ..core.ledger import LedgerRow
    from ..core.project import Project
    from ..core.repeatable import Repeatable
    from .catalog import Catalog

__all__ = [
    "Finding", "LintFinding", "LintReport", "LintSettings", "RULES", "Rule", "TableStats",
    "explain", "findings_for", "lint", "statement_findings",
]

LintFinding = Finding  # the name sqlmig exports at top level


def lint(
    project: Project | Path | str | None = None,
    env: str | None = None,
    database_url: str | None = None,
    *,
    paths: Iterable[Path | str] | None = None,
    settings: LintSettings | None = None,
    changed: bool | str = False,
) -> LintReport:
    """Lint a project's migrations (or only ``paths``, or with ``changed`` only
    the files changed against a git base: ``True`` for the merge base with
    origin/main, main or master, or a branch, tag or commit).

    Without ``env``/``database_url`` every migration is checked on its own
    (a table is "new" only in the migration that creates it).  With them, the
    target is read in a READ ONLY transaction: only pending migrations are
    linted, as one run, with real table sizes, and applied files are checked
    against the ledger's checksums.  Raises ConfigError for a bad project,
    config or path; never changes the database.
    """
    from ..core.project import Project

    since = None
    if changed is not False:
        if paths is not None:
            raise ConfigError("pass either files to lint or --changed, not both.")
        from .changes import changed_files

        project = project if isinstance(project, Project) else Project.find(project)
        found = changed_files(project.root, project.sql_dir,
                              changed if isinstance(changed, str) else None)
        since = f"{found.base} ({found.commit[:12]})"
        paths = found.paths
    proj = _project(project, paths)
    if settings is None:
        settings = _settings(proj)
    explicit = _explicit(proj, paths) if paths is not None else None
    migrations = proj.migrations if proj is not None else []
    # The repeatables are linted with the whole project (with paths given, a
    # repeatable's file is linted like any file given).
    repeatables = proj.repeatables if proj is not None and explicit is None else []
    if env is None and database_url is None:
        targets = explicit[0] if explicit is not None else migrations
        return dataclasses.replace(
            _run(proj, settings, targets, migrations, rollbacks=_rollbacks(explicit),
                 run=False, env_lock_timeout=_all_envs_lock_timeout(proj),
                 repeatables=repeatables), changed_since=since)
    if proj is None:
        raise ConfigError("--env needs a project (config/<env>.yaml): pass --project DIR.")
    assert isinstance(proj, Project)
    cfg = proj.config(env or "dev", database_url)
    catalog, rows = _read_target(proj.database_url(cfg), cfg.schema)
    applied = {r.version for r in rows if r.done}
    if explicit is not None:
        targets = explicit[0]
    else:
        targets = [m for m in migrations if m.version not in applied]
    return dataclasses.replace(
        _run(proj, settings, targets, migrations, rollbacks=_rollbacks(explicit), run=True,
             env_lock_timeout=_lock_timeout_set(cfg.lock_timeout), catalog=catalog,
             env=cfg.env, ledger_rows=rows, repeatables=repeatables), changed_since=since)


def findings_for(
    migrations: list[Migration],
    *,
    project: Project | None = None,
    settings: LintSettings | None = None,
    catalog: Catalog | None = None,
    env: str | None = None,
    env_lock_timeout: bool = False,
    ledger_rows: list[LedgerRow] | None = None,
) -> LintReport:
    """Lint ``migrations`` as one run of pending migrations (tables created by
    an earlier one are new for the later ones), e.g. a plan's steps.  Pass the
    env's :class:`~sqlmig.linter.catalog.Catalog` (``catalog.read(conn)``) for
    size-aware severities."""
    if settings is None:
        settings = _settings(project)
    everything = project.migrations if project is not None else migrations
    return _run(project, settings, migrations, everything, rollbacks=[], run=True,
                env_lock_timeout=env_lock_timeout, catalog=catalog, env=env,
                ledger_rows=ledger_rows)


def statement_findings(
    migrations: list[Migration],
    *,
    settings: LintSettings | None = None,
    project: Project | None = None,
    catalog: Catalog | None = None,
    env: str | None = None,
    env_lock_timeout: bool = False,
) -> list[Finding]:
    """The statement rules only, over ``migrations`` as one run, each file
    linted as if it were an up migration (a rollback plan's files included):
    what a reviewer of a plan must see about locks and lost data."""
    from .statements import Linter

    if settings is None:
        settings = _settings(project)
    lint = Linter(settings, catalog, env_lock_timeout=env_lock_timeout, env=env)
    run_new: set[str] = set()
    for mig in migrations:
        lint.migration(mig, run_new)
    return sorted(lint.findings, key=lambda f: (f.path, f.line, f.column, f.rule))


def explain(rule_id: str) -> Rule:
    """The rule with this id; ConfigError (exit 2) naming the known ids otherwise."""
    rule = RULES.get(rule_id)
    if rule is None:
        raise ConfigError(
            f"unknown rule `{rule_id}`. Rules: {', '.join(sorted(RULES))}."
        )
    return rule


# -- the run ---------------------------------------------------------------------------------


def _run(
    proj: Project | None,
    settings: LintSettings,
    targets: list[Migration],
    everything: list[Migration],
    *,
    rollbacks: list[Migration],
    run: bool,
    env_lock_timeout: bool,
    catalog: Catalog | None = None,
    env: str | None = None,
    ledger_rows: list[LedgerRow] | None = None,
    repeatables: list[Repeatable] | None = None,
) -> LintReport:
    from . import personal_data, project_rules
    from . import repeatables as repeatable_rules
    from .statements import Linter

    lint = Linter(settings, catalog, env_lock_timeout=env_lock_timeout, env=env)
    # The project passes after the statement rules read the files again: keep their parse.
    in_project = {m.version for m in everything}
    lint.keep = proj is not None and (
        (settings.enabled(personal_data.RULE) and any(m.version in in_project for m in targets))
        or (bool(proj.repeatables) and settings.enabled(repeatable_rules.RULE)))
    wanted = {id(m) for m in targets}
    run_new: set[str] = set()
    files: list[str] = []
    first = min((m.version for m in targets if m.version in in_project), default=None)
    if catalog is None and first is not None:
        # Learn the schema (indexes, primary keys) from the migrations before
        # the linted ones, so design rules see what earlier files created.
        for mig in everything:
            if mig.version < first and id(mig) not in wanted:
                lint.migration(mig, set(), report=False)
    for mig in targets:
        state = lint.migration(mig, run_new if run else set())
        files.append(mig.up.relpath)
        if mig.version in in_project and mig.up.relpath.startswith(MIGRATIONS_DIR + "/"):
            project_rules.missing_rollback(lint, state.parsed, mig)
            if mig.down is not None:
                down = lint.rollback_file(mig.down)
                files.append(mig.down.relpath)
                project_rules.rollback_incomplete(lint, down, mig, state.created)
    for mig in rollbacks:
        lint.rollback_file(mig.up)
        files.append(mig.up.relpath)
    for rep in repeatables or []:
        # The statement rules, as for a file that runs after every migration.
        lint.migration(Migration(version=-1, name=rep.name, up=rep.file, down=None), set())
        files.append(rep.file.relpath)
    # Proper versioned migrations only: a file given outside the project has no place.
    repeatable_rules.check(lint, everything, [m for m in targets if m.version in in_project],
                           proj.repeatables if proj is not None else [])
    if proj is not None:  # the tables the whole project's migrations leave
        personal_data.check(lint, everything, [m for m in targets if m.version in in_project],
                            prefix="sql/")
    if ledger_rows is not None:
        project_rules.checksum_drift(lint, everything, ledger_rows, env)
    prefix = "sql/" if proj is not None else ""

    def shown(f: Finding) -> Finding:
        if not prefix or not f.path.startswith((MIGRATIONS_DIR + "/", ROLLBACKS_DIR + "/",
                                                REPEATABLE_DIR + "/")):
            return f
        return dataclasses.replace(f, path=prefix + f.path)

    def order(f: Finding) -> tuple[str, int, int, str]:
        return (f.path, f.line, f.column, f.rule)

    return LintReport(
        findings=sorted((shown(f) for f in lint.findings), key=order),
        suppressed=sorted((shown(f) for f in lint.suppressed), key=order),
        files=[prefix + f if f.startswith((MIGRATIONS_DIR, ROLLBACKS_DIR, REPEATABLE_DIR)) else f
               for f in files],
        env=env,
        root=proj.root if proj is not None else None,
    )


def _project(project: Project | Path | str | None, paths: Iterable[Path | str] | None
             ) -> Project | None:
    from ..core.project import Project

    if isinstance(project, Project):
        return project
    if project is not None or paths is None:
        return Project.find(project)
    try:
        return Project.find(None)
    except ConfigError:
        return None  # plain files outside any project: static rules only


def _settings(proj: Project | None) -> LintSettings:
    from . import settings as settings_mod

    return settings_mod.load(proj.config_dir if proj is not None else None)


def _explicit(proj: Project | None, paths: Iterable[Path | str]
              ) -> tuple[list[Migration], list[Migration]]:
    """(migrations, rollback files) for paths given on the command line; a
    project file keeps its place in the project (its rollback, its version)."""
    ups: list[Migration] = []
    downs: list[Migration] = []
    by_path = {}
    if proj is not None:
        for m in proj.migrations:
            by_path[m.up.path.resolve()] = (m, False)
            if m.down is not None:
                by_path[m.down.path.resolve()] = (m, True)
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise ConfigError(f"{raw}: no such file. Pass migration or rollback .sql files.",
                              path=path)
        hit = by_path.get(path.resolve())
        if hit is not None:
            mig, is_down = hit
            if is_down:
                downs.append(Migration(mig.version, mig.name, mig.down, None))  # type: ignore[arg-type]
            elif mig not in ups:
                ups.append(mig)
            continue
        sql_file = read_sql_file(path, str(raw))
        mig = Migration(version=-1, name=path.stem, up=sql_file, down=None)
        (downs if path.parent.name == ROLLBACKS_DIR else ups).append(mig)
    # A rollback whose migration is linted too is linted with it (once).
    with_up = {m.down.path.resolve() for m in ups if m.down is not None}
    return ups, [d for d in downs if d.up.path.resolve() not in with_up]


def _rollbacks(explicit: tuple[list[Migration], list[Migration]] | None) -> list[Migration]:
    return explicit[1] if explicit is not None else []


def _lock_timeout_set(value: object) -> bool:
    """A lock_timeout that is set and not 0 (a value that is no duration counts
    as unset: loading the environment reports it)."""
    from ..core import duration

    try:
        return value is not None and bool(duration.parse(value))
    except ValueError:
        return False


def _all_envs_lock_timeout(proj: Project | None) -> bool:
    """Without --env: lock_timeout counts as set when every environment's
    config sets it (the file is read as YAML only: no ${VAR} is needed)."""
    if proj is None or not proj.config_dir.is_dir():
        return False
    import yaml

    envs = [p for p in sorted(proj.config_dir.glob("*.yaml")) if p.name != "lint.yaml"]
    if not envs:
        return False
    for path in envs:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            return False
        if not isinstance(data, dict) or not _lock_timeout_set(data.get("lock_timeout")):
            return False
    return True


def _read_target(url: str, schema: str) -> tuple[Catalog, list[LedgerRow]]:
    from ..core.connection import connect
    from ..core.ledger import Ledger
    from . import catalog as catalog_mod

    with connect(url) as conn:
        with conn.transaction():
            # The server refuses any write in a READ ONLY transaction: lint
            # cannot change the target even by mistake.
            conn.execute("SET TRANSACTION READ ONLY")
            cat = catalog_mod.read(conn)
            rows = Ledger(schema).rows(conn)
    return cat, rows
