"""Environment policies, enforced by the library before anything changes.

:class:`Guard` wraps one apply, rollback or resolve of a
:class:`~sqlmig.session.Session`.  ``check(plan)`` runs the environment's
rules in a fixed order, cheapest and least interactive first, so that a
user is never asked to confirm a plan that a later rule refuses, and a
backup is only made once everything else has agreed:

0. the database's environment binding (:mod:`.binding`): another environment
   is refused, and the recorded policy replaces a weaker config's;
1. ``--emergency`` needs ``--reason``; ``access: enforced`` needs a governed
   ledger and a login that cannot rewrite it (:mod:`.access`);
2. ``maintenance_window``, by the server's clock (an emergency overrides it, loudly and audited);
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
from datetime import timezone
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..core.session import ChangeOptions
from ..errors import Interrupted, MigrationFailed, PolicyRefusal, SafetyRefusal, SqlmigError
from . import window as window_mod
from .settings import PolicySettings

if TYPE_CHECKING:
    from .approval import Request
    from ..backup.dump import BackupResult
    from ..core.planner import Plan
    from ..core.results import AppliedMigration
    from ..core.session import Session

log = logging.getLogger("sqlmig.policy")

# -- the guard ------------------------------------------------------------------------


class Guard:
    """The policy checks and the audit row of one apply, rollback or resolve."""

    def __init__(self, session: Session, action: str, options: ChangeOptions | None = None,
                 *, bind: bool = False) -> None:
        self.session = session
        self.action = action
        self.options = options or ChangeOptions()
        self.plan: Plan | None = None
        self.versions: list[int] = []
        self.approval: Request | None = None
        self.backup: BackupResult | None = None
        self.detail: str | None = None
        self.binding: Any = None
        self._history_id = 0
        self._started = 0.0
        self._git_head: str | None = None
        # Bookkeeping actions are audited even though they run no plan.
        self.always = action in ("resolve", "request", "approve", "reject", "bind")
        # Changing the binding is the one thing done under another environment.
        self._rebinding = bind

    # -- entering and leaving ---------------------------------------------------------

    def __enter__(self) -> Guard:
        from . import binding

        self._started = time.perf_counter()
        if self._rebinding:
            return self
        try:
            self.binding = binding.enforce(self.session, self.action)
        except PolicyRefusal as exc:
            self.__exit__(type(exc), exc, None)
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is None:
            if self.action == "bind":
                return  # the server audits every change of the binding itself
            if self.always or (self.plan is not None and has_work(self.plan)):
                self._stamp_ledger()
                self._audit("ok")
            return
        if not isinstance(exc, (SqlmigError, Interrupted)):
            return
        import psycopg

        refused = isinstance(exc, SafetyRefusal) and not isinstance(exc, MigrationFailed)
        outcome = "interrupted" if isinstance(exc, Interrupted) else (
            "refused" if refused else "failed")
        try:
            done = getattr(exc, "applied", None)
            if isinstance(done, list) and done:
                # Migrations before the failing one stay applied: their ledger
                # rows get the backup too.
                self.versions = [m.version for m in done]
                self._stamp_ledger()
            if self.plan is None and not refused and not self.always:
                return
            self._audit(outcome, detail=str(exc))
        except (psycopg.Error, SqlmigError) as audit_exc:
            # The run's own error is what the user must see; the connection
            # may be the reason both failed.
            log.error("could not write the audit row for %s: %s", self.action, audit_exc)

    def done(self, applied: list[AppliedMigration]) -> None:
        self.versions = [m.version for m in applied]

    def note(self, versions: list[int], detail: str) -> None:
        """What a change without a plan (a resolve) was about, for its audit row."""
        self.versions = versions
        self.detail = detail

    # -- the rules ------------------------------------------------------------------

    def check(self, plan: Plan) -> None:
        """Refuse (PolicyRefusal, BackupFailed) unless every rule allows ``plan``."""
        self.plan = plan
        if not has_work(plan):
            return
        cfg = self.session.config
        rules = PolicySettings.of(cfg)
        opts = self.options
        verb = "apply" if plan.direction == "up" else "roll back"
        if opts.emergency and not (opts.reason and opts.reason.strip()):
            raise PolicyRefusal(
                f"--emergency needs --reason: say why this {self.action} cannot wait "
                '(e.g. --reason "incident 4711: ..."). Nothing was changed.',
                policy="emergency",
            )
        if rules.access == "enforced":
            from . import access

            access.refuse_unless_enforced(self.session)
        if rules.maintenance_window:
            # The server's clock, never the client's: a frozen or fast client
            # cannot open a window.
            self._check_window(rules.maintenance_window, self._server_now(), verb)
        if rules.require_clean_git:
            self._check_git()
        from . import preflight  # the sessions its strong locks would wait behind

        preflight.enforce(self.session, plan)
        approval = None
        if rules.approval == "required":
            from . import approval as approval_mod

            approval = approval_mod.find_valid(self.session, plan)
        if not rules.auto_apply and not opts.yes:
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
        if self.binding is None and rules.governed:
            self._bind()
        if rules.backup == "required":
            from ..core import audit
            from ..backup import dump as backup

            self.backup = backup.make(self.session, verify="list", reason=f"before {self.action}")
            self._history_id = audit.last_history_id(self.session.conn, self.session.ledger)
        if approval is not None:
            from . import approval as approval_mod

            self.approval = approval_mod.consume(self.session, approval, plan)

    def _bind(self) -> None:
        """The first governed run records which environment this database is."""
        from . import binding

        # The server writes the audit row of the binding (a trigger).
        self.binding = binding.bind(self.session)

    def _server_now(self) -> Any:
        row = self.session.conn.execute("SELECT clock_timestamp()").fetchone()
        assert row is not None
        return row[0]

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
        from ..core import audit
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
            env=session.config.env, action=action or self.action,
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
        from ..core import audit

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


def has_work(plan: Plan) -> bool:
    """Whether ``plan`` changes anything: versioned steps or repeatables to run.
    A plan of repeatables only is a change like any other (approval, window,
    confirmation, backup, audit)."""
    return bool(plan.steps or plan.repeatables)


def _done(plan: Plan) -> str:
    return "applied" if plan.direction == "up" else "rolled back"
