"""Every error sqlmig raises, and the exit code the CLI maps it to.

    SqlmigError                      base class; ``exit_code`` 1
    ├── ConfigError                  bad project layout, config file or option, or a
    │                                missing optional package (exit 2)
    │   ├── OptionError              an option that does not apply here, e.g. a fleet
    │   │                            option on one database (exit 2)
    │   └── ConnectionFailed         the database could not be reached: a wrong URL,
    │                                host, password, or no server (exit 2)
    ├── MigrationFileError           a SQL file sqlmig refuses to run: name, encoding,
    │                                directive, transaction control, meta-command (exit 2)
    ├── DatabaseError                the server rejected SQL (exit 1)
    │   ├── MigrationFailed          ... while applying or rolling back a file; carries
    │   │   │                        file, line, column, SQLSTATE and the diagnostics
    │   │   └── MigrationLockTimeout its table locks were not obtained within lock_timeout
    │   │                            after lock_retries (exit 3; the file was rolled back)
    │   └── RestoreFailed            pg_restore failed (exit 1)
    ├── ServerError                  the embedded server could not be started (exit 1)
    ├── CheckFailed                  a --check found generated output out of date or
    │                                below its threshold (exit 1); ``problems`` lists it
    └── SafetyRefusal                a guard refused to go on; nothing was changed (exit 3)
        ├── ManifestMismatch         sql/manifest.sha256 disagrees with the files
        ├── ChecksumDrift            an applied file changed since it was applied
        ├── LedgerProblem            applied versions without files, failed migrations,
        │                            out-of-order pending versions, missing rollbacks
        ├── LockTimeout              another runner holds the migration lock
        ├── PolicyRefusal            an environment policy (window, approval, confirmation,
        │                            clean git, restore) refused; ``policy`` names the rule
        ├── BackupFailed             a required backup could not be made or verified
        └── DriftDetected            refuse_on_drift: the schema differs from what its
                                     applied migrations produce

    Interrupted                      SIGINT or SIGTERM stopped the run (exit 128 + the
                                     signal: 130, 143).  A KeyboardInterrupt, not a
                                     SqlmigError, so that ``except Exception`` cannot
                                     swallow it; ``applied`` lists what completed.

Every exception carries structured fields (``path``, ``line``, ``column``,
``sqlstate``) where they apply, so a deploy script can act on them without
parsing the message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Applied(Protocol):
    """A migration that completed before the failure (``sqlmig.AppliedMigration``)."""

    @property
    def version(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def execution_ms(self) -> int: ...


class SqlmigError(Exception):
    """Base class of every error raised by sqlmig."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        sqlstate: str | None = None,
        problems: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.sqlstate = sqlstate
        self.problems = list(problems or [])

    # How many problems the message lists: a thousand-file mismatch says the
    # first ones and how many more; ``problems`` (and --json) keeps them all.
    SHOWN = 25

    def __str__(self) -> str:
        text = self.message
        if self.problems:
            text += "".join(f"\n  - {p}" for p in self.problems[:self.SHOWN])
            if len(self.problems) > self.SHOWN:
                text += (f"\n  ... and {len(self.problems) - self.SHOWN} more "
                         "(--json lists every one)")
        return text


class ConfigError(SqlmigError):
    """The project, a config file or a command-line option is wrong."""

    exit_code = 2


class OptionError(ConfigError):
    """Options that do not apply to what the environment is: fleet options
    (``jobs``, ``canary``...) on one database, or one-database options on a
    fleet.  The CLI shows it as a usage error, with the command's usage line."""


class ConnectionFailed(ConfigError):
    """The database could not be reached (wrong URL, host, port, password, or no
    server running): a configuration problem, exit 2; nothing was run.  The
    message shows the URL with its password redacted."""


class MigrationFileError(SqlmigError):
    """A SQL file that sqlmig refuses to run; nothing was executed."""

    exit_code = 2


class DatabaseError(SqlmigError):
    """The server rejected SQL."""

    exit_code = 1


class MigrationFailed(DatabaseError):
    """A migration or rollback file failed on the server.

    ``applied`` lists the migrations that completed earlier in the same run
    and stay applied.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        sqlstate: str | None = None,
        detail: str | None = None,
        hint: str | None = None,
        excerpt: str | None = None,
        version: int | None = None,
        statement_index: int | None = None,
    ) -> None:
        super().__init__(message, path=path, line=line, column=column, sqlstate=sqlstate)
        self.detail = detail
        self.hint = hint
        self.excerpt = excerpt
        self.version = version
        self.statement_index = statement_index
        self.applied: list[Applied] = []


class ServerError(SqlmigError):
    """The embedded PostgreSQL server could not be started or stopped (a missing
    ``sqlmig[embedded]`` package is a ConfigError, exit 2)."""

    exit_code = 1


class CheckFailed(SqlmigError):
    """A ``--check`` found committed output that differs from what would be
    generated, or a measure below its minimum; nothing was written."""

    exit_code = 1


class SafetyRefusal(SqlmigError):
    """A safety guard refused the operation before anything was changed."""

    exit_code = 3


class ManifestMismatch(SafetyRefusal):
    """sql/manifest.sha256 does not match the files on disk."""


class ChecksumDrift(SafetyRefusal):
    """A migration that was already applied has changed on disk."""


class LedgerProblem(SafetyRefusal):
    """The ledger and the files disagree in a way a human must resolve."""


class LockTimeout(SafetyRefusal):
    """Another sqlmig run holds the migration lock."""


class PolicyRefusal(SafetyRefusal):
    """An environment policy refused the operation; nothing was changed.

    ``policy`` names the rule: maintenance_window, approval, four_eyes,
    confirmation, require_clean_git, emergency, restore.
    """

    def __init__(self, message: str, *, policy: str, problems: list[str] | None = None) -> None:
        super().__init__(message, problems=problems)
        self.policy = policy


class DriftDetected(SafetyRefusal):
    """The database's schema differs from what its applied migrations produce
    (``refuse_on_drift``); ``problems`` lists every difference."""


class BackupFailed(SafetyRefusal):
    """A backup could not be made or did not verify; with ``backup: required``
    the apply or rollback it guarded did not start."""


class MigrationLockTimeout(MigrationFailed):
    """A transactional migration did not obtain its locks within ``lock_timeout``,
    ``lock_retries`` times; each attempt was rolled back, so nothing of it remains.

    Exit code 3 like the other guards: waiting longer would have queued the
    application's queries behind the migration's lock request.
    """

    exit_code = 3


class RestoreFailed(DatabaseError):
    """pg_restore reported an error."""


class Interrupted(KeyboardInterrupt):
    """SIGINT (Ctrl-C) or SIGTERM (a CI job's cancel or timeout) stopped the run.

    The running statement was cancelled and its file rolled back (a
    no-transaction file keeps its ``failed`` row); ``applied`` lists the files
    that completed before it, and the message says what happened to the one
    that was running.
    """

    def __init__(self, signum: int, message: str = "") -> None:
        import signal

        super().__init__(message)
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        self.message = message or f"interrupted by {self.signal_name}"
        self.applied: list[Applied] = []

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def __str__(self) -> str:
        return self.message
