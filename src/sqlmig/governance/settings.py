"""The governance keys of config/<env>.yaml: who may change an environment, when, and how."""

from __future__ import annotations

from dataclasses import dataclass

from ..core import settings
from ..core.duration import Duration, of_seconds
from . import window


@dataclass(frozen=True)
class PolicySettings(settings.SectionSettings):
    """The environment's rules; the defaults are the permissive ones, the strict
    values live in the project's config/<env>.yaml."""

    section = "governance"
    auto_apply: bool = True  # false: a human confirms the plan (or --yes)
    backup: str = "off"  # off | required: a verified pg_dump before every change
    approval: str = "off"  # off | required: an unexpired approval of exactly the plan
    approval_ttl: Duration = of_seconds(7200)
    maintenance_window: tuple[window.Window, ...] = ()
    require_clean_git: bool = False
    # open | enforced: changes only through a governed ledger (`sqlmig access
    # setup`), by a login that cannot rewrite it (no superuser, no sqlmig_owner).
    access: str = "open"

    @property
    def governed(self) -> bool:
        """Whether anything here is stricter than the defaults: such an
        environment binds its database on its first run."""
        return self != PolicySettings()


SECTION = PolicySettings.declare(
    keys={
        "auto_apply": settings.flag,
        "backup": settings.choice("off", "required"),
        "approval": settings.choice("off", "required"),
        "approval_ttl": settings.positive_duration,
        "maintenance_window": window.parse_many,
        "require_clean_git": settings.flag,
        "access": settings.choice("open", "enforced"),
    },
    policy=("access", "approval", "approval_ttl", "auto_apply", "backup", "maintenance_window",
            "require_clean_git"),
)
