"""Environment policies, enforced by the library before anything changes.

:class:`Guard` wraps one apply, rollback or resolve of a
:class:`~sqlmig.session.Session`.  ``check(plan)`` runs the environment's
rules in a fixed order, cheapest and least interactive first, so that a
user is never asked to confirm a plan that a later rule refuses, and a
backup is only made once everything else has agreed:

1. ``--emergency`` needs ``--reason``;
2. ``maintenance_window`` (an emergency overrides it, loudly and audited);
3. ``require_clean_git``;
4. ``approval: required`` (an unexpired approval of exactly this plan);
5. confirmation when ``auto_apply`` is false (``yes`` or a ``confirm`` callback);
6. ``backup: required`` (a verified pg_dump);
7. the approval is consumed.

Leaving the ``with`` block writes the audit row: ok, failed (with the
versions that did complete) or refused.  Because the CLI calls the same
Session methods, a deploy script importing sqlmig meets the same refusals.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timezone
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import window as window_mod
from ..errors import MigrationFailed, PolicyRefusal, SafetyRefusal, SqlmigError

if TYPE_CHECKING:
    from .approval import Request
    from ..backup.dump import BackupResult
    from ..core.planner import Plan
    from ..core.results import AppliedMigration
    from ..core.session import Session

log = logging.getLogger("sqlmig.policy")

Confirm = Callable[["Plan"], bool]


# -- config keys (registered in config.KEYS) -------------------------------------------


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def _choice(*allowed: str) -> Callable[[Any], str]:
    def validate(value: Any) -> str:
        if value is False:  # YAML reads a bare `off` as false
            value = "off"
        if value not in allowed:
            raise ValueError(" or ".join(allowed))
        return str(value)

    return validate


_UNITS = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "d": 86400}


def _ttl(value: Any) -> float:
    """A positive duration such as 2h, 90min, 1d or 3600 (seconds), in seconds."""
    import re

    expected = "a positive duration such as 2h, 90min, 1d or a number of seconds"
    if isinstance(value, bool):
        raise ValueError(expected)
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|sec|min|m|h|d)?\s*", str(value))
        if not m:
            raise ValueError(expected)
        seconds = float(m.group(1)) * _UNITS[m.group(2) or "s"]
    if seconds <= 0:
        raise ValueError(expected)
    return seconds


def _count(minimum: int) -> Callable[[Any], int]:
    def validate(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValueError(f"a whole number, {minimum} or more")
        return value

    return validate


def _delay(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError("a number of seconds, 0 or more")
    return float(value)


def _windows(value: Any) -> tuple[window_mod.Window, ...]:
    return window_mod.parse_many(value)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a non-empty path")
    return value.strip()


CONFIG_KEYS: dict[str, Callable[[Any], Any]] = {
    "auto_apply": _bool,
    "verbose": _bool,
    "log_level": _choice("debug", "info", "warning", "error"),
    "backup": _choice("off", "required"),
    "approval": _choice("off", "required"),
    "approval_ttl": _ttl,
    "maintenance_window": _windows,
    "require_clean_git": _bool,
    "lock_retries": _count(0),
    "lock_retry_delay": _delay,
    "backup_dir": _text,
    "keep_backups": _count(1),
    "pg_bin_dir": _text,
    "pg_dump_path": _text,
    "restore": _choice("allowed", "emergency", "refused"),
}


# -- the guard ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeOptions:
    """What the caller of apply/rollback said: ``yes`` (confirmed in advance), a
    ``confirm`` callback shown the plan, and ``emergency`` with its ``reason``."""

    yes: bool = False
    confirm: Confirm | None = None
    emergency: bool = False
    reason: str | None = None


class Guard:
    """The policy checks and the audit row of one apply, rollback or resolve."""

    def __init__(self, session: Session, action: str, options: ChangeOptions | None = None
                 ) -> None:
        self.session = session
        self.action = action
        self.options = options or ChangeOptions()
        self.plan: Plan | None = None
        self.versions: list[int] = []
        self.approval: Request | None = None
        self.backup: BackupResult | None = None
        self.detail: str | None = None
        self._history_id = 0
        self._started = 0.0
        self._git_head: str | None = None
        # Bookkeeping actions are audited even though they run no plan.
        self.always = action in ("resolve", "request", "approve", "reject")

    # -- entering and leaving ---------------------------------------------------------

    def __enter__(self) -> Guard:
        self._started = time.perf_counter()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is None:
            if self.always or (self.plan is not None and self.plan.steps):
                self._stamp_ledger()
                self._audit("ok")
            return
        if not isinstance(exc, SqlmigError):
            return
        done = getattr(exc, "applied", None)
        if isinstance(done, list) and done:
            # Migrations before the failing one stay applied: their ledger rows
            # get the backup too.
            self.versions = [m.version for m in done]
            self._stamp_ledger()
        refused = isinstance(exc, SafetyRefusal) and not isinstance(exc, MigrationFailed)
        if self.plan is None and not refused and not self.always:
            return
        import psycopg

        try:
            self._audit("refused" if refused else "failed", detail=str(exc))
        except psycopg.Error as audit_exc:
            # The run's own error is what the user must see; the connection
            # may be the reason both failed.
            log.error("could not write the audit row for %s: %s", self.action, audit_exc)

    def done(self, applied: list[AppliedMigration]) -> None:
        self.versions = [m.version for m in applied]

    # -- the rules ------------------------------------------------------------------

    def check(self, plan: Plan) -> None:
        """Refuse (PolicyRefusal, BackupFailed) unless every rule allows ``plan``."""
        self.plan = plan
        if not plan.steps:
            return
        cfg = self.session.config
        opts = self.options
        now = self.session.clock()
        verb = "apply" if plan.direction == "up" else "roll back"
        if opts.emergency and not (opts.reason and opts.reason.strip()):
            raise PolicyRefusal(
                f"--emergency needs --reason: say why this {self.action} cannot wait "
                '(e.g. --reason "incident 4711: ..."). Nothing was changed.',
                policy="emergency",
            )
        if cfg.maintenance_window:
            self._check_window(cfg.maintenance_window, now, verb)
        if cfg.require_clean_git:
            self._check_git()
        approval = None
        if cfg.approval == "required":
            from . import approval as approval_mod

            approval = approval_mod.find_valid(self.session, plan, now)
        if not cfg.auto_apply and not opts.yes:
            if opts.confirm is None:
                raise PolicyRefusal(
                    f"environment {cfg.env!r} requires confirmation (auto_apply: false): pass "
                    f"--yes to {verb} without a prompt (yes=True from Python, or a confirm "
                    "callback). Nothing was changed.",
                    policy="confirmation",
                )
            if not opts.confirm(plan):
                raise PolicyRefusal(f"not confirmed: nothing was {_done(plan)}.",
                                    policy="confirmation")
        if cfg.backup == "required":
            from . import audit
            from ..backup import dump as backup

            self.backup = backup.make(self.session, verify="list", reason=f"before {self.action}")
            self._history_id = audit.last_history_id(self.session.conn, self.session.ledger)
        if approval is not None:
            from . import approval as approval_mod

            self.approval = approval_mod.consume(self.session, approval, now)

    def _check_window(self, windows: tuple[window_mod.Window, ...], now: Any, verb: str) -> None:
        if window_mod.inside(windows, now) is not None:
            return
        cfg = self.session.config
        listed = "; ".join(str(w) for w in windows)
        nxt = window_mod.next_opening(windows, now)
        when = ""
        if nxt is not None:
            opening, w = nxt
            local = opening.astimezone(w._tz())
            when = (f" The next window opens {opening:%a %Y-%m-%d %H:%M} UTC"
                    + (f" ({local:%a %H:%M} {w.zone})" if w.zone != "UTC" else "") + ".")
        if not self.options.emergency:
            raise PolicyRefusal(
                f"environment {cfg.env!r} allows changes only inside its maintenance window "
                f"({listed}); it is {now.astimezone(timezone.utc):%a %Y-%m-%d %H:%M} UTC.{when} "
                f"Nothing was changed. In an incident, {verb} with --emergency --reason TEXT.",
                policy="maintenance_window",
            )
        log.warning(
            "EMERGENCY OVERRIDE: %s on %r outside its maintenance window (%s) by %s: %s",
            self.action, cfg.env, listed, self._db_user(), self.options.reason,
        )
        self._audit("ok", action="override", detail=f"outside the maintenance window ({listed})")

    def _check_git(self) -> None:
        project = self.session.project
        state = project.git
        if state.head is None:
            raise PolicyRefusal(
                f"environment {self.session.config.env!r} requires a clean git working tree "
                f"(require_clean_git: true), but {project.root} is not in a git repository with "
                "a commit. Run from a checkout of the reviewed commit.",
                policy="require_clean_git",
            )
        dirty = state.dirty_under(project.sql_dir)
        if dirty:
            raise PolicyRefusal(
                f"environment {self.session.config.env!r} requires a clean git working tree "
                "(require_clean_git: true), and sql/ has uncommitted changes. Commit them (and "
                "have them reviewed) or discard them. Nothing was changed.",
                policy="require_clean_git",
                problems=dirty,
            )

    # -- audit ------------------------------------------------------------------------

    def _audit(self, outcome: str, *, action: str | None = None, detail: str | None = None,
               versions: list[int] | None = None) -> None:
        from . import audit
        from ..core.connection import password_of

        session = self.session
        if not audit.exists(session.conn, session.ledger):
            return
        if versions is None:
            # The plan's versions: what this run was about, whether it completed,
            # failed half-way (the detail says where) or was refused.
            versions = [s.version for s in self.plan.steps] if self.plan else self.versions
        audit.record(
            session.conn, session.ledger,
            at=session.clock(), env=session.config.env, action=action or self.action,
            outcome=outcome, versions=versions, git_commit=self._head(),
            duration_ms=round((time.perf_counter() - self._started) * 1000),
            emergency=self.options.emergency, reason=self.options.reason,
            detail=detail if detail is not None else self.detail,
            request_id=self.approval.id if self.approval else None,
            backup_file=self.backup.file.name if self.backup else None,
            backup_sha256=self.backup.sha256 if self.backup else None,
            secrets=[password_of(session.url)],
        )

    def _stamp_ledger(self) -> None:
        from . import audit

        if self.backup is not None and self.versions:
            audit.stamp_ledger(self.session.conn, self.session.ledger, self.versions,
                               self._history_id, self.backup.file.name, self.backup.sha256)

    def _head(self) -> str | None:
        if self._git_head is None:
            self._git_head = self.session.project.git.head or ""
        return self._git_head or None

    def _db_user(self) -> str:
        row = self.session.conn.execute("SELECT session_user").fetchone()
        return str(row[0]) if row else "?"


def _done(plan: Plan) -> str:
    return "applied" if plan.direction == "up" else "rolled back"


def prompt(env: str) -> Confirm:
    """The CLI's confirmation: show the plan on stderr and ask.  End of input
    (a non-interactive run without --yes) counts as no."""
    import click

    def confirm_plan(plan: Plan) -> bool:
        verb = "apply" if plan.direction == "up" else "roll back"
        click.echo(f"{env}: {len(plan.steps)} migration(s) to {verb}:", err=True)
        for step in plan.steps:
            click.echo(f"  {step.file.relpath}  sha256 {step.file.checksum[:12]}", err=True)
        return ask(f"{verb.capitalize()} these on {env}?")

    return confirm_plan


def announce(env: str, emergency: bool, reason: str | None) -> None:
    """The CLI's loud banner for an emergency run (the library logs it too)."""
    if not emergency:
        return
    import click

    click.echo(click.style(
        f"EMERGENCY OVERRIDE requested on {env!r}: {reason or '(no reason given)'} -- "
        "the maintenance window is bypassed and this run is recorded in the audit log.",
        fg="red", bold=True), err=True)


def ask(question: str) -> bool:
    """The CLI's yes/no question on stderr; end of input counts as no."""
    import click

    try:
        return click.confirm(question, default=False, err=True)
    except click.Abort:
        click.echo("\nno answer (end of input): pass --yes in non-interactive runs", err=True)
        return False
