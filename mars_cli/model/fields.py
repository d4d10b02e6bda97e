"""Checking one value against a field type, with plain-English messages.

The field types are few and domain-specific (a person, an agency, a record ID,
a date): each check returns what is wrong and how to fix it, so `mars check`
and `mars new` explain problems the same way.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable

from mars_cli.model import dates

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_TYPE_WORDS = {
    "string": "text",
    "text": "text",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "list": "a list",
    "people": "a list of person IDs",
    "agencies": "a list of agency IDs",
    "partners": "a list of partner IDs",
    "records": "a list of record IDs",
}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' Did you mean "x"?' for the closest choice, or ''."""
    by_lower = {str(c).lower(): str(c) for c in choices}
    close = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=0.6)
    return f" Did you mean '{by_lower[close[0]]}'?" if close else ""


def shape_problem(ftype: str, value: object, values: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """Whether `value` has the shape of `ftype` (references are checked elsewhere).

    Returns (problem, hint) or None. None values are not checked here: a missing
    value is the `required` rule's business.
    """
    if ftype == "date":
        return dates.date_problem(value)
    if ftype in ("string", "text", "person", "agency", "partner", "record", "status", "owner"):
        if isinstance(value, str):
            bad = _CONTROL.search(value) if ftype == "text" else _CONTROL_OR_BREAK.search(value)
            if bad:
                where = "a line break" if bad.group(0) in "\n\r\x85\u2028\u2029" else "a control character"
                return (f"contains {where}", "Keep it on one line, as plain text." if ftype != "text"
                        else "Remove the control character (it may have come from a paste).")
            return None
        if ftype in ("string", "text") and isinstance(value, (int, float)) and not isinstance(value, bool):
            return None  # a number where text is expected is harmless (e.g. kcsie_edition: 2025)
        return (f"should be {_TYPE_WORDS.get(ftype, 'an ID')}, not {_describe(value)}",
                "Put the value in quotes if it is meant as text.")
    if ftype == "enum":
        if value in values:
            return None
        return (f"'{value}' is not allowed here", f"Use one of: {', '.join(values)}.{did_you_mean(value, values)}")
    if ftype == "id":
        if isinstance(value, str) and _ID.fullmatch(value):
            return None
        return (f"{_describe(value)} is not a usable ID",
                "IDs are letters, digits and dashes, e.g. ae-2025-06-12-hospital-event-k7f2; "
                "they never change once created.")
    if ftype == "year":
        if isinstance(value, str) and dates.year_label_ok(value):
            return None
        return (f"{_describe(value)} is not a reporting year", "Write it like 2025-26.")
    if ftype == "int":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return None
        return (f"should be a whole number of 0 or more, not {_describe(value)}", "Write digits only, e.g. 3.")
    if ftype == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
            return None
        return (f"should be a number of 0 or more, not {_describe(value)}", "Write digits, e.g. 1.5.")
    if ftype == "bool":
        if isinstance(value, bool):
            return None
        hint = "Write true or false (YAML 1.2: yes/no are text, not true/false)."
        return (f"should be true or false, not {_describe(value)}", hint)
    if ftype in ("list", "people", "agencies", "partners", "records"):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        if isinstance(value, str):
            return (f"should be {_TYPE_WORDS[ftype]}, not a single value",
                    f"Write it as a list: [{value}]." if "[" not in value else "Write it as a list: [a, b].")
        return (f"should be {_TYPE_WORDS[ftype]}", "Write one item per line starting with '- ', or [a, b].")
    if ftype in ("ratings",):
        if isinstance(value, dict):
            return None
        return ("should be a set of `standard-id:` entries, each with a rating and a comment",
                "See `mars kinds section11` for the layout.")
    if ftype in ("actions", "subjects", "iso_days", "updates", "extensions", "steps", "signoffs"):
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return None
        return ("should be a list of entries, each a set of `key: value` fields",
                "Start each entry with '- ' and indent its fields under it.")
    return None


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return f"'{value}'"
