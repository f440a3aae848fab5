"""``sqlmig access`` and ``sqlmig environment`` on the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .text import table, timestamp

if TYPE_CHECKING:
    from ...governance.access import AccessChange, AccessReport
    from ...governance.binding import Binding


def change(result: AccessChange) -> str:
    if not result.applied:
        return result.sql.rstrip()
    out = "done."
    if result.bound_to:
        out += f" The database is bound to environment {result.bound_to!r}."
    return out


def report(r: AccessReport) -> str:
    lines = [
        f"ledger schema {r.schema!r}: "
        + (f"governed (owned by {r.owner})" if r.governed
           else f"open (owned by {r.owner})" if r.owner else "no ledger yet"),
        f"environment: {r.environment or 'not bound'}",
        f"DDL on sqlmig's tables reported to the server log: {'yes' if r.watch_ddl else 'no'}",
        "",
        *table(("Capacity", "Members"),
              [(c, ", ".join(m) or "-") for c, m in r.members.items()]),
        "",
        f"can rewrite everything sqlmig records: superusers {', '.join(r.superusers) or '-'}"
        + (f"; members of sqlmig_owner {', '.join(r.owner_members)}" if r.owner_members else ""),
    ]
    lines += [f"warning: {w}" for w in r.warnings]
    return "\n".join(lines)


def binding(b: Binding | None) -> str:
    if b is None:
        return "this database is not bound to an environment."
    lines = [f"bound to environment {b.name!r} since {timestamp(b.bound_at)} by {b.bound_by}"
             + (f" ({b.bound_os_user})" if b.bound_os_user else "")
             + (f", approved in request #{b.request_id}" if b.request_id else "")]
    for section, values in sorted(b.policy.items()):
        for key, value in sorted(values.items()):
            lines.append(f"  {key}: {value}")
    return "\n".join(lines)
