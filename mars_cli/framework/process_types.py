"""The parts of a process, as data: deadline rules, approvals, steps and yearly checks.

What they mean is here, with the words for them (a signers entry, a deadline rule);
`processes` reads them from the shipped and the workspace's processes.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from mars_cli.model import limits

MEETINGS = {"board": "board-meeting", "splig": "splig-meeting"}
UNITS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "month": "months",
         "months": "months", "working day": "working days", "working days": "working days"}
_DUE = re.compile(r"^(?:on (?P<on>\S+)"
                  r"|(?P<n>\d+) (?P<unit>working days?|days?|weeks?|months?) (?P<dir>before|after) (?P<anchor>\S+)"
                  r"|next (?P<meeting>\S+) after (?P<after>\S+))$")
_DURATION = re.compile(r"^(?P<n>\d+) (?P<unit>working days?|days?|weeks?|months?)(?: after)?$")
# The longest deadline a rule may set, per unit: ten years. Longer is a typing mistake.
LIMITS = {"days": 3660, "weeks": 522, "months": 120, "working days": 2610}


@dataclass(frozen=True)
class Due:
    """A deadline rule: `offset` `unit` from `anchor`, or the next meeting after it."""

    text: str
    anchor: str
    offset: int = 0
    unit: str = "days"
    meeting: str | None = None  # board-meeting / splig-meeting
    words: str = ""  # the rule for people: "6 weeks before `date`", "the next Board after step 'letter-sent'"

    def __str__(self) -> str:
        return self.words or self.text


@dataclass(frozen=True)
class Approval:
    name: str
    what: str
    signers: tuple[str, ...]  # each entry: roles separated by |, maybe with {partner} / {agency}
    covers: tuple[str, ...]
    independent: bool = False
    if_conflicted: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    due: Due | None = None
    strength: str = "must"
    needs: tuple[str, ...] = ()
    gate: str = "firm"
    optional: bool = False
    status: str | None = None
    lead: tuple[str, ...] = ()  # who does it: each entry's people (see lead_words); the first of a|b that names anyone
    source: str = ""
    approval: str | None = None
    field: str | None = None
    meeting: str | None = None
    record: str | None = None
    actions: bool = False  # done when every action of the plan is complete or dropped
    same_as: tuple[str, str] | None = None  # (kind, step): one with that step of the linked record of that kind
    dated_by: str | None = None  # the date field that also says the day it happens (an event's `date`)


@dataclass(frozen=True)
class YearRule:
    name: str
    check: str
    settings: dict
    source: str = ""


@dataclass(frozen=True)
class ExtensionRule:
    """Who may agree to move an action's due date: anyone holding one of `roles`, whatever their agency;
    anyone else as `others` says (independent: not from the agency that owns the action; anyone;
    nobody). Never the action's owner."""

    roles: tuple[str, ...] = ("splig-chair", "portfolio-lead")
    others: str = "independent"
    source: str = ""


EXTENSION_OTHERS = ("independent", "anyone", "nobody")


@dataclass(frozen=True)
class ConflictRule:
    fields: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True)
class Process:
    kind: str
    lead: str
    source: str
    approvals: dict[str, Approval]
    steps: dict[str, Step]
    yearly: dict[str, YearRule]
    conflict_of_interest: ConflictRule | None = None


@dataclass
class Processes:
    """Every kind's process, the standing reports meetings receive, and the settings."""

    by_kind: dict[str, Process] = field(default_factory=dict)
    reports: dict[str, str] = field(default_factory=dict)
    due_soon_days: int = 14
    papers_cutoff_days: int = 0
    extensions: ExtensionRule = field(default_factory=ExtensionRule)
    closed_years_until: str = "annual-report.published"  # KIND.STEP: a closed year is reported until it is done
    overridden: bool = False  # a workspace processes.yaml changed the shipped rules

    def get(self, kind: str) -> Process | None:
        return self.by_kind.get(kind)


def deadline_dates(process: Process | None, date_fields: Collection[str]) -> dict[str, tuple[str, ...]]:
    """The date fields of a record the deadlines of its process count from, in step order, each with
    the steps whose deadline does (agency-event: {"date": ("return-sent", "return-received", ...)})."""
    out: dict[str, tuple[str, ...]] = {}
    for step in process.steps.values() if process is not None else ():
        if step.due is not None and step.due.anchor in date_fields and step.due.anchor not in process.steps:
            out[step.due.anchor] = (*out.get(step.due.anchor, ()), step.name)
    return out


def need_of(need: str) -> tuple[str, str]:
    """What a `needs:` entry names: ('field', NAME), ('section', '## HEADING'), or ('name', an approval or step)."""
    for prefix in ("field", "section"):
        if need.startswith(prefix + ":"):
            return prefix, need[len(prefix) + 1:].strip()
    return "name", need


def signer_words(entry: str) -> str:
    """A signers entry in words: "dsp:{partner}|lsp:{partner}" -> "each partner's dsp or lsp"."""
    roles = entry.split("|")
    if all(r.endswith(":{partner}") for r in roles):
        return "each partner's " + " or ".join(r.split(":")[0] for r in roles)
    if all(r.endswith(":{agency}") for r in roles):
        return "the agency's " + " or ".join(r.split(":")[0] for r in roles)
    return " or ".join(roles)


LEAD_FIELD_TYPES = ("person", "people", "owner", "agency", "agencies")  # fields a step's lead may name


def lead_entries(value: object) -> tuple[str, ...] | None:
    """A step's `lead:` as its entries (one text, or a list of them), or None when it is neither."""
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def lead_words(entries: tuple[str, ...]) -> str:
    """A step's lead said for people: "field:lead|iso" -> "`lead`, else iso"; "agency" -> "the agency"."""
    return " and ".join(", else ".join(_lead_alternative_words(a) for a in e.split("|")) for e in entries)


def _lead_alternative_words(alternative: str) -> str:
    if alternative == "agency":
        return "the agency"
    if alternative.startswith("field:"):
        return f"`{alternative[len('field:'):]}`"
    base, _, target = alternative.partition(":")
    if target == "{partner}":
        return f"each partner's {base}"
    if target == "{agency}":
        return f"the agency's {base}"
    return alternative


def parse_due(text: object) -> Due | str:
    """A Due, or why the text is not a deadline rule."""
    if not isinstance(text, str):
        return "should be text such as '6 weeks before date'"
    match = _DUE.match(" ".join(text.split()))
    if not match:
        return ("is not a deadline rule: write 'on DATE', 'N days|weeks|months|working days before|after DATE' "
                "or 'next board|splig after DATE'")
    if match["on"]:
        return Due(text, match["on"])
    if match["meeting"]:
        meeting = meeting_kind(match["meeting"])
        if meeting is None:
            return f"names '{match['meeting']}', not a meeting: write 'next board after ...' or 'next splig after ...'"
        return Due(text, match["after"], meeting=meeting)
    unit = UNITS[match["unit"]]
    if len(match["n"]) > limits.MAX_DIGITS or int(match["n"]) > LIMITS[unit]:
        return f"is longer than ten years ({LIMITS[unit]} {unit} at most)"
    amount = int(match["n"]) * (-1 if match["dir"] == "before" else 1)
    return Due(text, match["anchor"], amount, unit)


def parse_duration(text: object) -> tuple[int, str] | None:
    """'4 weeks' -> (4, 'weeks'): 1 or more, and at most ten years; else None."""
    match = _DURATION.match(" ".join(text.split())) if isinstance(text, str) else None
    if not match:
        return None
    if len(match["n"]) > limits.MAX_DIGITS:
        return None
    amount, unit = int(match["n"]), UNITS[match["unit"]]
    return (amount, unit) if 1 <= amount <= LIMITS[unit] else None


def due_words(due: Due, steps: Collection[str]) -> str:
    """A deadline rule said for people: the date it counts from named as it is written in the record
    (`steps`: the names of the process's steps)."""
    if due.anchor == "year_end":
        start = "the end of the reporting year"
    elif due.anchor in steps:
        start = f"step '{due.anchor}'"
    else:
        start = f"`{due.anchor}`"
    if due.meeting:
        return f"the next {'Board' if due.meeting == 'board-meeting' else 'SPLIG'} after {start}"
    if not due.offset:
        return f"on {start}"
    amount, unit = abs(due.offset), due.unit if abs(due.offset) != 1 else due.unit.rstrip("s")
    return f"{amount} {unit} {'before' if due.offset < 0 else 'after'} {start}"


def meeting_kind(value) -> str | None:
    """board / splig (or the kind's full name) -> board-meeting / splig-meeting."""
    if not isinstance(value, str):
        return None
    return MEETINGS.get(value) or (value if value in MEETINGS.values() else None)
