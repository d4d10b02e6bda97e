"""What a sign-off approves: the fields and body sections it covers, and their fingerprint.

A sign-off stores the fingerprint of exactly the content its approval covers
(processes.yaml `covers:`). When that content later changes, the fingerprint
no longer matches and `check` says re-approval is needed. Sign-offs, steps
and status are never covered, so recording one partner's sign-off cannot make
another's stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from mars_cli.model.records import Record

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_MAY_FENCE = frozenset(" \t`~")  # how a line that is a fence starts (a heading starts with #)


def section(body: str, heading: str) -> str | None:
    """The text under a Markdown heading ("## Findings"), down to the next heading of the same or a
    higher level (its subsections included); every section with that heading, when it is given twice;
    None when the body has no such heading."""
    match = _HEADING.match(heading.strip())
    if not match:
        return None
    level, title = len(match.group(1)), match.group(2).strip().lower()
    parts: list[list[str]] = []
    inside, fenced = False, False
    for line in body.splitlines():
        if line[:1] != "#":  # not a heading: maybe a fence (most lines are neither)
            if line[:1] in _MAY_FENCE and _FENCE.match(line):
                fenced = not fenced
            if inside:
                parts[-1].append(line)
            continue
        found = None if fenced else _HEADING.match(line)
        if found and inside and len(found.group(1)) <= level:
            inside = False
        if inside:
            parts[-1].append(line)
        elif found and len(found.group(1)) == level and found.group(2).strip().lower() == title:
            inside = True
            parts.append([])
    return "\n\n".join(_normal("\n".join(p)) for p in parts) if parts else None


def written(body: str, heading: str) -> bool:
    """Whether a section exists and says something (template guidance in <!-- --> does not count)."""
    text = section(body, heading)
    return bool(text and re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL).strip())


def _normal(text: str) -> str:
    """Text as compared: trailing spaces and surrounding blank lines do not count."""
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()).strip("\n")


def covered(record: Record, covers: tuple[str, ...]) -> list:
    """The covered content, in the order `covers` names it."""
    out = []
    for item in covers:
        if item == "body":
            out.append(["body", _normal(record.body)])
        elif item.startswith("#"):
            out.append([item, section(record.body, item)])
        else:
            out.append([item, record.fields.get(item)])
    return out


def fingerprint(record: Record, covers: tuple[str, ...]) -> str:
    """A short, stable hash of the covered content."""
    data = json.dumps(covered(record, covers), sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)
