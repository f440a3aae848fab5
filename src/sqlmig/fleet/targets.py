"""The targets of a fleet: which databases (or schemas) an environment names.

An environment becomes a fleet with exactly one of three keys in
``config/<env>.yaml``:

- ``targets:`` a list of ``{name, database_url}``;
- ``targets_query:`` SQL run on ``targets_registry_url`` returning the
  columns ``name`` and ``database_url`` (a tenant directory);
- ``targets_schemas:`` schema names (a list, or a query returning one column)
  inside the environment's ``database_url``: each schema is a target with its
  own ledger, and its migrations run with the schema first in search_path.

This module declares the keys (the ``fleet`` config section), reads the
target list, selects a subset and derives each target's own
:class:`~sqlmig.core.settings.Config`.  Running them is :mod:`sqlmig.fleet.run`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import settings
from ..errors import ConfigError, DatabaseError

if TYPE_CHECKING:
    import psycopg

    from ..core.project import Project
    from ..core.settings import Config

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:@-]*$")
_SCHEMA = re.compile(r'^[^"\x00]{1,63}$')
SOURCES = ("targets", "targets_query", "targets_schemas")


@dataclass(frozen=True)
class Target:
    """One database (or, with ``schema``, one schema of a database) of a fleet."""

    name: str
    database_url: str
    schema: str | None = None  # schema-per-tenant: the tenant's schema, holding its ledger


# -- config keys: the fleet section ----------------------------------------------------


def _target_name(value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError("letters, digits and _ . : @ - (starting with a letter, digit or _)")
    return value


def _targets(value: Any) -> tuple[Target, ...]:
    expected = "a list of mappings with `name` and `database_url`"
    if not isinstance(value, list) or not value:
        raise ValueError(expected)
    out: list[Target] = []
    seen: set[str] = set()
    for n, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != {"name", "database_url"}:
            raise ValueError(f"{expected}; item {n} is {item!r}")
        try:
            name = _target_name(item["name"])
        except ValueError as exc:
            raise ValueError(f"{expected}; item {n}: the name must be {exc}") from None
        url = item["database_url"]
        if not isinstance(url, str) or not url.strip():
            raise ValueError(f"{expected}; item {n} ({name}) has an empty database_url")
        if name in seen:
            raise ValueError(f"{expected} with unique names; {name!r} appears twice")
        seen.add(name)
        out.append(Target(name, url.strip()))
    return tuple(out)


def _query(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a SQL query")
    return value.strip().rstrip(";").strip()


def _registry_url(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a PostgreSQL URL of the registry database")
    return value.strip()


def _schemas(value: Any) -> tuple[str, ...] | str:
    if isinstance(value, str):
        return _query(value)
    expected = "a list of schema names, or a query returning them"
    if not isinstance(value, list) or not value:
        raise ValueError(expected)
    names = tuple(_schema_name(v) if isinstance(v, str) else "" for v in value)
    bad = [v for v, n in zip(value, names) if not n]
    if bad:
        raise ValueError(f"{expected}; {bad[0]!r} is not a schema name")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"{expected} without repeats; {dupes[0]!r} appears twice")
    return names


def _schema_name(value: str) -> str:
    return value if _SCHEMA.match(value) and _NAME.match(value) else ""


@dataclass(frozen=True)
class FleetSettings(settings.SectionSettings):
    """Where an environment's targets come from (at most one source)."""

    section = "fleet"
    targets: tuple[Target, ...] = ()
    targets_query: str | None = None
    targets_registry_url: str | None = None
    targets_schemas: tuple[str, ...] | str | None = None  # names, or a query

    @property
    def is_fleet(self) -> bool:
        """The environment lists targets (docs/fleets.md)."""
        return bool(self.targets or self.targets_query or self.targets_schemas)


CONFIG_KEYS: dict[str, Callable[[Any], Any]] = {
    "targets": _targets,
    "targets_query": _query,
    "targets_registry_url": _registry_url,
    "targets_schemas": _schemas,
}


def check_keys(values: Mapping[str, Any], path: Path) -> None:
    """Rules between the fleet keys of one file (each key is valid on its own)."""
    sources = [k for k in SOURCES if k in values]
    if len(sources) > 1:
        raise ConfigError(
            f"{path}: `{sources[0]}` and `{sources[1]}` both name the targets; keep one.",
            path=path,
        )
    if "targets_query" in values and "targets_registry_url" not in values:
        raise ConfigError(
            f"{path}: `targets_query` needs `targets_registry_url`: the database the query "
            "runs on (the tenant directory).", path=path,
        )
    if "targets_registry_url" in values and "targets_query" not in values:
        raise ConfigError(
            f"{path}: `targets_registry_url` is set but `targets_query` is missing: add the "
            "query returning the columns name and database_url.", path=path,
        )
    if "targets_schemas" in values and "database_url" not in values:
        raise ConfigError(
            f"{path}: `targets_schemas` needs `database_url`: the database holding the "
            "schemas.", path=path,
        )


SECTION = FleetSettings.declare(
    CONFIG_KEYS, check=check_keys,
    names_databases=lambda values: "targets" in values or "targets_query" in values,
)


# -- reading the targets -----------------------------------------------------------------


Connect = Callable[[str], "psycopg.Connection"]


def resolve(project: Project, cfg: Config, connect: Connect) -> list[Target]:
    """The environment's targets, in the order the config (or the query) gives them.

    ``connect`` opens the one registry connection a query needs; it is closed
    before this returns.
    """
    where = cfg.path or project.config_dir / f"{cfg.env}.yaml"
    fleet = FleetSettings.of(cfg)
    if fleet.targets:
        return list(fleet.targets)
    if fleet.targets_query:
        assert fleet.targets_registry_url is not None
        rows = _run_query(connect, fleet.targets_registry_url, fleet.targets_query, where,
                          "targets_query", ("name", "database_url"))
        return _registry_targets(rows, where)
    if fleet.targets_schemas:
        url = project.database_url(cfg)
        if isinstance(fleet.targets_schemas, str):
            rows = _run_query(connect, url, fleet.targets_schemas, where, "targets_schemas", None)
            names = [_checked_schema(r, n, where) for n, r in enumerate(rows, start=1)]
            dupes = sorted({s for s in names if names.count(s) > 1})
            if dupes:
                raise ConfigError(f"{where}: `targets_schemas` returned {dupes[0]!r} twice.",
                                  path=where)
        else:
            names = list(fleet.targets_schemas)
        return [Target(s, url, schema=s) for s in names]
    raise ConfigError(f"{where}: environment {cfg.env!r} has no targets.", path=where)


def _run_query(connect: Connect, url: str, query: str, where: Path, key: str,
               columns: tuple[str, ...] | None) -> list[tuple[Any, ...]]:
    import psycopg

    from ..core.connection import password_of, redact

    conn = connect(url)
    try:
        cur = conn.execute(query)
        got = [d.name for d in cur.description] if cur.description else []
        if columns is not None and got[: len(columns)] != list(columns):
            raise ConfigError(
                f"{where}: `{key}` must return the columns {', '.join(columns)} (in this "
                f"order); it returned {', '.join(got) or 'no columns'}. Alias them: "
                "SELECT tenant AS name, dsn AS database_url ...", path=where,
            )
        if columns is None and len(got) != 1:
            raise ConfigError(
                f"{where}: `{key}` must return one column of schema names; it returned "
                f"{len(got)}.", path=where,
            )
        return cur.fetchall()
    except psycopg.Error as exc:
        raise DatabaseError(
            f"{where}: `{key}` failed on {redact(url)}: "
            f"{redact(str(exc).strip(), password_of(url))}",
            sqlstate=exc.sqlstate,
        ) from None
    finally:
        conn.close()


def _registry_targets(rows: Sequence[tuple[Any, ...]], where: Path) -> list[Target]:
    out: list[Target] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        name, url = row[0], row[1]
        if not isinstance(name, str) or not _NAME.match(name):
            raise ConfigError(
                f"{where}: `targets_query` row {n}: bad target name {name!r}; names are "
                "letters, digits and _ . : @ -.", path=where,
            )
        if not isinstance(url, str) or not url.strip():
            raise ConfigError(
                f"{where}: `targets_query` row {n} ({name}): database_url is empty.", path=where
            )
        if name in seen:
            raise ConfigError(
                f"{where}: `targets_query` returned the target {name!r} twice; names must be "
                "unique.", path=where,
            )
        seen.add(name)
        out.append(Target(name, url.strip()))
    return out


def _checked_schema(row: tuple[Any, ...], n: int, where: Path) -> str:
    value = row[0]
    if not isinstance(value, str) or not _schema_name(value):
        raise ConfigError(
            f"{where}: `targets_schemas` row {n}: {value!r} is not a usable schema name "
            "(letters, digits and _ . : @ -).", path=where,
        )
    return value


# -- selecting ---------------------------------------------------------------------------


def select(targets: list[Target], names: Sequence[str] = (),
           like: Sequence[str] = ()) -> list[Target]:
    """The targets named in ``names`` or matching a ``like`` pattern (SQL LIKE:
    ``%`` any run of characters, ``_`` one character, ``\\`` escapes); all of
    them when both are empty.  An unknown name or a pattern matching nothing is
    a ConfigError, so a typo never silently selects nothing."""
    if not names and not like:
        return list(targets)
    known = {t.name for t in targets}
    for name in names:
        if name not in known:
            shown = ", ".join(sorted(known)[:10]) + (" ..." if len(known) > 10 else "")
            raise ConfigError(f"--target {name}: no such target. Targets: {shown}.")
    patterns = [(p, like_regex(p)) for p in like]
    for text, rx in patterns:
        if not any(rx.match(t.name) for t in targets):
            raise ConfigError(f"--targets-like {text}: matches no target.")
    wanted = set(names)
    return [t for t in targets
            if t.name in wanted or any(rx.match(t.name) for _, rx in patterns)]


def like_regex(pattern: str) -> re.Pattern[str]:
    """A compiled regex with SQL LIKE semantics (case-sensitive)."""
    out, escaped = [], False
    for ch in pattern:
        if escaped:
            out.append(re.escape(ch))
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out) + r"\Z", re.DOTALL)


# -- each target's own config -----------------------------------------------------------


def target_config(cfg: Config, target: Target, project: Project) -> Config:
    """The single-database Config a target runs with: its URL; for a schema
    target its own ledger schema and search_path; backups in a directory of
    their own, so that ``keep_backups`` counts per target."""
    from ..backup.settings import BackupSettings

    backups = BackupSettings.of(cfg)
    base = Path(backups.backup_dir) if backups.backup_dir else Path("backups") / cfg.env
    if not base.is_absolute():
        base = project.root / base
    sections = dict(cfg.sections)
    sections[SECTION.name] = FleetSettings()  # one database: no targets of its own
    sections["backup"] = dataclasses.replace(backups, backup_dir=str(base / target.name))
    changes: dict[str, Any] = {"database_url": target.database_url, "sections": sections}
    if target.schema is not None:
        # The tenant's schema first, public after it for the extensions and
        # shared objects that usually live there.
        changes.update(schema=target.schema, schema_given=True,
                       search_path=(target.schema, "public"))
    return dataclasses.replace(cfg, **changes)


def connection_url(cfg: Config, url: str) -> str:
    """``url`` with the target's search_path as a session default (libpq
    ``options=-c search_path=...``), for connections that do not go through
    the runner (checks).  RESET ALL returns to this value, not to the server's."""
    if not cfg.search_path:
        return url
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    path = ",".join('"' + s + '"' for s in cfg.search_path)
    # In libpq's options, a backslash escapes the next character (spaces included).
    value = "-c search_path=" + path.replace("\\", "\\\\").replace(" ", "\\ ")
    existing = conninfo_to_dict(url).get("options")
    return make_conninfo(url, options=f"{existing} {value}" if existing else value)
