"""Reading the processes: the merged shipped and workspace data turned into Processes.

Reading is tolerant: what is understood is used, and every problem is a Finding
at the line that caused it, in the workspace's processes.yaml when it wrote that
part and in the shipped file otherwise.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import TypeVar

from mars_cli.framework import kinds
from mars_cli.framework.config import ROLE_TARGETS, ROLES
from mars_cli.framework.process_types import (
    EXTENSION_OTHERS,
    LEAD_FIELD_TYPES,
    Approval,
    ConflictRule,
    Due,
    ExtensionRule,
    Process,
    Processes,
    Step,
    YearRule,
    due_words,
    lead_entries,
    meeting_kind,
    need_of,
    parse_due,
    parse_duration,
)
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, Finding, Source
from mars_cli.store import yaml12

SHIPPED = "mars_cli/process/processes.yaml"  # how findings name the shipped file
SECTIONS = ("settings", "reports", "extensions", "processes")
SETTINGS = ("due_soon_days", "papers_cutoff_days", "closed_years_until")
PROCESS_KEYS = {"lead", "source", "approvals", "steps", "yearly", "conflict_of_interest"}
APPROVAL_KEYS = {"what", "signers", "covers", "independent", "if_conflicted", "source"}
STEP_KEYS = {"label", "due", "strength", "needs", "gate", "optional", "status", "lead", "source",
             "approval", "field", "meeting", "record", "actions", "same_as", "dated_by"}
DONE_BY = ("approval", "field", "meeting", "record", "actions", "same_as")  # a step is done by at most one of these
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
T = TypeVar("T")


class Reader:
    """Turns the merged data into Processes, reporting each problem at the line that caused it."""

    def __init__(self, base: yaml12.Loaded, override: yaml12.Loaded | None, override_path: str):
        self.base = Source(SHIPPED, base.lines)
        self.override = Source(override_path, override.lines) if override is not None else None
        self.override_keys = set(override.lines) if override is not None else set()
        self.findings: list[Finding] = []

    # ------------------------------------------------------------------------- where and what

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

    # ------------------------------------------------------------------------- values of any part

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

    def flag(self, entry: dict, key: str, path: tuple) -> bool:
        value = entry.get(key, False)
        if not isinstance(value, bool):
            self.error(path + (key,), f"{key} should be true or false")
            return False
        return value

    def choice(self, raw: dict, key: str, allowed: tuple[str, ...], path: tuple) -> str:
        value = raw.get(key, allowed[0])
        if value not in allowed:
            self.error(path + (key,), f"{key} '{value}' should be {' or '.join(allowed)}")
            return allowed[0]
        return value

    def named(self, name, path: tuple, what: str) -> bool:
        if isinstance(name, str) and _NAME.fullmatch(name):
            return True
        self.error(path, f"'{name}' cannot name {what}: use lower-case letters, digits and dashes",
                   "For example: letter-sent.")
        return False

    def only(self, raw: dict, known: set[str], path: tuple, part: str) -> None:
        """Say each key that is not part of `part` ("a step")."""
        for key in raw:
            if key not in known:
                self.error(path + (key,), f"'{key}' is not part of {part}",
                           f"{part.capitalize()} has: {', '.join(sorted(known))}.{did_you_mean(key, known)}")

    def entries(self, raw: dict, section: str, path: tuple, what: str,
                read: Callable[[str, dict, tuple], T | None]) -> dict[str, T]:
        """A section of `name: {...}` entries, each read by `read(name, entry, path)`; None leaves it out."""
        out = {}
        for name, entry in self.mapping(raw.get(section), path + (section,)).items():
            at = path + (section, name)
            if not self.named(name, at, what):
                continue
            item = read(name, self.mapping(entry, at), at)
            if item is not None:
                out[name] = item
        return out

    # ------------------------------------------------------------------------- the file

    def changes(self, override: yaml12.Loaded | None) -> dict:
        """What of the workspace's processes.yaml can be merged into the shipped data: a section or a
        process that is not a set of entries is said and left out, so the shipped one applies."""
        if override is None or override.data is None:
            return {}
        if not isinstance(override.data, dict):
            self.error((), "processes.yaml must be a set of `key: value` sections (settings, reports, processes)",
                       "See the shipped rules with `mars rules --format yaml`, and README 'Changing the rules'.")
            return {}
        changes = dict(override.data)
        for section in SECTIONS:
            if section in changes and not isinstance(changes[section], (dict, type(None))):
                self.error((section,), f"`{section}:` should be a set of `name: ...` entries, so the shipped "
                           f"{section} apply", "Indent its entries under it, one `name: value` per line.")
                del changes[section]
        kinds_given = changes.get("processes") or {}
        for kind, entry in kinds_given.items():
            if not isinstance(entry, (dict, type(None))):
                self.error(("processes", kind), f"processes.{kind} should be a set of sections (steps, "
                           "approvals, yearly...), so the shipped process applies")
        if kinds_given:
            changes["processes"] = {k: v for k, v in kinds_given.items() if isinstance(v, (dict, type(None)))}
        return changes

    def processes(self, data: dict) -> Processes:
        out = Processes()
        self.settings(self.mapping(data.get("settings"), ("settings",)), out)
        reports = self.mapping(data.get("reports"), ("reports",))
        out.reports = {str(k): v if isinstance(v, str) else str(k) for k, v in reports.items()}
        for name, raw in self.mapping(data.get("processes"), ("processes",)).items():
            kind = kinds.registry().get(name)
            if kind is None:
                self.error(("processes", name), f"'{name}' is not a kind of record",
                           f"`mars kinds` lists them.{did_you_mean(name, kinds.registry())}")
                continue
            out.by_kind[name] = self.process(kind, self.mapping(raw, ("processes", name)), out, ("processes", name))
        self.check_links(out)
        self.closed_years_until(self.mapping(data.get("settings"), ("settings",)), out)
        out.extensions = self.extension_rule(self.mapping(data.get("extensions"), ("extensions",)))
        for key in data:
            if key not in SECTIONS:
                self.error((key,), f"'{key}' is not a section of processes.yaml",
                           f"Sections: {', '.join(SECTIONS)}.{did_you_mean(key, SECTIONS)}")
        return out

    def check_links(self, out: Processes) -> None:
        """Each `same_as` names a step of the other kind's process, itself not linked (so it has a date of its own)."""
        for kind, process in out.by_kind.items():
            for name, step in process.steps.items():
                if step.same_as is None:
                    continue
                other, target = step.same_as
                steps = out.by_kind[other].steps if other in out.by_kind else {}
                if target not in steps or steps[target].same_as:
                    self.error(("processes", kind, "steps", name, "same_as"),
                               f"same_as: '{target}' is not a step of the {other} process that has a date of its own",
                               f"Steps: {', '.join(s for s in steps if not steps[s].same_as) or 'none'}."
                               f"{did_you_mean(target, steps)}")

    def settings(self, settings: dict, out: Processes) -> None:
        for key in settings:
            if key not in SETTINGS:
                self.error(("settings", key), f"'{key}' is not a setting",
                           f"Settings: {', '.join(SETTINGS)}.{did_you_mean(key, SETTINGS)}")
        out.due_soon_days = self.days(settings, "due_soon_days", out.due_soon_days)
        out.papers_cutoff_days = self.days(settings, "papers_cutoff_days", out.papers_cutoff_days)

    def closed_years_until(self, settings: dict, out: Processes) -> None:
        """KIND.STEP: a step of a kind with a `year:` field (the yearly report's publication)."""
        value = settings.get("closed_years_until", out.closed_years_until)
        kind_name, _, step = value.partition(".") if isinstance(value, str) else ("", "", "")
        kind = kinds.registry().get(kind_name)
        process = out.by_kind.get(kind_name)
        hint = "Write the kind and the step that ends a year's reporting, e.g. annual-report.published."
        if kind is None or "year" not in kind.fields or kind.fields["year"].type != "year":
            self.error(("settings", "closed_years_until"), f"settings.closed_years_until '{value}' should name a "
                       "kind of record with a `year:` field, then a step of it", hint)
        elif process is None or step not in process.steps:
            steps = list(process.steps) if process else []
            self.error(("settings", "closed_years_until"), f"settings.closed_years_until: '{step}' is not a step of "
                       f"{kind.a}", f"{hint}{did_you_mean(step, steps)}")
        else:
            out.closed_years_until = value

    def extension_rule(self, raw: dict) -> ExtensionRule:
        """`extensions:`: the roles that may agree an action's extension, and who else may."""
        path = ("extensions",)
        self.only(raw, {"roles", "others", "source"}, path, "extensions")
        roles = self.names(raw, "roles", path)
        for role in roles:
            problem = _signer_problem(role) if "{" not in role and "|" not in role else "is not one role"
            if problem:
                self.error(path + ("roles",), f"extensions.roles entry '{role}' {problem}",
                           "Write roles such as splig-chair, portfolio-lead or dsp:police.")
        others = self.choice(raw, "others", EXTENSION_OTHERS, path)
        return ExtensionRule(roles, others, self.text(raw, "source", path))

    def days(self, settings: dict, key: str, default: int) -> int:
        value = settings.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 366:
            return value
        self.error(("settings", key), f"settings.{key} should be a whole number of days (0 to 366)")
        return default

    # ------------------------------------------------------------------------- a kind's process

    def process(self, kind: kinds.Kind, raw: dict, out: Processes, path: tuple) -> Process:
        self.only(raw, PROCESS_KEYS, path, "a process")
        approvals = self.entries(raw, "approvals", path, "an approval",
                                 lambda name, entry, at: self.approval(kind, name, entry, at))
        steps = self.entries(raw, "steps", path, "a step", lambda name, entry, at: self.step(kind, name, entry, at))
        steps = {name: _in_words(step, steps) for name, step in steps.items()}
        self.check_status_order(kind, steps, path)
        self.check_references(kind, steps, approvals, path)
        self.check_cycles(kind, steps, path)
        yearly = self.entries(raw, "yearly", path, "a yearly check",
                              lambda name, entry, at: self.year_rule(kind, name, entry, out, at, steps))
        for name in sorted(set(steps) & set(approvals)):
            self.error(path + ("approvals", name), f"'{name}' names both a step and an approval of {kind.a}",
                       "Give the approval another name, so `needs:` is unambiguous.")
        conflict = self.conflict_rule(kind, raw.get("conflict_of_interest"), path + ("conflict_of_interest",))
        return Process(kind.name, self.text(raw, "lead", path), self.text(raw, "source", path, kind.framework),
                       approvals, steps, yearly, conflict)

    def conflict_rule(self, kind: kinds.Kind, value, path: tuple) -> ConflictRule | None:
        if value is None:
            return None
        entry = self.mapping(value, path)
        people = [n for n, s in kind.fields.items() if s.type in ("person", "people")]
        fields = self.names(entry, "fields", path)
        for f in fields:
            if f not in people:
                self.error(path + ("fields",), f"'{f}' is not a field of {kind.a} that names people",
                           did_you_mean(f, people).strip())
        return ConflictRule(fields, self.text(entry, "source", path))

    def approval(self, kind: kinds.Kind, name: str, raw: dict, path: tuple) -> Approval:
        self.only(raw, APPROVAL_KEYS, path, "an approval")
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
            problem = _cover_problem(kind, item)
            if problem:
                self.error(path + ("covers",), *problem)
        independent = self.flag(raw, "independent", path)
        return Approval(name, self.text(raw, "what", path, name), signers, covers, independent,
                        self.names(raw, "if_conflicted", path), self.text(raw, "source", path))

    # ------------------------------------------------------------------------- steps

    def step(self, kind: kinds.Kind, name: str, raw: dict, path: tuple) -> Step:
        self.only(raw, STEP_KEYS, path, "a step")
        due = self.due(raw, path)
        strength = self.choice(raw, "strength", ("must", "should"), path)
        gate = self.choice(raw, "gate", ("firm", "should"), path)
        status = self.valid(kind, raw, "status", path, _not_a_status)
        field_name = self.valid(kind, raw, "field", path, _not_a_date_field)
        meeting = self.meeting(raw, path)
        self.check_done_by(name, raw, path)
        record = self.valid(kind, raw, "record", path, _not_a_kind)
        by_actions = self.valid(kind, raw, "actions", path, _not_closed_actions)
        optional = self.flag(raw, "optional", path)
        same_as = self.valid(kind, raw, "same_as", path, _not_a_link)
        dated_by = self.valid(kind, raw, "dated_by", path, _not_a_date_field)
        if dated_by and field_name:
            self.error(path + ("dated_by",), f"step '{name}' is done by its field `{field_name}`, so no other field "
                       "can say its day", "Remove `dated_by:`.")
            dated_by = None
        return Step(name, self.text(raw, "label", path, name), due, strength, self.names(raw, "needs", path),
                    gate, optional, status, self.lead(kind, raw, path), self.text(raw, "source", path),
                    self.text(raw, "approval", path) or None, field_name, meeting, record, by_actions == "closed",
                    same_as=tuple(same_as.split(":", 1)) if same_as else None, dated_by=dated_by)

    def lead(self, kind: kinds.Kind, raw: dict, path: tuple) -> tuple[str, ...]:
        """Who does the step: entries of roles, `field:NAME` or `agency`, each `a|b` (the first that names
        anyone); () when not given or not understood (the step is then the record owner's)."""
        if raw.get("lead") is None:
            return ()
        entries = lead_entries(raw["lead"])
        if entries is None:
            self.error(path + ("lead",), "lead should name who does the step: a role, field:NAME or agency "
                       "(or a list of them)", LEAD_HINT)
            return ()
        for entry in entries:
            for alternative in entry.split("|"):
                problem = _lead_problem(kind, alternative.strip())
                if problem:
                    self.error(path + ("lead",), f"lead '{alternative.strip()}' {problem[0]}", problem[1])
                    return ()
        return tuple("|".join(a.strip() for a in e.split("|")) for e in entries)

    def valid(self, kind: kinds.Kind, raw: dict, key: str, path: tuple,
              problem: Callable[[kinds.Kind, object], tuple[str, str] | None]):
        """raw[key] when it is given and `problem` finds nothing wrong with it for the kind, else None."""
        value = raw.get(key)
        if value is None:
            return None
        found = problem(kind, value)
        if found:
            self.error(path + (key,), *found)
            return None
        return value

    def due(self, raw: dict, path: tuple) -> Due | None:
        if raw.get("due") is None:
            return None
        parsed = parse_due(raw["due"])
        if isinstance(parsed, str):
            self.error(path + ("due",), f"due '{raw['due']}' {parsed}")
            return None
        return parsed

    def meeting(self, raw: dict, path: tuple) -> str | None:
        if raw.get("meeting") is None:
            return None
        meeting = meeting_kind(raw["meeting"])
        if meeting is None:
            self.error(path + ("meeting",), f"meeting '{raw['meeting']}' should be board or splig")
        return meeting

    def check_done_by(self, name: str, raw: dict, path: tuple) -> None:
        done_by = [key for key in DONE_BY if raw.get(key) is not None]
        if len(done_by) > 1:
            self.error(path + (done_by[1],), f"step '{name}' is done by {' and by '.join(done_by)}: give it one",
                       "A step is done by a sign-off, a date field, a meeting or a record, or by `mars step`.")

    def check_references(self, kind: kinds.Kind, steps: dict[str, Step], approvals: dict, path: tuple) -> None:
        """What each step names (its approval, its needs, the date its deadline counts from) is there."""
        for step in steps.values():
            for check in REFERENCE_CHECKS:
                for key, message, hint in check(kind, step, steps, approvals):
                    self.error(path + ("steps", step.name, key), message, hint)

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

    # ------------------------------------------------------------------------- yearly checks

    def year_rule(self, kind: kinds.Kind, name: str, raw: dict, out: Processes, path: tuple,
                  steps: dict) -> YearRule | None:
        check = raw.get("check")
        if check == "every-agency" and kind.agency_rule is None:
            self.error(path + ("check",), f"{kind.a} is not about agencies, so an every-agency check cannot "
                       "apply to it")
            return None
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
        for key, read in YEARLY_CHECKS[check].items():
            optional, key = key.endswith("?"), key.rstrip("?")
            if optional and raw.get(key) is None:
                continue
            value, hint = read(raw.get(key), out.reports, steps)
            if value is None:
                given = "is missing" if raw.get(key) is None else f"'{raw.get(key)}' will not do"
                self.error(path + (key,), f"{check} check '{name}' needs `{key}:`; it {given}", hint)
                return None
            settings[key] = value
        return YearRule(name, check, settings, self.text(raw, "source", path))


# ----------------------------------------------------------------------------- a step's own values
# Each says why a value given for a step will not do for the kind: (message, hint), or None.

def _not_a_status(kind: kinds.Kind, status) -> tuple[str, str] | None:
    if status in kind.statuses:
        return None
    return (f"'{status}' is not a status of {kind.a}",
            f"Use one of: {', '.join(kind.statuses)}.{did_you_mean(status, kind.statuses)}")


def _not_a_date_field(kind: kinds.Kind, name) -> tuple[str, str] | None:
    if isinstance(name, str) and kind.fields.get(name) is not None and kind.fields[name].type == "date":
        return None
    return (f"'{name}' is not a date field of {kind.a}",
            f"Name one of its date fields.{did_you_mean(str(name), kind.fields)}")


LEAD_HINT = ("Write a role from mars.yaml (mars-officer, iso, portfolio-lead, splig-chair, dsp:{partner}, "
             "head:{agency}...), field:NAME for a field of the record naming a person (field:lead_iso), or agency; "
             "a|b takes the first that names anyone.")


def _lead_problem(kind: kinds.Kind, alternative: str) -> tuple[str, str] | None:
    """Why one alternative of a step's lead cannot name anyone on this kind: (message, hint), or None."""
    if alternative == "agency":
        if "agency" in kind.fields:
            return None
        return (f"names the agency, but {kind.a} has no `agency:`", "Name a role or field:NAME instead.")
    if alternative.startswith("field:"):
        name = alternative[len("field:"):].strip()
        spec = kind.fields.get(name)
        if spec is not None and spec.type in LEAD_FIELD_TYPES:
            return None
        fields = [n for n, f in kind.fields.items() if f.type in LEAD_FIELD_TYPES]
        return (f"names '{name}', which is not a field of {kind.a} naming a person or an agency",
                f"Fields that do: {', '.join(fields)}.{did_you_mean(name, fields)}")
    problem = _signer_problem(alternative)
    if problem:
        base = alternative.partition(":")[0]
        return problem, f"{LEAD_HINT}{did_you_mean(base, [*ROLES, 'agency', 'field:'])}"
    if alternative.endswith(":{agency}") and "agency" not in kind.fields:
        return f"names the agency's {alternative.partition(':')[0]}, but {kind.a} has no `agency:`", LEAD_HINT
    return None


def _not_a_kind(kind: kinds.Kind, record) -> tuple[str, str] | None:
    if isinstance(record, str) and record in kinds.registry():
        return None
    return f"'{record}' is not a kind of record", did_you_mean(str(record), kinds.registry()).strip()


def _not_a_link(kind: kinds.Kind, value) -> tuple[str, str] | None:
    """`same_as: KIND:STEP` needs a field of this kind named KIND that names a record, and KIND a kind."""
    other, colon, step = value.partition(":") if isinstance(value, str) else ("", "", "")
    spec = kind.fields.get(other)
    if colon and step and other in kinds.registry() and spec is not None and spec.type == "record":
        return None
    links = [n for n, f in kind.fields.items() if f.type == "record" and n in kinds.registry()]
    return (f"same_as '{value}' should be KIND:STEP, where {kind.a} has a field KIND naming a record of that kind",
            f"Fields that can link: {', '.join(links) or 'none'} (e.g. same_as: section11:issued).")


def _not_closed_actions(kind: kinds.Kind, value) -> tuple[str, str] | None:
    if value == "closed" and kind.name == "action-plan":
        return None
    return ("`actions: closed` is the only value, and only for an action plan's step",
            "It marks the step done when every action of the plan is complete or dropped.")


# ----------------------------------------------------------------------------- what a step names
# Each yields (key, message, hint) for a name in the step that is not in its process.

References = Iterator[tuple[str, str, str]]


def _unknown_approval(kind: kinds.Kind, step: Step, steps: dict, approvals: dict) -> References:
    if step.approval and step.approval not in approvals:
        yield ("approval", f"'{step.approval}' is not an approval of {kind.a}",
               f"Approvals: {', '.join(approvals) or 'none'}.{did_you_mean(step.approval, approvals)}")


def _unknown_needs(kind: kinds.Kind, step: Step, steps: dict, approvals: dict) -> References:
    for need in step.needs:
        what, target = need_of(need)
        if not (need in approvals or need in steps and need != step.name
                or what == "field" and target in kind.fields or what == "section" and target.startswith("#")):
            message = f"'{need}' is not an approval, another step, field:NAME or section:## HEADING of {kind.a}"
            yield "needs", message, did_you_mean(need, [*approvals, *steps]).strip()


def _unknown_anchor(kind: kinds.Kind, step: Step, steps: dict, approvals: dict) -> References:
    dates = {n for n, f in kind.fields.items() if f.type == "date"}
    if step.due and step.due.anchor not in dates and step.due.anchor not in steps and step.due.anchor != "year_end":
        yield ("due", f"'{step.due.anchor}' in due '{step.due.text}' is not a date field or a step of {kind.a}",
               f"Date fields: {', '.join(sorted(dates))}.{did_you_mean(step.due.anchor, [*dates, *steps])}")


def _due_from_itself(kind: kinds.Kind, step: Step, steps: dict, approvals: dict) -> References:
    if step.due and step.due.anchor == step.name:
        yield "due", f"step '{step.name}' cannot be due relative to itself", "Count from a date field or another step."


def _year_end_without_year(kind: kinds.Kind, step: Step, steps: dict, approvals: dict) -> References:
    if step.due and step.due.anchor == "year_end" and "year" not in kind.fields:
        yield "due", f"{kind.a} has no `year` field, so year_end has no meaning for it", ""


REFERENCE_CHECKS = (_unknown_approval, _unknown_needs, _unknown_anchor, _due_from_itself, _year_end_without_year)


# ----------------------------------------------------------------------------- yearly check settings
# Each turns a setting's value into what the check uses, or None when it will not do; and a hint.

def _whole_number(value, reports: dict, steps: dict) -> tuple[object, str]:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10
    return (value if ok else None), "Write a whole number from 1 to 10."


def _duration(value, reports: dict, steps: dict) -> tuple[object, str]:
    return parse_duration(value), "Write e.g. 4 weeks or 6 months (1 or more, at most ten years)."


def _report(value, reports: dict, steps: dict) -> tuple[object, str]:
    return (value if isinstance(value, str) and value in reports else None), f"Reports: {', '.join(reports)}."


def _step(value, reports: dict, steps: dict) -> tuple[object, str]:
    return (value if isinstance(value, str) and value in steps else None), f"Steps: {', '.join(steps)}."


def _meeting(value, reports: dict, steps: dict) -> tuple[object, str]:
    return meeting_kind(value), "Write board or splig."


YEARLY_CHECKS = {  # check type -> its settings ("?" after a name: optional) and how each is read
    "every-agency": {"cycle_years": _whole_number, "after?": _duration},
    "count": {"at_least": _whole_number, "after?": _duration},
    "interval": {"every": _duration},
    "periodic-report": {"report": _report, "meeting": _meeting, "every": _duration},
    "follow-up-report": {"report": _report, "then": _report, "meeting": _meeting, "due": _duration},
    "report-when-complete": {"step": _step, "report": _report, "meeting": _meeting},
    "iso-allowance": {},
}


def _in_words(step: Step, steps: dict[str, Step]) -> Step:
    """The step with its deadline rule said for people."""
    if not step.due:
        return step
    return dataclasses.replace(step, due=dataclasses.replace(step.due, words=due_words(step.due, steps)))


def _cover_problem(kind: kinds.Kind, item: str) -> tuple[str, str] | None:
    """Why an approval cannot cover `item`: (message, hint), or None."""
    if item in ("steps", "signoffs", "status"):
        return (f"a sign-off cannot cover '{item}': it changes as work is recorded",
                "Cover the fields and sections the approval is about.")
    if item != "body" and not item.startswith("#") and item not in kind.fields:
        return (f"'{item}' is not a field of {kind.a}",
                f"Name a field, a section as '## Heading', or body.{did_you_mean(item, kind.fields)}")
    return None


def _signer_problem(entry: str) -> str:
    """Why a signers entry cannot be met, or ''."""
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


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)
