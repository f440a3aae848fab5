"""The schema keys of config/<env>.yaml: drift refusal and the seed for `verify --with-data`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core import settings


@dataclass(frozen=True)
class SchemaSettings(settings.SectionSettings):
    section = "schema"
    refuse_on_drift: bool = False  # apply refuses when the schema drifted
    seed_script: str | None = None  # `verify --with-data`; default demo/seed.py


def _seed_script(value: Any) -> str:
    if not isinstance(value, str) or not value.strip().endswith((".py", ".sql")):
        raise ValueError("a path to a .py file defining seed(conninfo, ...) or a .sql file, "
                         "relative to the project root")
    return value.strip()


SECTION = SchemaSettings.declare(
    keys={"refuse_on_drift": settings.flag, "seed_script": _seed_script},
)
