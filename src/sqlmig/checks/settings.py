"""The checks' keys of config/<env>.yaml: which role the checks run as."""

from __future__ import annotations

from dataclasses import dataclass

from ..core import settings

# The read-only roles tried, in order, when ``check_role`` is not set.
DEFAULT_ROLES = ("sqlmig_checker", "pg_read_all_data")


@dataclass(frozen=True)
class CheckSettings(settings.SectionSettings):
    section = "checks"
    # The role every check runs as (SET ROLE). None: sqlmig_checker, else
    # pg_read_all_data, else the login itself (see sqlmig.checks.role).
    check_role: str | None = None


SECTION = CheckSettings.declare(keys={"check_role": settings.text("a role name")})


def of(config: settings.Config) -> CheckSettings:
    """The environment's check settings (the defaults if the section is not
    registered, so that the checks run the same either way)."""
    value = config.sections.get(SECTION.name)
    return value if isinstance(value, CheckSettings) else CheckSettings()
