"""config/<env>.yaml: one file per environment, validated strictly.

The core reads its own keys (where the database is, the ledger schema, the
timeouts and the migration lock); every feature declares its own keys as a
:class:`Section` with :func:`register` (``sqlmig.features`` registers the
shipped ones), and gets back its own settings object from
:meth:`Config.section`.  The file stays flat: ``backup: required`` and
``lock_timeout: 3s`` sit side by side, whichever package reads them.

Unknown keys are errors, not warnings: a misspelled safety setting
(``lock_timout: 5s``) must not silently leave production without it.
``${VAR}`` and ``${VAR:-default}`` in string values are expanded from the
process environment.  Durations need their unit (:mod:`.duration`).
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

from ..errors import ConfigError
from . import duration
from .duration import Duration

EMBEDDED = "embedded"
# ``$${`` is a literal ``${`` (as in docker compose); any other ``${`` must
# start a well-formed reference, or it is an error rather than literal text.
_VAR = re.compile(
    r"\$(?P<escaped>\$\{)|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}"
    r"|(?P<bad>\$\{)"
)
_IDENT = re.compile(r"^[a-z_][a-z0-9_$]*\Z")
# PostgreSQL truncates longer identifiers (NAMEDATALEN - 1).
_MAX_IDENT_BYTES = 63
# lock_timeout and statement_timeout are integer GUCs in milliseconds.
_INT_MAX_MS = 2**31 - 1
_ENV_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
# sqlmig's tables live in a schema of their own unless `schema:` says otherwise:
# `public.schema_migrations` is the table golang-migrate, Rails and many
# projects create themselves.
DEFAULT_SCHEMA = "sqlmig"

Validator = Callable[[Any], Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Section:
    """A feature's keys in config/<env>.yaml.

    ``keys`` maps each key to its validator (which returns the normalized
    value or raises ValueError saying what is expected); ``build`` turns the
    validated values of the keys present into the feature's settings object
    (it is called with ``{}`` for a file that sets none of them); ``check``
    sees all validated values of the file, for rules between keys;
    ``names_databases`` says whether the section's values name the databases
    themselves (a fleet's targets), so that ``database_url`` may be absent.
    """

    name: str
    keys: Mapping[str, Validator]
    build: Callable[[Mapping[str, Any]], Any]
    check: Callable[[Mapping[str, Any], Path], None] | None = None
    names_databases: Callable[[Mapping[str, Any]], bool] | None = None
    # The keys that are the environment's policy: recorded in the database by
    # the environment binding, and from then on taken from there.
    policy: tuple[str, ...] = ()


class SectionSettings:
    """Base of a feature's settings dataclass, whose fields are its keys:
    ``FeatureSettings.of(config)`` is that environment's instance."""

    section: ClassVar[str]

    @classmethod
    def of(cls: type[T], config: Config) -> T:
        return config.section(cls.section, cls)  # type: ignore[attr-defined]

    @classmethod
    def declare(cls, keys: Mapping[str, Validator], **extra: Any) -> Section:
        """The Section of this dataclass: its keys, built by keyword."""
        return Section(name=cls.section, keys=keys, build=lambda values: cls(**values), **extra)


_SECTIONS: dict[str, Section] = {}
# Files in config/ that a feature reads and that are no environment (e.g. the
# linter's lint.yaml), left out where environments are listed.
NOT_ENVIRONMENTS: set[str] = set()


def register(section: Section) -> None:
    """Add a feature's section; its keys may not collide with another's."""
    taken = set(CORE_KEYS).union(*(s.keys for n, s in _SECTIONS.items() if n != section.name))
    clash = sorted(taken & set(section.keys))
    if clash:
        raise ValueError(f"config keys {clash} of section {section.name!r} are taken")
    _SECTIONS[section.name] = section


@dataclass(frozen=True)
class Config:
    """The settings of one environment: the core's keys, and each feature's
    section (:meth:`section`)."""

    env: str
    path: Path | None  # None when no file exists and everything came from options
    database_url: str | None
    schema: str = DEFAULT_SCHEMA  # of sqlmig's own tables (ledger, history, audit...)
    # The file (or a fleet's schema target) named the schema: use exactly it.
    # Otherwise a ledger an older sqlmig left in public is used where it is
    # (:func:`sqlmig.core.ledger.locate`).
    schema_given: bool = False
    lock_timeout: Duration | None = None
    statement_timeout: Duration | None = None
    lock_wait: Duration = duration.of_seconds(60)  # waiting for another run's migration lock
    lock_retries: int = 0  # a migration that hit lock_timeout runs again this often
    lock_retry_delay: Duration = duration.of_seconds(0.5)  # before the first retry; doubles
    lock: str = "advisory"  # advisory | table (engines without advisory locks)
    log_level: str = "warning"  # of the "sqlmig" logger, set by the CLI
    verbose: bool = False  # the CLI prints every statement with its timing
    # Put first in search_path before each migration (schema-per-tenant
    # targets); not a key of the file, set by the fleet per target.
    search_path: tuple[str, ...] = ()
    sections: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def embedded(self) -> bool:
        return self.database_url == EMBEDDED

    def section(self, name: str, kind: type[T]) -> T:
        """The settings object of feature ``name`` (its defaults when the file
        sets none of its keys)."""
        value = self.sections.get(name)
        if value is None:
            value = _SECTIONS[name].build({})
        if not isinstance(value, kind):
            raise TypeError(f"section {name!r} is a {type(value).__name__}, not {kind.__name__}")
        return value


# -- an environment's policy, as a document -----------------------------------------------


def policy_document(config: Config) -> dict[str, dict[str, Any]]:
    """The values of every section's ``policy`` keys, as the YAML would write
    them (durations and windows as their text): ``{section: {key: value}}``."""
    import dataclasses

    out: dict[str, dict[str, Any]] = {}
    for name, section in sorted(_SECTIONS.items()):
        if not section.policy:
            continue
        obj = config.sections.get(name) or section.build({})
        out[name] = {k: _as_written(getattr(obj, k)) for k in section.policy}
        assert all(k in {f.name for f in dataclasses.fields(obj)} for k in section.policy)
    return out


def default_policy() -> dict[str, dict[str, Any]]:
    """The policy of an environment whose file sets none of the policy keys."""
    return policy_document(Config(env="-", path=None, database_url=None))


def with_policy(config: Config, document: Mapping[str, Any]) -> Config:
    """``config`` with the policy keys of ``document`` (a :func:`policy_document`)
    in place of its own; keys the document lacks keep the file's value, and
    sections and keys this sqlmig does not know are ignored (a newer sqlmig
    wrote them).  Values are validated like the file's."""
    import dataclasses

    sections = dict(config.sections)
    for name, values in document.items():
        section = _SECTIONS.get(name)
        if section is None or not isinstance(values, Mapping):
            continue
        obj = sections.get(name) or section.build({})
        # An empty list is how a document writes "none" (no maintenance window).
        known = {k: section.keys[k](None if v == [] else v) for k, v in values.items()
                 if k in section.policy}
        sections[name] = dataclasses.replace(obj, **known)
    return dataclasses.replace(config, sections=MappingProxyType(sections))


def _as_written(value: Any) -> Any:
    if isinstance(value, Duration):
        return value.text
    if isinstance(value, (tuple, list)):
        return [_as_written(v) for v in value]
    spec = getattr(value, "spec", None)
    return spec if isinstance(spec, str) else value


# -- validators, shared by the features' sections ------------------------------------------


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def choice(*allowed: str) -> Validator:
    def validate(value: Any) -> str:
        if value is False and "off" in allowed:  # YAML reads a bare `off` as false
            value = "off"
        if value not in allowed:
            raise ValueError(" or ".join(allowed))
        return str(value)

    return validate


def count(minimum: int) -> Validator:
    def validate(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValueError(f"a whole number, {minimum} or more")
        return value

    return validate


def text(what: str) -> Validator:
    def validate(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(what)
        return value.strip()

    return validate


def timeout(value: Any, zero: str = "no limit") -> Duration:
    """A duration that becomes a PostgreSQL timeout (``lock_timeout``,
    ``statement_timeout``, the wait for the migration lock): 0 (no limit), or
    from 1 ms to INT_MAX ms (about 24.8 days).

    PostgreSQL counts these in whole milliseconds: a value under 1 ms is
    refused rather than rounded, since rounding down would mean 0 (wait
    forever) and rounding up a limit nobody wrote; one over INT_MAX ms is
    refused by the server at the first ``SET``, after the run started.
    """
    d = duration.parse(value)
    if d and not 1_000 <= d.microseconds <= _INT_MAX_MS * 1_000:
        raise ValueError(
            f"0 ({zero}) or a duration from 1ms to {_INT_MAX_MS}ms (about 24.8 days); "
            f"`{d}` is out of that range, as PostgreSQL counts timeouts in whole milliseconds "
            "up to INT_MAX"
        )
    return d


def _lock_wait(value: Any) -> Duration:
    return timeout(value, zero="do not wait")


def lock_wait_seconds(value: float) -> float:
    """``--lock-wait`` / ``Session(lock_wait=...)``: seconds to wait for the
    migration lock, checked like the ``lock_wait`` key (:func:`timeout`);
    0 means "do not wait".  Raises ConfigError.

    The wait becomes the server's lock_timeout in whole milliseconds, where
    0 means "wait forever": 0.0004 s must be refused, not rounded to that.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
            value) or value < 0:
        raise ConfigError(
            f"lock wait {value!r}: expected a number of seconds, 0 (do not wait) or more.")
    if value and not 0.001 <= value <= _INT_MAX_MS / 1000:
        raise ConfigError(
            f"lock wait {value:g} s is out of range: give 0 (do not wait) or from 0.001 s "
            f"(1 ms, PostgreSQL's unit) to {_INT_MAX_MS / 1000} s (about 24.8 days)."
        )
    return float(value)


def positive_duration(value: Any) -> Duration:
    d = duration.parse(value)
    if not d:
        raise ValueError(f"`{value}`: expected a duration above zero, such as 30s or 2h")
    return d


def _schema(value: Any) -> str:
    if not isinstance(value, str) or not _IDENT.match(value):
        raise ValueError("a lowercase schema name (letters, digits, underscores)")
    if value.startswith("pg_") or value == "information_schema":
        raise ValueError(
            "a schema of the project's own: PostgreSQL reserves information_schema and names "
            "starting with pg_ (pg_catalog, pg_toast, pg_temp...) for itself; use e.g. "
            "`schema: sqlmig`")
    if len(value.encode()) > _MAX_IDENT_BYTES:
        raise ValueError(
            f"a schema name of at most {_MAX_IDENT_BYTES} bytes (PostgreSQL would silently "
            "truncate a longer one)")
    return value


def _url(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a PostgreSQL URL (postgresql://user@host/db), or `embedded`")
    return value.strip()


CORE_KEYS: dict[str, Validator] = {
    "database_url": _url,
    "schema": _schema,
    "lock_timeout": timeout,
    "statement_timeout": timeout,
    "lock_wait": _lock_wait,  # becomes lock_timeout while waiting for the lock
    "lock_retries": count(0),
    "lock_retry_delay": duration.parse,
    "lock": choice("advisory", "table"),  # table: a row lock in <schema>.sqlmig_lock
    "log_level": choice("debug", "info", "warning", "error"),
    "verbose": flag,
}


def known_keys() -> dict[str, Validator]:
    """Every key a config file may have: the core's and each registered section's."""
    keys = dict(CORE_KEYS)
    for section in _SECTIONS.values():
        keys.update(section.keys)
    return keys


# -- reading a file ---------------------------------------------------------------------


def expand(value: Any, path: Path, key: str, environ: Mapping[str, str]) -> Any:
    """Expand ``${VAR}`` and ``${VAR:-default}`` in a string, or in the strings of
    a list or mapping; an unset VAR without default is an error.  ``$${`` is a
    literal ``${``; any other ``${`` that is not a reference is an error."""
    if isinstance(value, list):
        return [expand(v, path, key, environ) for v in value]
    if isinstance(value, dict):
        return {k: expand(v, path, key, environ) for k, v in value.items()}
    if not isinstance(value, str):
        return value

    def repl(m: re.Match[str]) -> str:
        if m.group("escaped"):
            return "${"
        if m.group("bad"):
            raise ConfigError(
                f"{path}: key `{key}`: `{value[m.start():m.start() + 20]}` is not a variable "
                "reference: write ${NAME} or ${NAME:-default} (NAME: letters, digits, _), "
                "or $${ for a literal ${.",
                path=path,
            )
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


def unknown_key(path: Path | str, key: str, known: Mapping[str, Any] | set[str],
                what: str = "key", listed: str | None = None) -> ConfigError:
    """The error for a key nobody reads, with a "did you mean" when one is close;
    ``listed`` replaces the list of known names (when there are many)."""
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    return ConfigError(
        f"{path}: unknown {what} `{key}`.{hint} {listed or 'Known: ' + ', '.join(sorted(known))}.",
        path=Path(path),
    )


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
    if not _ENV_NAME.match(env):
        raise ConfigError(f"bad environment name {env!r}: use letters, digits, - _ .")
    environ = os.environ if environ is None else environ
    path = config_dir / f"{env}.yaml"
    raw: dict[str, Any] = {}
    if path.exists():
        raw = read_yaml(path)
    elif database_url is None:
        known = sorted(p.stem for p in config_dir.glob("*.yaml")
                       if p.stem not in NOT_ENVIRONMENTS) if config_dir.is_dir() else []
        raise ConfigError(
            f"no configuration for environment {env!r}: {path} does not exist"
            + (f" (environments: {', '.join(known)})" if known else "")
            + ". Create it with at least `database_url:`, or pass --database-url.",
            path=path,
        )
    keys = known_keys()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in keys:
            raise unknown_key(path, str(key), keys)
        if key == "database_url" and database_url is not None:
            continue  # overridden by --database-url: its ${VAR}s need not be set
        value = expand(value, path, key, environ)
        try:
            values[key] = keys[key](value)
        except ValueError as exc:
            raise ConfigError(
                f"{path}: bad value for `{key}`: {value!r}; expected {exc}.", path=path
            ) from None
    if database_url is not None:
        values["database_url"] = _url(database_url)
    for section in _SECTIONS.values():
        if section.check is not None:
            section.check(values, path)
    named = any(s.names_databases(values) for s in _SECTIONS.values() if s.names_databases)
    sections = {
        name: section.build({k: values.pop(k) for k in list(values) if k in section.keys})
        for name, section in _SECTIONS.items()
    }
    if "database_url" not in values and not named:
        raise ConfigError(
            f"{path}: `database_url` is missing. Add it (a PostgreSQL URL, "
            "`${DATABASE_URL}`, or `embedded`), or pass --database-url.",
            path=path,
        )
    values.setdefault("database_url", None)  # a fleet of `targets` needs none
    values["schema_given"] = "schema" in values
    return Config(env=env, path=path if path.exists() else None,
                  sections=MappingProxyType(sections), **values)


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML file holding a mapping (empty: ``{}``); errors name the file and line.

    Stricter than YAML itself, for files that hold settings: a key given
    twice is an error (YAML loaders keep the last one, so ``approval: off``
    further down would silently win over ``approval: required``), and so are
    anchors, aliases and merge keys (``&a``, ``*a``, ``<<``).  A settings file
    has no need for them, and refusing them outright is simpler and safer
    than bounding them: a few hundred bytes of nested aliases expand to
    gigabytes (a "billion laughs"), and a merged key hides which value applies.
    """
    import yaml

    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset "
            f"{exc.start}). Save the file as UTF-8.",
            path=path,
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}.", path=path) from None
    try:
        data = yaml.load(source, Loader=_strict_loader())  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or exc
        what = "" if isinstance(exc, _Refused) else "not valid YAML: "
        raise ConfigError(
            f"{path}{f':{line}' if line else ''}: {what}{problem}",
            path=path,
            line=line,
        ) from None
    except RecursionError:
        raise ConfigError(
            f"{path}: nested too deeply to be a settings file. Write a flat mapping of keys "
            "to values.",
            path=path,
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys to values.", path=path)
    return data


class _Refused(Exception):
    """Marks the loader's own refusals (raised as a yaml.MarkedYAMLError subclass)."""


@functools.lru_cache(maxsize=1)
def _strict_loader() -> type[Any]:
    """yaml.SafeLoader without anchors, aliases, merge keys or duplicate keys
    (built on first use: yaml is imported by the commands that read a file)."""
    import yaml
    from yaml.constructor import ConstructorError

    class Refusal(ConstructorError, _Refused):
        pass

    merge_tag = "tag:yaml.org,2002:merge"

    class StrictLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            # An alias needs an anchor earlier in the file, so the anchor is
            # what is met first; the alias check covers a parser that differs.
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            mark, anchor = event.start_mark, getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent):
                raise Refusal(None, None, f"alias `*{anchor}` is not allowed in a settings "
                              "file: write the value out.", mark)
            if anchor is not None:
                raise Refusal(None, None, f"anchor `&{anchor}` is not allowed in a settings "
                              "file (nor are aliases): remove it and write each value out.",
                              mark)
            return super().compose_node(parent, index)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            first: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == merge_tag:
                    raise Refusal(None, None, "merge key `<<` is not allowed in a settings "
                                  "file: write each key out.", key_node.start_mark)
                key = self.construct_object(key_node, deep=True)
                try:
                    seen = first.get(key)
                except TypeError:
                    continue  # an unhashable key: SafeLoader refuses it itself
                if seen is not None:
                    raise Refusal(
                        None, None,
                        f"key `{key}` is given twice (first on line {seen}); YAML would "
                        "silently keep the last one. Remove one of them.",
                        key_node.start_mark,
                    )
                first[key] = key_node.start_mark.line + 1
            return super().construct_mapping(node, deep=deep)

    return StrictLoader
