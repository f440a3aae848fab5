"""Data classification tags in table and column comments.

The convention (docs/compliance.md): words starting with ``@`` anywhere in a
comment, the comment's prose left as it is::

    COMMENT ON COLUMN users.email IS 'Login and contact address. @pii email';
    COMMENT ON TABLE users IS 'Accounts. @contains-personal-data @retention 400d';

- ``@pii KIND`` (a column): personal data of that kind (``email``, ``name``,
  ``ip-address``...), or ``@pii none``: looked at, and not personal data;
- ``@retention N{d,w,m,y}``: how long rows are kept;
- ``@classification public|internal|confidential|restricted``;
- ``@contains-personal-data`` (a table): every column must carry ``@pii``;
- ``@group NAME`` (a table): the docs' grouping (:mod:`sqlmig.docs.model`).

Anything else after an ``@`` that starts a word (not the middle of an e-mail
address) is an unknown tag; a missing or malformed value is a problem too.
The catalog layer (:class:`~sqlmig.schema.catalog.Column` and ``Table``)
exposes the result as ``.classification``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalog import Catalog

LEVELS = ("public", "internal", "confidential", "restricted")
_TAG = re.compile(r"(?<![\w@.])@([A-Za-z][\w-]*)(?:[ \t]+([^\s@]+))?")
_KIND = re.compile(r"^[a-z][a-z0-9_-]*\Z")
_RETENTION = re.compile(r"^[1-9][0-9]*[dwmy]\Z")
_WITH_VALUE = {"pii", "retention", "classification", "group"}
KNOWN = ("classification", "contains-personal-data", "group", "pii", "retention")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


@dataclass(frozen=True)
class Classification:
    """What a comment's tags say (all None/False for an untagged comment)."""

    pii: str | None = None  # a kind, or "none"
    retention: str | None = None  # e.g. "400d"
    level: str | None = None  # @classification
    personal_data: bool = False  # @contains-personal-data
    problems: tuple[str, ...] = ()  # unknown tags, malformed values, misplaced tags

    @property
    def classified(self) -> bool:
        """``@pii KIND`` or ``@pii none``: someone decided."""
        return self.pii is not None

    @property
    def retention_days(self) -> int | None:
        if self.retention is None:
            return None
        return int(self.retention[:-1]) * _DAYS[self.retention[-1]]

    @property
    def label(self) -> str:
        """The tags as one short text for docs (empty when there are none)."""
        parts = []
        if self.personal_data:
            parts.append("personal data")
        if self.pii is not None:
            parts.append("not personal" if self.pii == "none" else f"pii: {self.pii}")
        if self.level:
            parts.append(self.level)
        if self.retention:
            parts.append(f"keep {self.retention}")
        return ", ".join(parts)


def parse(comment: str | None, *, on: str) -> Classification:
    """The tags of a ``table`` or ``column`` comment (``on``)."""
    values: dict[str, str | None] = {}
    problems: list[str] = []
    for m in _TAG.finditer(comment or ""):
        tag, raw = m.group(1).lower(), m.group(2)
        value = raw.rstrip(".,;:)") if raw is not None and tag in _WITH_VALUE else None
        if tag not in KNOWN:
            problems.append(f"unknown tag @{m.group(1)} (known: "
                            + ", ".join(f"@{k}" for k in KNOWN) + ")")
            continue
        if tag in values:
            problems.append(f"@{tag} appears twice")
            continue
        if tag in _WITH_VALUE and not value:
            problems.append(f"@{tag} needs a value")
            continue
        problem = _check(tag, value, on)
        if problem:
            problems.append(problem)
            continue
        values[tag] = value
    return Classification(
        pii=values.get("pii"), retention=values.get("retention"),
        level=values.get("classification"), personal_data="contains-personal-data" in values,
        problems=tuple(problems))


def _check(tag: str, value: str | None, on: str) -> str | None:
    if tag == "pii" and on != "column":
        return "@pii belongs on a column comment"
    if tag in ("contains-personal-data", "group") and on != "table":
        return f"@{tag} belongs on a table comment"
    if tag == "pii" and not _KIND.match(value or ""):
        return f"@pii {value}: expected a kind in lower case (email, name...) or none"
    if tag == "retention" and not _RETENTION.match(value or ""):
        return f"@retention {value}: expected a number and d, w, m or y (400d, 2y)"
    if tag == "classification" and value not in LEVELS:
        return f"@classification {value}: expected one of {', '.join(LEVELS)}"
    return None


def strip(comment: str | None) -> str:
    """The comment without its tags (what a reader of the prose wants)."""
    return " ".join(_TAG.sub("", comment or "").split())


def findings(catalog: Catalog, *, require: bool) -> list[str]:
    """Each tag problem of the catalog's tables and columns, naming
    ``table.column``; with ``require``, also each column of a table marked
    ``@contains-personal-data`` that has no ``@pii`` (partitions are left out:
    their comments are their own, their columns their parent's)."""
    out: list[str] = []
    for t in catalog.tables:
        if t.partition_of is not None:
            continue
        tc = t.classification
        out += [f"table {t.qualified}: {p}" for p in tc.problems]
        for col in t.columns:
            cc = col.classification
            out += [f"column {t.qualified}.{col.name}: {p}" for p in cc.problems]
            if require and tc.personal_data and not cc.classified:
                out.append(f"column {t.qualified}.{col.name}: not classified, and "
                           f"{t.qualified} is marked @contains-personal-data: add "
                           "`@pii KIND` or `@pii none` to its comment")
    return out
