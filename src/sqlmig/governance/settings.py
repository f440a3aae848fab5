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
    # true: every connection to this environment's database must be encrypted,
    # as the server sees it (pg_stat_ssl); see sqlmig.governance.tls.
    require_tls: bool = False
    # off | warn | required: before a plan that takes strong locks, look for the
    # sessions it would wait behind (sqlmig.governance.preflight).
    preflight: str = "warn"
    preflight_max_transaction_age: Duration = of_seconds(300)
    preflight_max_replication_lag: Duration | None = None  # None: not checked

    @property
    def governed(self) -> bool:
        """Whether anything here is stricter than the defaults: such an
        environment binds its database on its first run."""
        return self != PolicySettings()


def _optional_duration(value: object) -> Duration | None:
    """A positive duration, or null (the binding's record of an unset key)."""
    return None if value is None else settings.positive_duration(value)


SECTION = PolicySettings.declare(
    keys={
        "auto_apply": settings.flag,
        "backup": settings.choice("off", "required"),
        "approval": settings.choice("off", "required"),
        "approval_ttl": settings.positive_duration,
        "maintenance_window": window.parse_many,
        "require_clean_git": settings.flag,
        "access": settings.choice("open", "enforced"),
        "require_tls": settings.flag,
        "preflight": settings.choice("off", "warn", "required"),
        "preflight_max_transaction_age": settings.positive_duration,
        "preflight_max_replication_lag": _optional_duration,
    },
    policy=("access", "approval", "approval_ttl", "auto_apply", "backup", "maintenance_window",
            "require_clean_git", "require_tls", "preflight", "preflight_max_transaction_age",
            "preflight_max_replication_lag"),
)
