"""Everything the CLI shows a person: one module per domain.

The scheme: ``render.<domain>.<thing>(result, ...)`` returns the human text of
``thing`` (``migrate.status(st)``, ``checks.report(r)``, ``fleet.apply(fr)``);
``<thing>_json`` where the command's JSON is not simply the result's
dataclasses (:func:`as_json`); classes for what is shown as a run goes on
(``migrate.Progress``, ``fleet.Progress``); and the interactive pieces
(prompts, banners) in :mod:`.governance`.  Colour is decided here too.
Library types are imported under TYPE_CHECKING, the library itself inside
the functions, so that importing a renderer stays cheap.
"""

from __future__ import annotations

from typing import Any


def as_json(value: Any) -> str:
    """A typed result (dataclasses, lists, paths, datetimes) as sorted, indented JSON."""
    from ...core.results import dumps

    return dumps(value)
