"""The features sqlmig ships, plugged into the core.

The core (:mod:`sqlmig.core`) knows no feature: each one declares its keys of
config/<env>.yaml as a :class:`~sqlmig.core.settings.Section` and its part
in a Session's operations as :class:`~sqlmig.core.session.Hooks`.  Importing
this module registers them all; :mod:`sqlmig` and :mod:`sqlmig.api` import it
first, so every Session made through them has the environment's policies.
Only light modules are imported here: each hook loads its feature when it
runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .backup import settings as backup_settings
from .checks import settings as checks_settings
from .core import connection, project, session, settings
from .docs import settings as docs_settings
from .fleet import targets as fleet_targets
from .governance import settings as governance_settings
from .schema import settings as schema_settings

if TYPE_CHECKING:
    from pathlib import Path

    import psycopg

    from .core.planner import Plan
    from .core.session import ChangeGuard, ChangeOptions, Session


def _policy_guard(s: Session, action: str, options: ChangeOptions) -> ChangeGuard:
    from .governance.policy import Guard

    return Guard(s, action, options)


def _tls_guard(s: Session, action: str, options: ChangeOptions) -> ChangeGuard:
    from .governance.tls import Guard

    return Guard(s)


def _tls_url(s: Session, url: str) -> str:
    from .governance import tls

    return tls.session_url(s, url)


def _tls_prepare(url: str) -> str:
    from .governance import tls

    return tls.prepare(url)


def _tls_opened(conn: psycopg.Connection, url: str) -> None:
    from .governance import tls

    tls.opened(conn, url)


def _refuse_on_drift(s: Session) -> None:
    if schema_settings.SchemaSettings.of(s.config).refuse_on_drift:
        from .schema.drift import refuse_if_drifted

        refuse_if_drifted(s)


def _lint_findings(s: Session, plan: Plan) -> Any:
    from .linter.plans import findings

    return findings(s, plan).findings


def _embedded_url(root: Path) -> str:
    from .adapters import embedded

    return embedded.url_for(root)


def _embedded_scratch(root: Path, major: int) -> str:
    from .adapters import embedded

    return embedded.scratch_server(root, major)


for _section in (governance_settings.SECTION, backup_settings.SECTION, checks_settings.SECTION,
                 schema_settings.SECTION,
                 docs_settings.SECTION, fleet_targets.SECTION):
    settings.register(_section)
settings.NOT_ENVIRONMENTS.add("lint")  # config/lint.yaml: the linter's (sqlmig.linter.settings)
session.HOOKS.before_apply[:] = [_refuse_on_drift]
session.HOOKS.guards[:] = [_policy_guard, _tls_guard]  # TLS after the binding's policy
session.HOOKS.url[:] = [_tls_url]
connection.PREPARE[:] = [_tls_prepare]
connection.OPENED[:] = [_tls_opened]
session.HOOKS.findings = _lint_findings
project.URL_RESOLVERS[settings.EMBEDDED] = _embedded_url
schema_settings.EMBEDDED[:] = [_embedded_scratch]
