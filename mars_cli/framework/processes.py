"""The framework's processes as data: steps, deadlines, sign-offs and yearly checks.

The shipped defaults are `processes.yaml` beside this file. A workspace may
change any of it in its own `processes.yaml` (same shape): mappings merge key
by key, a list replaces the shipped list, and `null` removes a step, an
approval or a check. Reading is tolerant: what is understood is used, and every
problem is a Finding with its file and line.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from mars_cli.framework import kinds
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, Finding, Source
from mars_cli.store import yaml12

SHIPPED = "mars_cli/process/processes.yaml"  # how findings name the shipped file
OVERRIDE_FILE = "processes.yaml"
MEETINGS = {"board": "board-meeting", "splig": "splig-meeting"}
UNITS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "month": "months",
         "months": "months", "working day": "working days", "working days": "working days"}
YEARLY_CHECKS = {  # check type -> its settings, with their types ("?" after a name: optional)
    "every-agency": {"cycle_years": int, "after?": "duration"},
    "count": {"at_least": int, "after?": "duration"},
    "interval": {"every": "duration"},
    "periodic-report": {"report": "report", "meeting": "meeting", "every": "duration"},
    "follow-up-report": {"report": "report", "then": "report", "meeting": "meeting", "due": "duration"},
    "report-when-complete": {"step": "step", "report": "report", "meeting": "meeting"},
    "iso-allowance": {},
}
_DUE = re.compile(r"^(?:on (?P<on>\S+)"
                  r"|(?P<n>\d+) (?P<unit>working days?|days?|weeks?|months?) (?P<dir>before|after) (?P<anchor>\S+)"
                  r"|next (?P<meeting>\S+) after (?P<after>\S+))$")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
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
    lead: str = ""
    source: str = ""
    approval: str | None = None
    field: str | None = None
    meeting: str | None = None
    record: str | None = None
    actions: bool = False  # done when every action of the plan is complete or dropped


@dataclass(frozen=True)
class YearRule:
    name: str
    check: str
    settings: dict
    source: str = ""


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
    overridden: bool = False  # a workspace processes.yaml changed the shipped rules

    def get(self, kind: str) -> Process | None:
        return self.by_kind.get(kind)


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


def shipped_text() -> str:
    return resources.files(__package__).joinpath("processes.yaml").read_text(encoding="utf-8")


@cache
def _shipped() -> yaml12.Loaded:
    return yaml12.load(shipped_text())


def default() -> Processes:
    """The shipped processes (a test proves they load without a finding)."""
    processes, findings = build(None)
    assert not findings, findings
    return processes


def build(override: yaml12.Loaded | None, override_path: str = OVERRIDE_FILE) -> tuple[Processes, list[Finding]]:
    """The shipped processes merged with a workspace's override, and what is wrong with the result."""
    base = _shipped()
    data = copy.deepcopy(base.data)
    reader = _Reader(base, override, override_path)
    if override is not None and isinstance(override.data, dict):
        changes = dict(override.data)
        for section in ("settings", "reports", "processes"):
            if section in changes and not isinstance(changes[section], (dict, type(None))):
                reader.error((section,), f"`{section}:` should be a set of `name: ...` entries, so the shipped "
                             f"{section} apply", "Indent its entries under it, one `name: value` per line.")
                del changes[section]
        kinds_given = changes.get("processes") or {}
        for kind, entry in kinds_given.items():
            if not isinstance(entry, (dict, type(None))):
                reader.error(("processes", kind), f"processes.{kind} should be a set of sections (steps, "
                             "approvals, yearly...), so the shipped process applies")
        if kinds_given:
            changes["processes"] = {k: v for k, v in kinds_given.items() if isinstance(v, (dict, type(None)))}
        _merge(data, changes)
    elif override is not None and override.data is not None:
        reader.error((), "processes.yaml must be a set of `key: value` sections (settings, reports, processes)",
                     "See the shipped rules with `mars rules --format yaml`, and README 'Changing the rules'.")
    processes = reader.processes(data)
    processes.overridden = override is not None and bool(override.data)
    return processes, reader.findings


def _merge(into: dict, changes: dict) -> None:
    for key, value in changes.items():
        if value is None:
            into.pop(key, None)
        elif isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


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
        meeting = _meeting(match["meeting"])
        if meeting is None:
            return f"names '{match['meeting']}', not a meeting: write 'next board after ...' or 'next splig after ...'"
        return Due(text, match["after"], meeting=meeting)
    unit = UNITS[match["unit"]]
    if int(match["n"]) > LIMITS[unit]:
        return f"is longer than ten years ({LIMITS[unit]} {unit} at most)"
    amount = int(match["n"]) * (-1 if match["dir"] == "before" else 1)
    return Due(text, match["anchor"], amount, unit)


def parse_duration(text: object) -> tuple[int, str] | None:
    """'4 weeks' -> (4, 'weeks'): 1 or more, and at most ten years; else None."""
    match = _DURATION.match(" ".join(text.split())) if isinstance(text, str) else None
    if not match:
        return None
    amount, unit = int(match["n"]), UNITS[match["unit"]]
    return (amount, unit) if 1 <= amount <= LIMITS[unit] else None


class _Reader:
    """Turns the merged data into Processes, reporting each problem at the line that caused it."""

    def __init__(self, base: yaml12.Loaded, override: yaml12.Loaded | None, override_path: str):
        self.base = Source(SHIPPED, base.lines)
        self.override = Source(override_path, override.lines) if override is not None else None
        self.override_keys = set(override.lines) if override is not None else set()
        self.findings: list[Finding] = []

    def where(self, path: tuple) -> tuple[str, int]:
        probe = tuple(path)
        while probe:
            if self.override is not None and probe in self.override_keys:
                return self.override.path, self.override.line(*probe)
            probe = probe[:-1]
        return self.base.path, self.base.line(*path)

    def error(self, path: tuple, message: str, hint: str = "") -> None:
        file, line = self.where(path)
        self.findings.append(Finding(file, line, ERROR, "bad-process", message, hint, rule="process.data"))

    def mapping(self, value, path: tuple) -> dict:
        if isinstance(value, dict):
            return value
        if value is not None:
            self.error(path, f"{_dotted(path)} should be a set of `name: ...` entries")
        return {}

    def text(self, entry: dict, key: str, path: tuple, default: str = "") -> str:
        value = entry.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.error(path + (key,), f"{_dotted(path + (key,))} should be text")
            return default
        return value

    def names(self, entry: dict, key: str, path: tuple) -> tuple[str, ...]:
        value = entry.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(path + (key,), f"{_dotted(path + (key,))} should be a list of names")
            return ()
        return tuple(value)

    def processes(self, data: dict) -> Processes:
        out = Processes()
        settings = self.mapping(data.get("settings"), ("settings",))
        for key in settings:
            if key not in ("due_soon_days", "papers_cutoff_days"):
                self.error(("settings", key), f"'{key}' is not a setting",
                           f"Settings: due_soon_days, papers_cutoff_days.{did_you_mean(key, ['due_soon_days', 'papers_cutoff_days'])}")
        for key in ("due_soon_days", "papers_cutoff_days"):
            value = settings.get(key, getattr(out, key))
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 366:
                setattr(out, key, value)
            else:
                self.error(("settings", key), f"settings.{key} should be a whole number of days (0 to 366)")
        reports = self.mapping(data.get("reports"), ("reports",))
        out.reports = {str(k): v if isinstance(v, str) else str(k) for k, v in reports.items()}
        for name, raw in self.mapping(data.get("processes"), ("processes",)).items():
            kind = kinds.registry().get(name)
            if kind is None:
                self.error(("processes", name), f"'{name}' is not a kind of record",
                           f"`mars kinds` lists them.{did_you_mean(name, kinds.registry())}")
                continue
            process = self.process(kind, self.mapping(raw, ("processes", name)), out, ("processes", name))
            if process is not None:
                out.by_kind[name] = process
        for key in data:
            if key not in ("settings", "reports", "processes"):
                self.error((key,), f"'{key}' is not a section of processes.yaml",
                           f"Sections: settings, reports, processes.{did_you_mean(key, ['settings', 'reports', 'processes'])}")
        return out

    def process(self, kind: kinds.Kind, raw: dict, out: Processes, path: tuple) -> Process | None:
        known = {"lead", "source", "approvals", "steps", "yearly", "conflict_of_interest"}
        for key in raw:
            if key not in known:
                self.error(path + (key,), f"'{key}' is not part of a process",
                           f"A process has: {', '.join(sorted(known))}.{did_you_mean(key, known)}")
        approvals = {}
        for name, entry in self.mapping(raw.get("approvals"), path + ("approvals",)).items():
            if self.named(name, path + ("approvals", name), "an approval"):
                approvals[name] = self.approval(kind, name, self.mapping(entry, path + ("approvals", name)),
                                                path + ("approvals", name))
        steps = {}
        for name, entry in self.mapping(raw.get("steps"), path + ("steps",)).items():
            if not self.named(name, path + ("steps", name), "a step"):
                continue
            step = self.step(kind, name, self.mapping(entry, path + ("steps", name)), path + ("steps", name))
            if step is not None:
                steps[name] = step
        self.check_status_order(kind, steps, path)
        self.check_references(kind, steps, approvals, path)
        self.check_cycles(kind, steps, path)
        yearly = {}
        for name, entry in self.mapping(raw.get("yearly"), path + ("yearly",)).items():
            if not self.named(name, path + ("yearly", name), "a yearly check"):
                continue
            if isinstance(entry, dict) and entry.get("check") == "every-agency" and kind.agency_rule is None:
                self.error(path + ("yearly", name, "check"), f"{kind.a} is not about agencies, so an every-agency "
                           "check cannot apply to it")
                continue
            rule = self.year_rule(name, self.mapping(entry, path + ("yearly", name)), out, path + ("yearly", name),
                                  steps)
            if rule is not None:
                yearly[name] = rule
        clash = set(steps) & set(approvals)
        for name in sorted(clash):
            self.error(path + ("approvals", name), f"'{name}' names both a step and an approval of {kind.a}",
                       "Give the approval another name, so `needs:` is unambiguous.")
        conflict = None
        if raw.get("conflict_of_interest") is not None:
            entry = self.mapping(raw["conflict_of_interest"], path + ("conflict_of_interest",))
            fields = self.names(entry, "fields", path + ("conflict_of_interest",))
            for f in fields:
                if f not in kind.fields or kind.fields[f].type not in ("person", "people"):
                    self.error(path + ("conflict_of_interest", "fields"), f"'{f}' is not a field of {kind.a} that "
                               "names people", did_you_mean(f, [n for n, s in kind.fields.items()
                                                               if s.type in ("person", "people")]).strip())
            conflict = ConflictRule(fields, self.text(entry, "source", path + ("conflict_of_interest",)))
        return Process(kind.name, self.text(raw, "lead", path), self.text(raw, "source", path, kind.framework),
                       approvals, steps, yearly, conflict)

    def approval(self, kind: kinds.Kind, name: str, raw: dict, path: tuple) -> Approval:
        known = {"what", "signers", "covers", "independent", "if_conflicted", "source"}
        for key in raw:
            if key not in known:
                self.error(path + (key,), f"'{key}' is not part of an approval",
                           f"An approval has: {', '.join(sorted(known))}.{did_you_mean(key, known)}")
        signers = self.names(raw, "signers", path)
        if not signers:
            self.error(path, f"approval '{name}' names no signers", "Add e.g. signers: [portfolio-lead].")
        for entry in (*signers, *self.names(raw, "if_conflicted", path)):
            problem = _signer_problem(entry)
            if problem:
                self.error(path + ("signers",), f"signers entry '{entry}' {problem}",
                           "Write roles such as portfolio-lead, iso, dsp:{partner}|lsp:{partner}, head:{agency}.")
        covers = self.names(raw, "covers", path)
        for item in covers:
            if item in ("steps", "signoffs", "status"):
                self.error(path + ("covers",), f"a sign-off cannot cover '{item}': it changes as work is recorded",
                           "Cover the fields and sections the approval is about.")
            elif item != "body" and not item.startswith("#") and item not in kind.fields:
                self.error(path + ("covers",), f"'{item}' is not a field of {kind.a}",
                           f"Name a field, a section as '## Heading', or body.{did_you_mean(item, kind.fields)}")
        independent = raw.get("independent", False)
        if not isinstance(independent, bool):
            self.error(path + ("independent",), "independent should be true or false")
            independent = False
        return Approval(name, self.text(raw, "what", path, name), signers, covers, independent,
                        self.names(raw, "if_conflicted", path), self.text(raw, "source", path))

    def step(self, kind: kinds.Kind, name: str, raw: dict, path: tuple) -> Step | None:
        known = {"label", "due", "strength", "needs", "gate", "optional", "status", "lead", "source",
                 "approval", "field", "meeting", "record", "actions"}
        for key in raw:
            if key not in known:
                self.error(path + (key,), f"'{key}' is not part of a step",
                           f"A step has: {', '.join(sorted(known))}.{did_you_mean(key, known)}")
        due = None
        if raw.get("due") is not None:
            parsed = parse_due(raw["due"])
            if isinstance(parsed, str):
                self.error(path + ("due",), f"due '{raw['due']}' {parsed}")
            else:
                due = parsed
        strength = self.choice(raw, "strength", ("must", "should"), path)
        gate = self.choice(raw, "gate", ("firm", "should"), path)
        status = raw.get("status")
        if status is not None and status not in kind.statuses:
            self.error(path + ("status",), f"'{status}' is not a status of {kind.a}",
                       f"Use one of: {', '.join(kind.statuses)}.{did_you_mean(status, kind.statuses)}")
            status = None
        field_name = raw.get("field")
        if field_name is not None and (not isinstance(field_name, str) or kind.fields.get(field_name) is None
                                       or kind.fields[field_name].type != "date"):
            self.error(path + ("field",), f"'{field_name}' is not a date field of {kind.a}",
                       f"Name one of its date fields.{did_you_mean(str(field_name), kind.fields)}")
            field_name = None
        meeting = raw.get("meeting")
        if meeting is not None:
            meeting = _meeting(meeting)
            if meeting is None:
                self.error(path + ("meeting",), f"meeting '{raw['meeting']}' should be board or splig")
        done_by = [key for key in ("approval", "field", "meeting", "record", "actions") if raw.get(key) is not None]
        if len(done_by) > 1:
            self.error(path + (done_by[1],), f"step '{name}' is done by {' and by '.join(done_by)}: give it one",
                       "A step is done by a sign-off, a date field, a meeting or a record, or by `mars step`.")
        record = raw.get("record")
        if record is not None and (not isinstance(record, str) or record not in kinds.registry()):
            self.error(path + ("record",), f"'{record}' is not a kind of record",
                       did_you_mean(str(record), kinds.registry()).strip())
            record = None
        by_actions = raw.get("actions")
        if by_actions is not None and (by_actions != "closed" or kind.name != "action-plan"):
            self.error(path + ("actions",), "`actions: closed` is the only value, and only for an action plan's step",
                       "It marks the step done when every action of the plan is complete or dropped.")
            by_actions = None
        optional = raw.get("optional", False)
        if not isinstance(optional, bool):
            self.error(path + ("optional",), "optional should be true or false")
            optional = False
        return Step(name, self.text(raw, "label", path, name), due, strength, self.names(raw, "needs", path),
                    gate, optional, status, self.text(raw, "lead", path), self.text(raw, "source", path),
                    self.text(raw, "approval", path) or None, field_name, meeting, record, by_actions == "closed")

    def choice(self, raw: dict, key: str, allowed: tuple[str, ...], path: tuple) -> str:
        value = raw.get(key, allowed[0])
        if value not in allowed:
            self.error(path + (key,), f"{key} '{value}' should be {' or '.join(allowed)}")
            return allowed[0]
        return value

    def check_references(self, kind: kinds.Kind, steps: dict[str, Step], approvals: dict, path: tuple) -> None:
        dates = {n for n, f in kind.fields.items() if f.type == "date"}
        for name, step in list(steps.items()):
            if step.due:
                steps[name] = step = dataclasses.replace(step, due=dataclasses.replace(
                    step.due, words=_due_words(step.due, steps)))
            at = path + ("steps", step.name)
            if step.approval and step.approval not in approvals:
                self.error(at + ("approval",), f"'{step.approval}' is not an approval of {kind.a}",
                           f"Approvals: {', '.join(approvals) or 'none'}.{did_you_mean(step.approval, approvals)}")
            for need in step.needs:
                what, target = need_of(need)
                ok = (need in approvals or need in steps and need != step.name
                      or what == "field" and target in kind.fields or what == "section" and target.startswith("#"))
                if not ok:
                    self.error(at + ("needs",), f"'{need}' is not an approval, another step, field:NAME or "
                               f"section:## HEADING of {kind.a}",
                               did_you_mean(need, [*approvals, *steps]).strip())
            if step.due and step.due.anchor not in dates and step.due.anchor not in steps and step.due.anchor != "year_end":
                self.error(at + ("due",), f"'{step.due.anchor}' in due '{step.due.text}' is not a date field or a step "
                           f"of {kind.a}", f"Date fields: {', '.join(sorted(dates))}.{did_you_mean(step.due.anchor, [*dates, *steps])}")
            if step.due and step.due.anchor == step.name:
                self.error(at + ("due",), f"step '{step.name}' cannot be due relative to itself",
                           "Count from a date field or another step.")
            if step.due and step.due.anchor == "year_end" and "year" not in kind.fields:
                self.error(at + ("due",), f"{kind.a} has no `year` field, so year_end has no meaning for it")

    def named(self, name, path: tuple, what: str) -> bool:
        if isinstance(name, str) and _NAME.fullmatch(name):
            return True
        self.error(path, f"'{name}' cannot name {what}: use lower-case letters, digits and dashes",
                   "For example: letter-sent.")
        return False

    def check_status_order(self, kind: kinds.Kind, steps: dict[str, Step], path: tuple) -> None:
        """Statuses follow the steps, so the steps must give them in the kind's order."""
        highest: Step | None = None
        for step in steps.values():
            if step.status is None:
                continue
            if highest and kind.statuses.index(step.status) < kind.statuses.index(highest.status):
                self.error(path + ("steps", highest.name, "status"), f"step '{highest.name}' gives the status "
                           f"'{highest.status}' before step '{step.name}' gives '{step.status}'",
                           f"{kind.a.capitalize()} goes {' -> '.join(kind.statuses)}.")
                return
            if highest is None or kind.statuses.index(step.status) > kind.statuses.index(highest.status):
                highest = step

    def check_cycles(self, kind: kinds.Kind, steps: dict[str, Step], path: tuple) -> None:
        """Steps that need each other, directly or round a loop, could never be recorded."""
        def reaches(start: str, goal: str, seen: set) -> bool:
            for need in steps[start].needs if start in steps else ():
                if need == goal or (need in steps and need not in seen and reaches(need, goal, seen | {need})):
                    return True
            return False

        for name in steps:
            if reaches(name, name, {name}):
                self.error(path + ("steps", name, "needs"), f"step '{name}' of {kind.a} needs itself, through "
                           "the steps it needs, so it could never be recorded", "Remove one `needs:` of the loop.")

    def year_rule(self, name: str, raw: dict, out: Processes, path: tuple, steps: dict) -> YearRule | None:
        check = raw.get("check")
        if not isinstance(check, str) or check not in YEARLY_CHECKS:
            self.error(path + ("check",), f"check '{check}' is not a yearly check",
                       f"Checks: {', '.join(YEARLY_CHECKS)}.{did_you_mean(str(check), YEARLY_CHECKS)}")
            return None
        takes = [k.rstrip("?") for k in YEARLY_CHECKS[check]]
        for key in raw:
            if key not in (*takes, "check", "source"):
                self.error(path + (key,), f"'{key}' is not a setting of the check '{check}'",
                           f"It takes: {', '.join(takes) or 'nothing but source'}.")
        settings = {}
        for key, kind in YEARLY_CHECKS[check].items():
            optional, key = key.endswith("?"), key.rstrip("?")
            value = raw.get(key)
            if optional and value is None:
                continue
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                ok = False
            elif kind is int:
                ok = isinstance(value, int) and 1 <= value <= 10
            elif kind == "duration":
                value = parse_duration(value)
                ok = value is not None
            elif kind == "report":
                ok = value in out.reports
            elif kind == "step":
                ok = value in steps
            else:
                value = _meeting(value)
                ok = value is not None
            if not ok:
                hint = {"report": f"Reports: {', '.join(out.reports)}.", "meeting": "Write board or splig.",
                        "step": f"Steps: {', '.join(steps)}.",
                        "duration": "Write e.g. 4 weeks or 6 months (1 or more, at most ten years)."
                        }.get(kind, "Write a whole number from 1 to 10.")
                given = "is missing" if raw.get(key) is None else f"'{raw.get(key)}' will not do"
                self.error(path + (key,), f"{check} check '{name}' needs `{key}:`; it {given}", hint)
                return None
            settings[key] = value
        return YearRule(name, check, settings, self.text(raw, "source", path))


def _due_words(due: Due, steps: dict) -> str:
    """A deadline rule said for people: the date it counts from named as it is written in the record."""
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


def _signer_problem(entry: str) -> str:
    """Why a signers entry cannot be met, or ''."""
    from mars_cli.framework.config import ROLE_TARGETS, ROLES

    for role in entry.split("|"):
        base, colon, target = role.partition(":")
        if base not in ROLES:
            return f"names '{base}', which is not a role mars knows ({', '.join(ROLES)})"
        if colon and base not in ROLE_TARGETS:
            return f"gives '{base}' a target, but it takes none"
        if colon and target in ("{partner}", "{agency}"):
            wanted = "{partner}" if ROLE_TARGETS[base] == "partners" else "{agency}"
            if target != wanted:
                return f"writes {role}: {base} is held for a {'partner' if wanted == '{partner}' else 'setting'}"
    return ""


def _meeting(value) -> str | None:
    """board / splig (or the kind's full name) -> board-meeting / splig-meeting."""
    if not isinstance(value, str):
        return None
    return MEETINGS.get(value) or (value if value in MEETINGS.values() else None)


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)
