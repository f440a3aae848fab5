"""Sqitch: ``sqitch.plan`` lists the changes in deploy order; each change has
``deploy/<name>.sql`` and ``revert/<name>.sql`` (``verify/`` scripts are not
imported).  Its registry, schema ``sqitch``, lists the deployed changes of
each project in ``sqitch.changes``.  A reworked change (the same name twice in
the plan, after an ``@tag``) is refused: sqlmig has one file per version."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ConfigError
from ..source import ForeignRow, SourceMigration, no_ledger, read_text, unknown_rows
from ..queries import rows, table_exists

if TYPE_CHECKING:
    import psycopg

TOOL = "sqitch"
_CHANGE = re.compile(r"^(?P<op>[+-]?)(?P<name>[^\s\[@#%]+)(?:\s|$)")
_PROJECT = re.compile(r"^%\s*project\s*=\s*(?P<name>\S+)\s*$")


def plan_file(src: Path) -> Path:
    plan = src if src.is_file() else src / "sqitch.plan"
    if not plan.is_file():
        raise ConfigError(f"{src}: no sqitch.plan. Pass the Sqitch project directory (the one "
                          "with sqitch.plan) or the plan file. Nothing was written.", path=src)
    return plan


def project_name(plan: Path) -> str:
    for line in read_text(plan).splitlines():
        m = _PROJECT.match(line.strip())
        if m:
            return m.group("name")
    raise ConfigError(f"{plan}: no %project=NAME pragma: Sqitch needs one too. Nothing was "
                      "written.", path=plan)


def read(src: Path) -> tuple[list[SourceMigration], bool]:
    plan = plan_file(src)
    top = plan.parent
    project_name(plan)
    found = []
    seen: dict[str, int] = {}
    last_tag: str | None = None
    for lineno, line in enumerate(read_text(plan).splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")):
            continue
        if stripped.startswith("@"):
            last_tag = stripped.split()[0]
            continue
        m = _CHANGE.match(stripped)
        if m is None:
            raise ConfigError(f"{plan}:{lineno}: not a change, tag, pragma or comment line. "
                              "Fix the plan, then import again. Nothing was written.",
                              path=plan, line=lineno)
        name = m.group("name")
        if m.group("op") == "-":
            raise ConfigError(
                f"{plan}:{lineno}: `-{name}` removes a change in the plan; sqlmig keeps every "
                "migration it ever applied. Deploy the plan with Sqitch and start the import "
                "from a plan without removals. Nothing was written.", path=plan, line=lineno)
        if name in seen:
            raise ConfigError(
                f"{plan}:{lineno}: change {name!r} is reworked (also at line {seen[name]}"
                + (f", before tag {last_tag}" if last_tag else "")
                + "): Sqitch keeps two versions of deploy/" + name + ".sql, and sqlmig has one "
                "file per version, which never changes. Turn the rework into a new change "
                "with its own name (copy the reworked script to deploy/<new name>.sql), or "
                "import a plan from before the rework. Nothing was written.",
                path=plan, line=lineno)
        seen[name] = lineno
        deploy = top / "deploy" / f"{name}.sql"
        revert = top / "revert" / f"{name}.sql"
        if not deploy.is_file():
            raise ConfigError(f"{deploy}: missing: the plan ({plan.name}:{lineno}) lists change "
                              f"{name!r}. Restore the file, then import again. Nothing was "
                              "written.", path=deploy)
        verify = top / "verify" / f"{name}.sql"
        found.append(SourceMigration(
            source_id=name, description=name, up_file=deploy, up_sql=read_text(deploy),
            down_file=revert if revert.is_file() else None,
            down_sql=read_text(revert) if revert.is_file() else None,
            notes=(f"verify/{name}.sql not imported",) if verify.is_file() else ()))
    return found, False


def history(conn: psycopg.Connection, found: list[SourceMigration],
            src: Path) -> list[ForeignRow]:
    if not table_exists(conn, "sqitch.changes"):
        raise no_ledger(TOOL, "sqitch.changes")
    project = project_name(plan_file(src))
    recorded = [ForeignRow(str(change), str(script_hash) if script_hash else str(change_id),
                           at, f"{who} <{email}>")
                for change, change_id, script_hash, at, who, email
                in rows(conn, "sqitch", {"project": project})]
    unknown_rows(TOOL, "sqitch.changes", recorded, found)
    return recorded
