"""``sqlmig drift``: what was changed by hand in a live database.

The expected schema is built by applying, on a scratch database of a scratch
server (:mod:`sqlmig.schema.scratch`; the target's own server only with
``scratch: same-server``), exactly the migrations the target's ledger records as applied; the
two snapshots are compared and every object added, removed or changed in the
target is reported.  ``refuse_on_drift: true`` in an environment's config
(set in the shipped config/production.yaml) makes ``apply`` run this first
and refuse (exit 3).

The database a replay builds is kept on the scratch server as a template
(``sqlmig_cache_<key>``, the newest few; :class:`TemplateCache` in
:mod:`sqlmig.schema.scratch`), with the expected snapshots in a table inside
it, so that the next drift of the same applied migrations reads them instead
of replaying (:func:`cache_key` says what decides it), and one with more
applied migrations clones the longest cached prefix and replays the rest.
Replays with server-wide statements, and a URL that is the target's own
server without ``scratch: same-server``, are never cached.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core import checkpoint
from ..core.connection import connect
from ..core.settings import Config
from ..errors import DriftDetected, LedgerProblem, SqlmigError
from . import scratch as scratch_mod
from . import snapshot as snapshot_mod
from .settings import SchemaSettings
from .snapshot import diff
from .verify import build

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from ..core.files import Migration
    from ..core.project import Project
    from ..core.session import Session
    from .snapshot import Snapshot

@dataclass(frozen=True)
class DriftReport:
    """The target's schema compared with what its applied migrations produce."""

    env: str
    applied: list[int]  # the ledger's applied versions, rebuilt on the scratch database
    differences: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # column order, reported separately
    duration_ms: int = 0
    scratch_server: str = ""  # where the migrations were replayed (no password)
    # The cached template: "hit" (read), "extended" (a cached prefix cloned, the
    # rest replayed), "built" (replayed in full and kept), "off" (not cached).
    cache: str = "off"

    @property
    def drifted(self) -> bool:
        return bool(self.differences or self.order)

    @property
    def version(self) -> int | None:
        return max(self.applied) if self.applied else None


def refuses(config: Config) -> bool:
    """Whether ``apply`` checks for drift first in this environment."""
    return SchemaSettings.of(config).refuse_on_drift


def detect(session: Session, *, privileges: bool = False, cache: bool = True) -> DriftReport:
    """Compare ``session``'s database with its applied migrations replayed on a scratch database."""
    from .snapshot import take

    started = time.perf_counter()
    conn, cfg = session.conn, session.config
    rows = session.ledger.rows(conn) if session.ledger.exists(conn) else []
    applied = sorted(r.version for r in rows if r.done)
    files = session.project.by_version()
    missing = [v for v in applied if v not in files]
    if missing:
        raise LedgerProblem(
            "cannot build the expected schema: applied version(s) "
            f"{', '.join(map(str, missing))} have no migration file. Restore the files "
            "(see `sqlmig status`) before checking for drift.",
        )
    target = scratch_mod.facts(conn)
    # From the newest checkpoint the applied versions cover (proven to build the
    # same schema as its migrations: sqlmig.backup.checkpoint), then one by one.
    replayed = checkpoint.replay_files(session.project.checkpoints, session.project.migrations,
                                       applied)
    actual = take(conn, ledger_schema=cfg.schema, privileges=privileges)
    expected, where, how = expected_snapshot(session, replayed, target, privileges=privileges,
                                             cache=cache)
    differences, order = compare(expected, actual)
    return DriftReport(
        env=cfg.env, applied=applied, differences=differences, order=order,
        duration_ms=round((time.perf_counter() - started) * 1000),
        scratch_server=where, cache=how,
    )


def replay_snapshot(session: Session, replayed: list[Migration], target: scratch_mod.ServerFacts,
                    *, privileges: bool = False, prefix: str = "sqlmig_drift"
                    ) -> tuple[Snapshot, str]:
    """The snapshot of ``replayed`` applied on a scratch database of the scratch
    server the session's config chooses, and where that was (no password)."""
    expected, where, _ = expected_snapshot(session, replayed, target, privileges=privileges,
                                           prefix=prefix, cache=False)
    return expected, where


def expected_snapshot(session: Session, replayed: list[Migration],
                      target: scratch_mod.ServerFacts, *, privileges: bool = False,
                      prefix: str = "sqlmig_drift", cache: bool = True
                      ) -> tuple[Snapshot, str, str]:
    """:func:`replay_snapshot`, from a cached template when ``cache`` and the
    replay may be cached; and what the cache did (:attr:`DriftReport.cache`)."""
    cfg = session.config
    server = scratch_mod.choose(session.project, cfg, session.url, target)
    files = [m.up for m in replayed]
    if cache and scratch_mod.cacheable(server, files):
        expected, how = _cached(session, server, replayed, target, privileges)
        return expected, server.where, how
    with scratch_mod.replay(server, files, target, prefix) as scratch:
        mig = build(scratch.url, cfg, replayed)
        try:
            expected = mig.snapshot(privileges=privileges)
        finally:
            mig.close()
    return expected, server.where, "off"


# -- the cached templates ---------------------------------------------------------------------

CACHE_FORMAT = "sqlmig drift cache, format 1"
CACHE_TABLE = "sqlmig_drift_cache"  # in a template's ledger schema: snapshots leave it out


@dataclass(frozen=True)
class CacheKey:
    """What decides the schema a replay builds and its snapshots."""

    material: str  # all of it, as JSON: kept in the template and compared in full on a hit
    chain: tuple[str, ...]  # chain[i]: the digest of the replay of the first i files

    @property
    def digest(self) -> str:
        return self.chain[-1]


def cache_key(facts: scratch_mod.CacheFacts, target: scratch_mod.ServerFacts, ledger_schema: str,
              replayed: list[Migration]) -> CacheKey:
    """The key of the replay of ``replayed``: sqlmig's version, snapshot format
    and the code that replays and snapshots; the scratch server's exact version,
    replaying role, installable extension versions and template1; the target's
    role names (mirrored before replaying); the ledger schema (left out of
    snapshots); and, in order, the version, path and checksum of each replayed
    file (the checkpoint first, when one is used).  No repeatables: drift does
    not replay them.  The files' checksums, not the ledger's: the replay runs
    the files, so a file edited since it was applied must miss (and show as
    drift, as a fresh replay does), which the ledger's checksum would hide."""
    from ..version import __version__

    head = {"format": CACHE_FORMAT, "sqlmig": __version__, "snapshot": snapshot_mod.FORMAT,
            "code": _code_digest(), "server_version_num": facts.version_num,
            "replayer": facts.replayer, "extensions": list(facts.extensions),
            "template1": facts.template1, "roles": sorted(target.roles),
            "ledger_schema": ledger_schema, "repeatables": []}
    files = [[m.version, m.up.relpath, m.up.checksum] for m in replayed]
    digest = _sha256(json.dumps(head, sort_keys=True))
    chain = [digest]
    for f in files:
        digest = _sha256(digest + "\n" + json.dumps(f))
        chain.append(digest)
    return CacheKey(json.dumps({"head": head, "files": files}, sort_keys=True), tuple(chain))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """SHA-256 of the code whose behaviour the cached snapshots depend on (every
    module and SQL file of sqlmig.core, which reads, splits and runs the files,
    and of sqlmig.schema, which replays and snapshots them), so a development
    tree that changes any of it between versions does not read stale ones."""
    from importlib import resources

    # node: an importlib Traversable (its abc module moved in 3.11)
    def walk(node: Any, prefix: str) -> Iterator[tuple[str, Any]]:
        for entry in node.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    yield from walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith((".py", ".sql")):
                yield f"{prefix}{entry.name}", entry

    sources = sorted((*walk(resources.files("sqlmig.core"), "core/"),
                      *walk(resources.files("sqlmig.schema"), "schema/")), key=lambda s: s[0])
    h = hashlib.sha256()
    for name, f in sources:
        try:
            data = f.read_bytes()
        except OSError:
            data = b"(unreadable)"
        h.update(name.encode("utf-8") + b"\0" + data + b"\0")
    return h.hexdigest()


def _row_digest(key: str, privileges: bool, snapshot: str | None) -> str:
    return _sha256(f"{key}\0{privileges}\0{snapshot if snapshot is not None else '(none)'}")


def _cached(session: Session, server: scratch_mod.ScratchServer, replayed: list[Migration],
            target: scratch_mod.ServerFacts, privileges: bool) -> tuple[Snapshot, str]:
    import psycopg

    from ..core.connection import redact
    from ..errors import DatabaseError

    try:
        return _through_cache(session, server, replayed, target, privileges)
    except psycopg.Error as exc:
        raise DatabaseError(f"drift's cached templates on the scratch server {server.where}: "
                            f"{redact(str(exc).strip())} ({exc.sqlstate})",
                            sqlstate=exc.sqlstate) from None


def _through_cache(session: Session, server: scratch_mod.ScratchServer,
                   replayed: list[Migration], target: scratch_mod.ServerFacts,
                   privileges: bool) -> tuple[Snapshot, str]:
    import psycopg

    cfg = session.config
    with scratch_mod.template_cache(server, [m.up for m in replayed], target) as tc:
        key = cache_key(tc.facts, target, cfg.schema, replayed)
        name = scratch_mod.cache_name(key.digest)
        with tc.locked(key.digest, shared=True):
            found = _read(tc, name, key, cfg.schema, privileges) if tc.existing([name]) else None
        if found is not None:
            return found, "hit"
        with tc.locked(key.digest, shared=False):
            if tc.existing([name]):  # built meanwhile by another run, or in doubt
                found = _read(tc, name, key, cfg.schema, privileges)
                if found is not None:
                    return found, "hit"
                try:
                    tc.drop(name)  # then built again and published in its place
                except psycopg.Error:
                    pass  # not ours to drop (another role's): built, used, not kept
            expected, how = _build(tc, session, replayed, key, target, privileges)
        tc.evict(key.digest)
    return expected, how


def _read(tc: scratch_mod.TemplateCache, name: str, key: CacheKey, schema: str,
          privileges: bool) -> Snapshot | None:
    """The expected snapshot kept in template ``name``; None when in doubt (no
    row, another key, a digest that does not match, unreadable): then the
    template is built again."""
    import psycopg

    from .snapshot import parse, take

    try:
        with connect(tc.url(name)) as conn:
            row = scratch_mod.read_cache_row(conn, schema, CACHE_TABLE, privileges)
            if row is None or row[0] != key.material \
                    or row[2] != _row_digest(key.material, privileges, row[1]):
                return None
            if row[1] is None:  # not kept: snapshot the template itself (read-only)
                return take(conn, ledger_schema=schema, privileges=privileges)
            return parse(row[1], source=f"the cached template {name}")
    except (psycopg.Error, SqlmigError):
        return None


def _build(tc: scratch_mod.TemplateCache, session: Session, replayed: list[Migration],
           key: CacheKey, target: scratch_mod.ServerFacts, privileges: bool
           ) -> tuple[Snapshot, str]:
    """Replay ``replayed`` into a new template of ``key`` (from the longest
    cached prefix when there is one), keep its snapshots in it, publish it."""
    from ..errors import DatabaseError

    cfg = session.config
    tc.mirror_roles(target)
    names = [scratch_mod.cache_name(d) for d in key.chain[:-1]]
    have = tc.existing(names)
    start = max((i for i, n in enumerate(names) if n in have), default=None)
    scratch = None
    if start is not None:
        with tc.locked(key.chain[start], shared=True):
            if tc.existing([names[start]]):
                try:
                    scratch = tc.start_build(key.digest, template=names[start])
                except DatabaseError:
                    scratch = None  # e.g. another role's template: replay in full
    if scratch is None:
        start = None
        scratch = tc.start_build(key.digest)
    try:
        if start is not None:
            scratch_mod.drop_cache_table(scratch.url, cfg.schema, CACHE_TABLE)
        mig = build(scratch.url, cfg, replayed[start or 0:])
        try:
            snaps = {p: mig.snapshot(privileges=p) for p in (False, True)}
        finally:
            mig.close()
        scratch_mod.write_cache_rows(scratch.url, cfg.schema, CACHE_TABLE,
                                     [_row(key.material, p, s) for p, s in snaps.items()])
        tc.publish(scratch, key.digest)
    except BaseException:
        scratch.drop()
        raise
    return snaps[privileges], "built" if start is None else "extended"


def _row(key: str, privileges: bool, snap: Snapshot) -> scratch_mod.Row:
    """The row that keeps ``snap``: its JSON, unless that does not read back as
    exactly ``snap`` (then None: a hit snapshots the template itself)."""
    from .snapshot import parse

    text = snap.to_json()
    try:
        exact = parse(text) == snap
    except SqlmigError:
        exact = False
    kept = text if exact else None
    return (privileges, key, kept, _row_digest(key, privileges, kept))


def compare(expected: Snapshot, actual: Snapshot) -> tuple[list[str], list[str]]:
    """Every difference of ``actual`` from ``expected`` in drift's words, and the
    column-order ones apart."""
    d = diff(expected, actual)
    words = {"added": "was added (not in the migrations)", "removed": "is missing"}
    return ([x.describe(**words) for x in d.differences], [x.describe(**words) for x in d.order])


def refuse_if_drifted(session: Session) -> None:
    """The ``refuse_on_drift`` guard of ``apply``: raise DriftDetected (exit 3)."""
    if not refuses(session.config):
        return
    report = detect(session)
    if report.drifted:
        raise DriftDetected(
            f"refusing to apply to {session.config.env}: its schema differs from what its "
            f"applied migrations produce (refuse_on_drift). Turn the hand-made changes into "
            "a migration, or undo them; `sqlmig drift` shows them.",
            problems=[*report.differences, *report.order],
        )


def detect_drift(project: Project | Path | str | None = None, env: str = "dev",
                 database_url: str | None = None, *, privileges: bool = False,
                 cache: bool = True) -> DriftReport:
    """``sqlmig drift`` for a Python caller (``cache=False``: replay in full,
    neither reading nor keeping a cached template)."""
    from ..core.session import Session

    with Session(project, env, database_url) as session:
        return detect(session, privileges=privileges, cache=cache)
