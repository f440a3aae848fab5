"""``--json``: one envelope per invocation on stdout, success or failure.

    {"sqlmig": "0.1.0", "schema": 1, "command": "apply", "ok": false,
     "exit_code": 1, "result": null, "error": {"type": "MigrationFailed", ...},
     "warnings": []}

``ok`` is ``exit_code == 0``.  ``result`` is the command's typed result (also
when it ends non-zero because of what it found: ``drift``, ``verify``, a
failing ``check``), ``null`` when an error stopped it first; ``error`` is
``null`` or the exception that ended the command with its structured fields.
The shape is described by ``envelope.schema.json`` beside this module, and
``schema`` is raised only for a change that could break a reader (a key
removed, renamed or retyped); new keys may appear within one ``schema``.

A command takes part with two lines: the ``--json`` option (``json_option``
or ``common(json_output=True)``, whose callback calls :func:`want`) and
``emit(result, show.thing)`` instead of ``click.echo``.  Errors are written by
the group's one error handler (:func:`failure`), so a command never prints
an envelope for them itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import click

SCHEMA = 1

_META = "sqlmig.json"  # the command's name, once --json was asked for
_WARNINGS = "sqlmig.json.warnings"
_RESULT = "sqlmig.json.result"  # a result to carry in the failure's envelope
_SAME = object()


class _Collect(logging.Handler):
    """Warnings logged while the command runs, for the envelope's ``warnings``."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.ERROR:  # errors are the envelope's ``error``
            self.into.append(record.getMessage())


def want(ctx: click.Context | None = None) -> None:
    """This invocation prints an envelope: called by the ``--json`` option
    (and by ``--format json`` where a command has both)."""
    ctx = ctx or click.get_current_context()
    if _META in ctx.meta:
        return
    names = []
    c: click.Context | None = ctx
    while c is not None and c.parent is not None:  # the root is the program itself
        names.append(c.info_name or "")
        c = c.parent
    ctx.meta[_META] = " ".join(reversed(names))
    warnings: list[str] = []
    ctx.meta[_WARNINGS] = warnings
    handler = _Collect(warnings)
    logger = logging.getLogger("sqlmig")
    logger.addHandler(handler)
    ctx.call_on_close(lambda: logger.removeHandler(handler))


def wanted(ctx: click.Context | None = None) -> bool:
    ctx = ctx or click.get_current_context(silent=True)
    return ctx is not None and _META in ctx.meta


def emit(result: Any, human: Callable[[Any], str] | None = None, *, exit_code: int = 0,
         error: BaseException | None = None, data: Any = _SAME) -> None:
    """Print what a command found: the envelope with --json, else ``human(result)``.

    ``data`` is the JSON form of ``result`` when it is not simply its
    dataclasses.  A non-zero ``exit_code`` ends the command with it after
    printing; ``error`` is raised after printing (with --json, the group's
    error handler writes the one envelope, carrying ``result`` too).
    """
    ctx = click.get_current_context()
    value = result if data is _SAME else data
    if wanted(ctx):
        if error is not None:
            ctx.meta[_RESULT] = value
            raise error
        click.echo(dumps(document(ctx, result=value, exit_code=exit_code)))
    else:
        if human is not None:
            click.echo(human(result))
        if error is not None:
            raise error
    if exit_code:
        ctx.exit(exit_code)


def failure(ctx: click.Context, exc: BaseException, exit_code: int) -> None:
    """The envelope of a command ended by ``exc`` (a no-op without --json)."""
    if wanted(ctx):
        click.echo(dumps(document(ctx, result=ctx.meta.get(_RESULT), exit_code=exit_code,
                                  error=error_data(exc))))


def document(ctx: click.Context, *, result: Any, exit_code: int,
             error: dict[str, Any] | None = None) -> dict[str, Any]:
    from ...version import __version__

    return {"sqlmig": __version__, "schema": SCHEMA, "command": ctx.meta[_META],
            "ok": exit_code == 0, "exit_code": exit_code, "result": result, "error": error,
            "warnings": list(ctx.meta.get(_WARNINGS, []))}


def error_data(exc: BaseException) -> dict[str, Any]:
    """The error's structured fields; every key is always present."""
    from ...errors import SqlmigError

    if isinstance(exc, click.ClickException):
        name, types = "UsageError", ["UsageError"]
        message = exc.format_message()
    else:
        name = type(exc).__name__
        types = [c.__name__ for c in type(exc).__mro__
                 if isinstance(c, type) and issubclass(c, SqlmigError)] or [name]
        message = str(getattr(exc, "message", None) or exc)
    path = getattr(exc, "path", None)
    return {
        "type": name,
        "types": types,
        "message": message,
        "file": str(path) if path is not None else None,
        "line": getattr(exc, "line", None),
        "column": getattr(exc, "column", None),
        "sqlstate": getattr(exc, "sqlstate", None),
        "detail": getattr(exc, "detail", None),
        "hint": getattr(exc, "hint", None),
        "policy": getattr(exc, "policy", None),
        "problems": list(getattr(exc, "problems", None) or []),
        "applied": list(getattr(exc, "applied", None) or []),
        "version": getattr(exc, "version", None),
        "excerpt": getattr(exc, "excerpt", None),
    }


def dumps(doc: Any) -> str:
    """Sorted, indented JSON with every password in every string redacted
    (results carry URLs, SQL and server messages)."""
    import json

    from ...core.connection import redact
    from ...core.results import to_jsonable

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    return json.dumps(clean(to_jsonable(doc)), indent=2, sort_keys=True, ensure_ascii=False)
