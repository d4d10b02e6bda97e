"""The one JSON envelope: every read command's JSON is `{"schema_version": 2, "kind": ..., ...}`.

A CI job reads `kind` to know what it has and `schema_version` to know it can: the version goes
up only when a key is removed or changes meaning.
"""

from __future__ import annotations

import datetime as dt
import json
import math

from mars_cli.outputs import escape

SCHEMA_VERSION = 2  # 2: a step's `owner` is who does it (its lead), not the record's owner (CHANGELOG.md)


def to_json(kind: str, **payload) -> str:
    """The whole JSON text (ending in a newline) of one result: the envelope, then `payload`'s keys
    in the order given. Dates are ISO strings; text is UTF-8, with nothing in it that drives a terminal."""
    doc = {"schema_version": SCHEMA_VERSION, "kind": kind, **plain(payload)}
    return escape.json_text(json.dumps(doc, indent=2, ensure_ascii=False, default=_fallback)) + "\n"


def plain(value):
    """A JSON-safe copy of front-matter values (dates as ISO strings, keys as text, no NaN)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity
    return value


def _fallback(value):
    """What plain() leaves that json cannot write (a set, a Path): as text."""
    return str(value)
