"""config/<env>.yaml: one file per environment, validated strictly.

Unknown keys are errors, not warnings: a misspelled safety setting
(``lock_timout: 5s``) must not silently leave production without it.
``${VAR}`` and ``${VAR:-default}`` in string values are expanded from the
process environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..fleet.targets import CONFIG_KEYS as FLEET_KEYS
from ..fleet.targets import check_keys as check_fleet_keys
from ..governance.policy import CONFIG_KEYS as POLICY_KEYS

EMBEDDED = "embedded"
_VAR = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")
_DURATION = re.compile(r"^\s*\d+(?:\.\d+)?\s*(?:us|ms|s|min|h|d)?\s*$")
_IDENT = re.compile(r"^[a-z_][a-z0-9_$]*$")


@dataclass(frozen=True)
class Config:
    """The settings of one environment."""

    env: str
    path: Path | None  # None when no file exists and everything came from options
    database_url: str | None
    schema: str = "public"
    lock_timeout: str | None = None
    statement_timeout: str | None = None
    lock_wait: float = 60.0
    # Environment policies (sqlmig.policy); defaults are the permissive ones,
    # the strict values live in the project's config/<env>.yaml.
    auto_apply: bool = True
    verbose: bool = False
    log_level: str = "warning"  # of the "sqlmig" logger: debug, info, warning or error
    backup: str = "off"  # off | required
    approval: str = "off"  # off | required
    approval_ttl: float = 7200.0  # seconds
    maintenance_window: tuple[Any, ...] = ()  # sqlmig.window.Window
    require_clean_git: bool = False
    lock_retries: int = 0
    lock_retry_delay: float = 0.5  # seconds before the first retry; doubles each time
    backup_dir: str | None = None  # default backups/<env>/ under the project root
    keep_backups: int | None = None  # None: keep every backup
    pg_bin_dir: str | None = None
    pg_dump_path: str | None = None
    restore: str = "allowed"  # allowed | emergency | refused
    docs: Any = None  # sqlmig.docs.DocsSettings from the `docs:` mapping
    refuse_on_drift: bool = False  # sqlmig.drift: apply refuses when the schema drifted
    seed_script: str | None = None  # `verify --with-data`; default demo/seed.py
    # Fleets (sqlmig.fleet, docs/fleets.md): at most one source of targets.
    targets: tuple[Any, ...] = ()  # sqlmig.fleet_targets.Target
    targets_query: str | None = None
    targets_registry_url: str | None = None
    targets_schemas: tuple[str, ...] | str | None = None  # names, or a query
    lock: str = "advisory"  # advisory | table (engines without advisory locks)
    # Put first in search_path before each migration (schema-per-tenant
    # targets); not a key of the file, set by the fleet per target.
    search_path: tuple[str, ...] = ()

    @property
    def embedded(self) -> bool:
        return self.database_url == EMBEDDED

    @property
    def is_fleet(self) -> bool:
        """The environment lists targets (docs/fleets.md)."""
        return bool(self.targets or self.targets_query or self.targets_schemas)


def _duration(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("a duration such as 5s, 500ms, 2min or 0 (off)")
    text = str(value)
    if not _DURATION.match(text):
        raise ValueError("a duration such as 5s, 500ms, 2min or 0 (off)")
    return text.replace(" ", "")


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError("a number of seconds, 0 or more")
    return float(value)


def _schema(value: Any) -> str:
    if not isinstance(value, str) or not _IDENT.match(value):
        raise ValueError("a lowercase schema name (letters, digits, underscores)")
    return value


def _url(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a PostgreSQL URL (postgresql://user@host/db), or `embedded`")
    return value.strip()


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def _seed_script(value: Any) -> str:
    if not isinstance(value, str) or not value.strip().endswith((".py", ".sql")):
        raise ValueError("a path to a .py file defining seed(conninfo, ...) or a .sql file, "
                         "relative to the project root")
    return value.strip()


def _docs(value: Any) -> Any:
    # The docs settings are validated by the feature that reads them.
    from ..docs.build import parse_settings

    return parse_settings(value)


# key -> (validator returning the normalized value, Config field name)
KEYS: dict[str, Callable[[Any], Any]] = {
    "database_url": _url,
    "schema": _schema,
    "lock_timeout": _duration,
    "statement_timeout": _duration,
    "lock_wait": _seconds,
    "docs": _docs,
    "refuse_on_drift": _flag,
    "seed_script": _seed_script,
    **POLICY_KEYS,
    **FLEET_KEYS,
}


def expand(value: str, path: Path, key: str, environ: Mapping[str, str]) -> str:
    """Expand ``${VAR}`` and ``${VAR:-default}``; an unset VAR without default is an error."""

    def repl(m: re.Match[str]) -> str:
        name, default = m.group("name"), m.group("default")
        if name in environ and (environ[name] != "" or default is None):
            return environ[name]
        if default is not None:
            return default
        raise ConfigError(
            f"{path}: key `{key}` uses ${{{name}}}, which is not set. "
            f"Set it, or give a default: ${{{name}:-value}}.",
            path=path,
        )

    return _VAR.sub(repl, value)


def load(
    config_dir: Path,
    env: str,
    *,
    database_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Read and validate ``config_dir/<env>.yaml``.

    ``database_url`` (the ``--database-url`` option) overrides the file; with
    it, the file may be absent.
    """
    if not re.match(r"^[A-Za-z0-9_.-]+$", env):
        raise ConfigError(f"bad environment name {env!r}: use letters, digits, - _ .")
    environ = os.environ if environ is None else environ
    path = config_dir / f"{env}.yaml"
    raw: dict[str, Any] = {}
    if path.exists():
        raw = _read_yaml(path)
    elif database_url is None:
        known = sorted(p.stem for p in config_dir.glob("*.yaml")) if config_dir.is_dir() else []
        raise ConfigError(
            f"no configuration for environment {env!r}: {path} does not exist"
            + (f" (environments: {', '.join(known)})" if known else "")
            + ". Create it with at least `database_url:`, or pass --database-url.",
            path=path,
        )
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in KEYS:
            raise ConfigError(
                f"{path}: unknown key `{key}`. Known keys: {', '.join(sorted(KEYS))}.",
                path=path,
            )
        if key == "database_url" and database_url is not None:
            continue  # overridden by --database-url: its ${VAR}s need not be set
        if isinstance(value, str):
            value = expand(value, path, key, environ)
        elif key == "targets" and isinstance(value, list):
            value = [
                {k: expand(v, path, key, environ) if isinstance(v, str) else v
                 for k, v in item.items()} if isinstance(item, dict) else item
                for item in value
            ]
        try:
            values[key] = KEYS[key](value)
        except ValueError as exc:
            raise ConfigError(
                f"{path}: bad value for `{key}`: {value!r}; expected {exc}.", path=path
            ) from None
    if database_url is not None:
        values["database_url"] = _url(database_url)
    check_fleet_keys(values, path)
    if "database_url" not in values and not ("targets" in values or "targets_query" in values):
        raise ConfigError(
            f"{path}: `database_url` is missing. Add it (a PostgreSQL URL, "
            "`${DATABASE_URL}`, or `embedded`), or pass --database-url.",
            path=path,
        )
    values.setdefault("database_url", None)  # a fleet of `targets` needs none
    return Config(env=env, path=path if path.exists() else None, **values)


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(
            f"{path}{f':{line}' if line else ''}: not valid YAML: "
            f"{getattr(exc, 'problem', None) or exc}",
            path=path,
            line=line,
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys to values.", path=path)
    return data
