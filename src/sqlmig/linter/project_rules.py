"""Rules about a migration as a whole: its rollback file, and whether an
applied file changed since it was applied (checksum drift)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core.ledger import LedgerRow
from ..core.files import Migration
from .analysis import ParsedFile
from .rollbacks import Created, Drops
from .statements import Linter
from .report import Finding
from .rules import RULES


def missing_rollback(lint: Linter, up: ParsedFile, mig: Migration) -> None:
    if mig.down is not None or mig.irreversible is not None:
        return
    lint.emit(up, "missing-rollback", None, 0,
          f"{mig.name} has no rollback file (rollbacks/{mig.name}.sql) and is not marked "
          "`-- sqlmig: irreversible <reason>`")


def rollback_incomplete(lint: Linter, down: ParsedFile, mig: Migration,
                        created: Iterable[Created]) -> None:
    """Each object the migration creates should be undone by its rollback: named
    in it, or dropped implicitly (with its table or column, or under a DROP ...
    CASCADE of what it depends on, or of its schema).

    Comments are left out, but strings are not: a rollback may drop objects
    inside a DO block, whose body is a dollar-quoted string.
    """
    if mig.down is None:
        return
    text = _without_comments(mig.down.text)
    lowered = text.lower()
    drops = Drops.of(down)
    missing: list[str] = []
    for obj in created:
        bare = obj.name.split(".")[-1]
        haystack = text if bare != bare.lower() else lowered
        if re.search(rf"(?<![\w$]){re.escape(bare)}(?![\w$])", haystack):
            continue
        if not drops.covers(obj):
            missing.append(obj.label)
    if missing:
        lint.emit(down, "rollback-incomplete", None, 0,
                  f"rollbacks/{mig.name}.sql never mentions " + ", ".join(dict.fromkeys(missing)))


def checksum_drift(lint: Linter, migrations: list[Migration], rows: list[LedgerRow],
                   env: str | None) -> None:
    by_version = {m.version: m for m in migrations}
    for row in rows:
        mig = by_version.get(row.version)
        if mig is None or not row.done or row.checksum == mig.up.checksum:
            continue
        _emit(lint, "checksum-drift", mig,
              f"{mig.name} was applied to {env} with checksum {row.checksum[:12]} but the file "
              f"now has {mig.up.checksum[:12]}: it was edited after being applied")


def _emit(lint: Linter, rule: str, mig: Migration, message: str) -> None:
    if not lint.settings.enabled(rule):
        return
    lint.findings.append(Finding(rule, lint.settings.severity(rule), message, mig.up.relpath,
                                 1, 1, RULES[rule].explanation))


def _without_comments(text: str) -> str:
    from pglast import parser

    try:
        tokens = parser.scan(text)
    except Exception:  # noqa: BLE001 - an unscannable file keeps its comments
        return text
    chars = list(text)
    for tok in tokens:
        if tok.name in ("SQL_COMMENT", "C_COMMENT"):
            chars[tok.start : tok.end + 1] = " " * (tok.end + 1 - tok.start)
    return "".join(chars)
