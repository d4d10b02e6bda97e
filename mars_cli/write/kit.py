"""The shared kit of every writing command: what a command recorded, dates and notes checked, the
record's text read, changed, read back and written atomically (with a written status kept in step
with the record's process). Creating records, steps and sign-offs, actions and `init` use it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mars_cli.derive.context import Context
from mars_cli.derive.timeline import Timeline, timeline
from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import Refused, UsageError
from mars_cli.model.fields import shape_problem
from mars_cli.model.records import Record, Workspace
from mars_cli.store import edit, files


@dataclass
class Recorded:
    """What a command wrote: the file, what was recorded, warnings, and the record's status after it
    (for records whose status follows their steps)."""

    path: Path
    message: str
    warnings: list[str]
    status: str = ""


def past_day(given: dt.date | None, as_of: dt.date, what: str) -> dt.date:
    day = given or as_of
    if day > as_of:
        raise UsageError(f"--date {day.isoformat()} is after today ({dates.format_uk(as_of)}): "
                         f"a {what} is recorded once it has happened",
                         "Give the day it happened, or use --as-of to look ahead.")
    return day


def new_entry(**fields) -> dict:
    """A steps or signoffs entry: the fields given, in that order, empty ones left out."""
    return {key: value for key, value in fields.items() if value not in (None, "")}


def check_note(value: str | None, option: str = "--note") -> None:
    problem = shape_problem("text", value) if value is not None else None
    if problem:
        raise UsageError(f"{option}: {problem[0]}", problem[1])


def only_one(ws: Workspace, record: Record) -> None:
    """Refuse to write to a record whose ID another file also carries: which of them the officer meant
    is not for mars to guess (`check` reports both as workspace.duplicate-id)."""
    holders = [r.path for r in ws.records if r.id == record.id]
    if len(holders) > 1:
        raise Refused(f"ID '{record.id}' is carried by {len(holders)} files ({', '.join(holders)}); nothing was "
                      "written", "Keep the older record's ID and recreate the other with `mars new` "
                      "(`mars check` lists them as workspace.duplicate-id), then run the command again.")


def read_text(ws: Workspace, record: Record) -> str:
    """The record's text to edit; refused when its ID is not its own alone."""
    only_one(ws, record)
    path = ws.root / record.path
    try:
        return files.read_no_follow(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Refused(f"cannot read {record.path} ({exc}); nothing was changed") from None


def write_record(ws: Workspace, record: Record, text: str, as_of: dt.date, message: str, warnings: list[str]) -> Recorded:
    """Keep a written status in step with the process (if the record has one), then write the file atomically."""
    after = reread(ws, record, text)
    line = _timeline_with(ws, record, after, as_of)
    if line is None:  # a kind without a process (an action): no status to keep in step
        files.write_atomic(ws.root / record.path, text, root=ws.root)
        return Recorded(ws.root / record.path, message, warnings)
    order = kinds.get(record.kind).statuses
    written = after.status if after.status in order else None
    # Only ever forward: a written status ahead of the steps (hand-written, or recorded after an earlier
    # --as-of day) is not taken back.
    if "status" in after.fields and (written is None or order.index(line.status) > order.index(written)):
        text = edit.set_value(text, ("status",), line.status)
    path = ws.root / record.path
    files.write_atomic(path, text, root=ws.root)
    return Recorded(path, message, warnings, line.status)


def reread(ws: Workspace, record: Record, text: str) -> Record:
    parsed = files.parse_record(record.path, text.encode("utf-8"))
    if not isinstance(parsed, Record):  # edit.py verified the result, so this would be a bug
        raise Refused(f"the edited record could not be read back ({parsed.message}); nothing was written")
    return parsed


def _timeline_with(ws: Workspace, old: Record, new: Record, as_of: dt.date) -> Timeline | None:
    records = [new if r is old else r for r in ws.records]
    return timeline(Context(dataclasses.replace(ws, records=records), as_of), new)
