"""config/lint.yaml: which rules run, at which severity, and the thresholds of
the size-aware rules.

    profile: strict                # default | strict: strict also runs the opt-in rules
    rules:
      varchar-length: off          # disable
      missing-comment: warning     # change the severity
    thresholds:
      large_table_rows: 1000000    # above this, locking findings become errors
      rewrite_mb_per_second: 100   # used to estimate rewrite times

Unknown rules, severities and keys are errors (exit 2), like the rest of
sqlmig's configuration: a typo must not silently turn a rule off.

The opt-in rules (``Rule.opt_in``: missing-comment, create-without-if-not-exists,
drop-without-if-exists, unclassified-personal-data) are off in the ``default`` profile; ``strict`` turns
them on, and naming one under ``rules:`` sets it whatever the profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.settings import read_yaml, unknown_key
from ..errors import ConfigError
from .rules import DEFAULT_PROFILE, PROFILES, RULES, SEVERITIES

OFF = "off"
FILE_NAME = "lint.yaml"

THRESHOLDS: dict[str, float] = {
    "large_table_rows": 1_000_000,
    "rewrite_mb_per_second": 100.0,
}


@dataclass(frozen=True)
class LintSettings:
    severities: dict[str, str] = field(default_factory=dict)  # rule -> severity or "off"
    large_table_rows: int = int(THRESHOLDS["large_table_rows"])
    rewrite_mb_per_second: float = THRESHOLDS["rewrite_mb_per_second"]
    path: Path | None = None
    profile: str = DEFAULT_PROFILE

    def severity(self, rule: str) -> str:
        if rule in self.severities:
            return self.severities[rule]
        r = RULES[rule]
        if r.opt_in and rule not in PROFILES[self.profile]:
            return OFF
        return r.severity

    def enabled(self, rule: str) -> bool:
        return self.severity(rule) != OFF


def load(config_dir: Path | None) -> LintSettings:
    """Read ``config_dir/lint.yaml``; defaults when there is none."""
    if config_dir is None:
        return LintSettings()
    path = config_dir / FILE_NAME
    if not path.exists():
        return LintSettings()
    data = read_yaml(path)
    for key in data:
        if key not in ("profile", "rules", "thresholds"):
            raise unknown_key(path, str(key), {"profile", "rules", "thresholds"})
    return LintSettings(
        severities=_rules(path, data.get("rules") or {}),
        path=path,
        profile=_profile(path, data.get("profile", DEFAULT_PROFILE)),
        **_thresholds(path, data.get("thresholds") or {}),
    )


def _profile(path: Path, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ConfigError(f"{path}: `profile:` must be one of {', '.join(PROFILES)}; got "
                          f"{raw!r}.", path=path)
    if raw not in PROFILES:
        raise unknown_key(path, raw, PROFILES, what="profile")
    return raw


def _rules(path: Path, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: `rules:` must map rule ids to a severity or off.", path=path)
    out = {}
    for rule, value in raw.items():
        if rule not in RULES:
            raise unknown_key(path, str(rule), RULES, what="rule",
                              listed="`sqlmig lint --explain` lists the rules")
        # YAML reads a bare `off` as the boolean False.
        text = OFF if value is False else str(value).lower()
        if text not in (*SEVERITIES, OFF):
            raise ConfigError(
                f"{path}: bad value for rule `{rule}`: {value!r}; expected error, warning, "
                "note or off.",
                path=path,
            )
        out[str(rule)] = text
    return out


def _thresholds(path: Path, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: `thresholds:` must be a mapping.", path=path)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in THRESHOLDS:
            raise unknown_key(path, str(key), THRESHOLDS, what="threshold")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(
                f"{path}: bad value for threshold `{key}`: {value!r}; expected a positive number.",
                path=path,
            )
        out[key] = int(value) if key == "large_table_rows" else float(value)
    return out
