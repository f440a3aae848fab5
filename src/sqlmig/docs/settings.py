"""The ``docs:`` mapping of config/<env>.yaml: where docs go and how tables are grouped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core import settings

GROUP_BY = ("tag", "schema", "pattern")
_KEYS = {"out", "group_by", "groups", "min_coverage", "stats"}


@dataclass(frozen=True)
class DocsSettings(settings.SectionSettings):
    """The ``docs:`` mapping of an environment's config file."""

    section = "docs"
    out: str = "docs/schema"
    group_by: str = "tag"
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # group -> glob patterns, in order
    min_coverage: float = 100.0
    stats: bool = True


def parse(value: Any) -> DocsSettings:
    """Validate the ``docs:`` config mapping (raises ValueError with what is expected)."""
    expected = ("a mapping with keys out, group_by (tag|schema|pattern), "
                "groups ({group: [glob, ...]}), min_coverage (0-100), stats (true/false)")
    if not isinstance(value, dict) or set(value) - _KEYS:
        raise ValueError(expected)
    groups = value.get("groups") or {}
    if not isinstance(groups, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and v and all(isinstance(p, str) for p in v)
        for k, v in groups.items()
    ):
        raise ValueError(expected)
    cov = value.get("min_coverage", 100)
    if isinstance(cov, bool) or not isinstance(cov, (int, float)) or not 0 <= cov <= 100:
        raise ValueError(expected)
    group_by = value.get("group_by", "pattern" if groups else "tag")
    if group_by not in GROUP_BY or not isinstance(value.get("stats", True), bool) or not (
        isinstance(value.get("out", ""), str)
    ):
        raise ValueError(expected)
    return DocsSettings(
        out=value.get("out", "docs/schema"), group_by=group_by,
        groups=tuple((k, tuple(v)) for k, v in groups.items()),
        min_coverage=float(cov), stats=value.get("stats", True),
    )


def _build(values: Mapping[str, Any]) -> DocsSettings:
    return values.get("docs") or DocsSettings()


SECTION = settings.Section(name=DocsSettings.section, keys={"docs": parse}, build=_build)
