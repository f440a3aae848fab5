"""A sqlmig project on disk: ``config/`` and ``sql/`` under one root."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import settings as config_mod
from . import manifest, files as migrations
from .settings import Config
from ..errors import ConfigError
from .git import GitState
from .files import Migration, SqlFile

if TYPE_CHECKING:
    from .checkpoint import Checkpoint
    from .repeatable import Repeatable


# `database_url: NAME` values that stand for a server sqlmig provides, e.g.
# ``embedded`` (registered by sqlmig.features): NAME -> project root -> URL.
URL_RESOLVERS: dict[str, Callable[[Path], str]] = {}


class Project:
    """A project root with ``sql/`` and ``config/``; files are read once, on first use."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        if not (self.root / "sql").is_dir():
            raise ConfigError(
                f"{self.root} is not a sqlmig project: it has no sql/ directory. "
                "Pass --project DIR, or run inside a project (a directory with sql/ and config/).",
                path=self.root,
            )
        self._manifest: manifest.ManifestReport | None = None

    @classmethod
    def find(cls, start: Path | str | None = None) -> Project:
        """The project at ``start``, or the nearest directory above the current one
        that holds both ``config/`` and ``sql/``."""
        if start is not None:
            return cls(start)
        here = Path.cwd().resolve()
        for candidate in (here, *here.parents):
            if (candidate / "sql").is_dir() and (candidate / "config").is_dir():
                return cls(candidate)
        raise ConfigError(
            f"no sqlmig project found in {here} or above (a directory with config/ and sql/). "
            "Pass --project DIR, or start one here with `sqlmig init`."
        )

    @property
    def sql_dir(self) -> Path:
        return self.root / "sql"

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def migrations_dir(self) -> Path:
        return self.sql_dir / migrations.MIGRATIONS_DIR

    @property
    def rollbacks_dir(self) -> Path:
        return self.sql_dir / migrations.ROLLBACKS_DIR

    @cached_property
    def migrations(self) -> list[Migration]:
        """Every migration, read and hashed once."""
        return migrations.discover(self.sql_dir)

    @cached_property
    def repeatables(self) -> list[Repeatable]:
        """Every repeatable migration (sql/repeatable), by name, read and hashed once."""
        from . import repeatable

        return repeatable.discover(self.sql_dir)

    @cached_property
    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint (sql/checkpoints/NNNN_checkpoint.sql), by version."""
        from . import checkpoint

        return checkpoint.discover(self.sql_dir, self.migrations)

    def _repeatable_files(self) -> list[SqlFile]:
        # The manifest's other files: repeatables and checkpoints.
        return [r.file for r in self.repeatables] + [c.file for c in self.checkpoints]

    @cached_property
    def git(self) -> GitState:
        """What git says of the project (HEAD, uncommitted SQL files), asked once
        per Project: a fleet run shares it across its targets."""
        from . import git as git_mod

        return git_mod.state(self.root, self.sql_dir)

    def by_version(self) -> dict[int, Migration]:
        return {m.version: m for m in self.migrations}

    def manifest_report(self) -> manifest.ManifestReport:
        """The manifest against the files, read once per Project (like the files
        themselves); :meth:`refresh_unapplied` rewriting it reads it again."""
        if self._manifest is None:
            self._manifest = manifest.check(self.sql_dir, self.migrations,
                                            self._repeatable_files())
        return self._manifest

    def verify_manifest(self) -> manifest.ManifestReport:
        return manifest.verified(self.manifest_report())

    def refresh_unapplied(self, applied: Collection[int]) -> list[str]:
        """Rewrite the manifest when its only problem is files edited since it was
        written, all of them of migrations not in ``applied`` (their up and
        rollback files); return the paths it updated, relative to ``sql/``.

        The everyday loop of a development database: ``sqlmig new``, write the
        SQL, ``sqlmig apply``.  Anything else (an applied migration's file edited,
        a file missing or not listed, a malformed or unsorted manifest) leaves
        the manifest as it is and returns ``[]``, so :meth:`verify_manifest`
        refuses as before.  The caller decides where this is allowed (an
        environment that applies without review) and tells the user.
        """
        report = self.manifest_report()
        if report.ok or not report.changed or report.problems() != [
                f"changed since the manifest was written: {p}" for p in report.changed]:
            return []
        owner = {f.relpath: m.version for m in self.migrations
                 for f in (m.up, m.down) if f is not None}
        # A repeatable is re-applied whenever it changes: its edits are the
        # everyday loop too, applied or not.
        editable = {r.file.relpath for r in self.repeatables}
        if any(p not in editable and (owner.get(p) is None or owner[p] in applied)
               for p in report.changed):
            return []
        manifest.write(self.sql_dir, self.migrations, self._repeatable_files())
        self._manifest = None
        return list(report.changed)

    def config(self, env: str = "dev", database_url: str | None = None) -> Config:
        return config_mod.load(self.config_dir, env, database_url=database_url)

    def database_url(self, cfg: Config) -> str:
        """The URL to connect to; a name in :data:`URL_RESOLVERS` (``embedded``:
        start or reuse the project's own server) is resolved for this project."""
        assert cfg.database_url is not None
        resolve = URL_RESOLVERS.get(cfg.database_url)
        return resolve(self.root) if resolve is not None else cfg.database_url

    def reload(self) -> Project:
        return Project(self.root)

