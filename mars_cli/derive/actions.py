"""Actions as of a day: each action plan's action files, and the actions written inline in audits.

An action file (records/action-plan/<year>/<plan-id>/<action-id>.md) is one action of
its plan; a Section 11, school or early-years audit may also list its own actions
under `actions:`. Both are read into the same Action, so every list, dashboard
and document treats them alike. Looking back (`--as-of` before today), what was
recorded later does not count: an action completed after that day was still
open then, and an extension agreed after it had not moved the due date yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mars_cli.framework import kinds
from mars_cli.framework.process_types import ExtensionRule
from mars_cli.model import dates
from mars_cli.model.records import Config, Record, Workspace

CLOSED = ("complete", "dropped")
RED, AMBER, GREEN, BLUE, GREY = "red", "amber", "green", "complete", "dropped"
RAG_ORDER = (RED, AMBER, GREEN, BLUE, GREY)
RAG_OPEN = (RED, AMBER, GREEN)  # the RAG of open actions; closed ones are complete or dropped


@dataclass
class Action:
    id: str
    title: str
    owner: str  # a person or an agency id, as written ('' when none)
    due: dt.date | None  # the due date on the day asked about
    status: str  # on that day
    record: Record  # the action's own file, or the audit that lists it inline
    plan: Record | None  # the action plan (None for an audit's own actions)
    source: Record | None  # what the plan (or the audit) came from
    lead_partner: str = ""
    completed: dt.date | None = None
    original_due: dt.date | None = None  # before any extension
    extensions: list[dict] = field(default_factory=list)  # agreed by that day
    updates: list[dict] = field(default_factory=list)  # given by that day
    evidence: list = field(default_factory=list)
    index: int | None = None  # position in the audit's `actions:` list (inline actions)
    entry: dict = field(default_factory=dict)  # its fields as written: the file's, or the audit's list entry
    agency: str = ""  # the agency owning it: the owner, or the owner's agency, or the audit's agency
    partner: str = ""  # the lead partner, else the owning agency's partner

    @property
    def path(self) -> str:
        return self.record.path

    def line_of(self, name: str) -> int:
        """Where one of its fields is written."""
        return self.record.line(name) if self.index is None else self.record.line("actions", self.index, name)

    @property
    def line(self) -> int:
        """Where its due date is written."""
        return self.line_of("due")

    @property
    def open(self) -> bool:
        return self.status not in CLOSED

    @property
    def marking(self) -> str:
        """Its own marking, or its plan's when that is higher (a plan's title shows beside it)."""
        own = [self.record.text("marking") or "", self.plan.text("marking") or "" if self.plan else ""]
        return "OFFICIAL-SENSITIVE" if "OFFICIAL-SENSITIVE" in own else "OFFICIAL"

    @property
    def source_kind(self) -> str:
        return self.source.kind if self.source else ""

    @property
    def container(self) -> Record:
        """The record it belongs to: its plan, or the audit listing it."""
        return self.plan or self.record

    @property
    def closed_on(self) -> dt.date | None:
        """The day it was completed, or dropped (its last update); None while open or when not written."""
        return _closed_on(self.status, self.completed, self.updates)

    def days_overdue(self, day: dt.date) -> int:
        """Days past due (due means the end of that day: 0 on the day itself)."""
        return max((day - self.due).days, 0) if self.open and self.due else 0

    def completed_late_by(self) -> int:
        if self.status == "complete" and self.completed and self.due and self.completed > self.due:
            return (self.completed - self.due).days
        return 0

    def rag(self, day: dt.date, soon_days: int) -> str:
        if self.status == "complete":
            return BLUE
        if self.status == "dropped":
            return GREY
        if self.due is None or (self.due - day).days <= soon_days:
            return RED if self.due and day > self.due else AMBER
        return GREEN


def actions(ws: Workspace, day: dt.date) -> list[Action]:
    """Every action that existed on `day`, as it stood then, by due date then ID. An audit whose
    actions were carried forward into a later one no longer counts: they are followed there."""
    by_id = ws.by_id()
    carried = _carried(ws, by_id, day)
    out = []
    for record in ws.records:
        if not record.existed_on(day):
            continue
        if record.kind == "action":
            plan = by_id.get(plan_folder(record))
            plan = plan if plan is not None and plan.kind == "action-plan" else None
            source = by_id.get(plan.text("source") or "") if plan else None
            out.append(_from_file(ws.config, record, plan, source, day))
        elif isinstance(record.fields.get("actions"), list) and has_own_actions(record):
            for index, entry in enumerate(record.fields["actions"]):
                if isinstance(entry, dict) and _key(entry) not in carried.get(record.id, ()):
                    out.append(_inline(ws.config, record, index, entry, day))
    return sorted(out, key=lambda a: (a.due or dt.date.max, a.id))


def has_own_actions(record: Record) -> bool:
    """Whether the record's kind lists actions of its own (`actions:`), as audits do."""
    kind = kinds.get(record.kind)
    return kind is not None and "actions" in kind.fields


def _carried(ws: Workspace, by_id: dict[str, Record], day: dt.date) -> dict[str, set]:
    """Audit ID -> its actions carried into a later audit of the same kind and agency (by `id:` or
    their text), which are followed there, not twice; an action not carried stays where it was."""
    out: dict[str, set] = {}
    for record in ws.records:
        source = by_id.get(record.text("carried_forward_from") or "")
        if (source is None or source is record or not record.existed_on(day) or source.kind != record.kind
                or source.text("agency") != record.text("agency")
                or not (source.date("created") or dt.date.max) < (record.date("created") or dt.date.min)):
            continue
        listed = record.fields.get("actions")
        if isinstance(listed, list):
            out.setdefault(source.id, set()).update(_key(e) for e in listed if isinstance(e, dict))
    return out


def _key(entry: dict):
    """What identifies an audit's own action when it is carried forward: its id, else its text."""
    return _text(entry.get("id")) or _text(entry.get("action")).strip()


def plan_folder(record: Record) -> str:
    """The plan an action file belongs to: the folder it sits in is named after the plan's ID."""
    return record.path.rpartition("/")[0].rpartition("/")[2]


def _from_file(config: Config, record: Record, plan: Record | None, source: Record | None, day: dt.date) -> Action:
    f = record.fields
    every = entries(f.get("updates"))
    updates = [u for u in every if _on_or_before(u.get("date"), day)]
    extensions = entries(f.get("extensions"))
    due, agreed = record.date("due"), []
    for extension in extensions:  # an undated extension counts; looking back, a later one does not
        if not _on_or_before(extension.get("date"), day):
            due = extension["from"] if dates.usable(extension.get("from")) else due  # the date before it
            break
        agreed.append(extension)
    action = Action(
        id=record.id, title=record.title, owner=_text(f.get("owner")), due=due,
        status=_status_then(record.status, record.date("completed"), updates, every, day),
        record=record, plan=plan, source=source, lead_partner=_text(f.get("lead_partner")),
        completed=record.date("completed"), original_due=original_due(record), extensions=agreed,
        updates=updates, evidence=f.get("evidence") if isinstance(f.get("evidence"), list) else [], entry=f)
    if action.completed and action.completed > day:
        action.completed = None
    _place(config, action, "")
    return action


def original_due(record: Record) -> dt.date | None:
    """An action file's due date before any extension: the first extension's `from`, else `due`."""
    extensions = entries(record.fields.get("extensions"))
    first = extensions[0].get("from") if extensions else None
    return first if dates.usable(first) else record.date("due")


def _inline(config: Config, record: Record, index: int, entry: dict, day: dt.date) -> Action:
    completed = entry.get("completed") if dates.usable(entry.get("completed")) else None
    status = _text(entry.get("status")) or "not-started"
    if status == "complete" and completed and completed > day:
        status, completed = "in-progress", None
    due = entry.get("due") if dates.usable(entry.get("due")) else None
    action = Action(
        id=_text(entry.get("id")) or f"{record.id}#{index + 1}", title=_text(entry.get("action")),
        owner=_text(entry.get("owner")) or record.text("agency") or "", due=due, status=status,
        record=record, plan=None, source=record, completed=completed, original_due=due, index=index, entry=entry)
    _place(config, action, record.text("agency") or "")
    return action


def _place(config: Config, action: Action, fallback_agency: str) -> None:
    """Which agency and partner an action belongs to, for filtering and the dashboard."""
    action.agency = agency_of(config, action.owner) or fallback_agency
    action.partner = action.lead_partner or partner_of(config, action.agency) or partner_of(config, action.owner)


def agency_of(config: Config, who: str) -> str:
    """The agency a person or an agency id stands for ('' when mars.yaml does not say)."""
    if who in config.agencies:
        return who
    person = config.people.get(who)
    return person.agency or "" if person else ""


def partner_of(config: Config, who: str) -> str:
    """The safeguarding partner of an agency, or of a person (their agency's, or the partner they lead
    or are delegate for); '' when there is none."""
    agency = config.agencies.get(agency_of(config, who))
    if agency is not None and agency.partner:
        return agency.partner
    return next((p.id for p in config.partners.values() if who and who in (p.lead, p.delegate)), "")


def name_of(config: Config, who: str) -> str:
    """A person's or an agency's name, for reading (an unknown id as it is)."""
    if who in config.people:
        return config.people[who].name
    if who in config.agencies:
        return config.agencies[who].name
    return who


def extension_refusal(config: Config, rule: ExtensionRule, owner: str, agreed_by: str) -> tuple[str, str] | None:
    """Why `agreed_by` may not agree to move the due date of an action `owner` owns (processes.yaml
    `extensions:`), as (message, who may instead, in words); None when they may. Never the owner;
    anyone holding one of the rule's roles; anyone else as the rule's `others` says."""
    person = config.people.get(agreed_by)
    if person is None:
        return None  # not in mars.yaml: said by the check of people, not here
    who = [f"the {role} ({', '.join(p.name for p in config.people_with_role(role)) or 'nobody in mars.yaml'})"
           for role in rule.roles]
    if rule.others == "independent":
        who.append(f"someone not from {name_of(config, agency_of(config, owner)) or 'the owning agency'}")
    hint = _either(who) or "nobody (extensions: in processes.yaml names no one)"
    if agreed_by == owner:
        return f"{person.name} owns this action, so cannot agree its own extension", hint
    if any(config.holds(agreed_by, role) for role in rule.roles) or rule.others == "anyone":
        return None
    owning = agency_of(config, owner)
    if rule.others == "nobody":
        return f"{person.name} does not hold a role that may agree an extension", hint
    if owning and person.agency == owning:
        return (f"{person.name} is from {name_of(config, owning)}, which owns this action, so cannot agree its "
                "extension", hint)
    return None


def _either(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


def statuses() -> tuple[str, ...]:
    """An action's statuses, the same in an action file as inline in an audit."""
    return kinds.parts()["action"].statuses


def _closed_on(status: str, completed: dt.date | None, updates: list[dict]) -> dt.date | None:
    if status == "complete":
        return completed
    if status == "dropped":
        dated = [u["date"] for u in updates if dates.usable(u.get("date"))]
        return max(dated) if dated else None
    return None


def _status_then(written: str, completed: dt.date | None, given: list[dict], every: list[dict], day: dt.date) -> str:
    """The action's status on `day`: the written one, unless it was closed after that day."""
    closed_on = _closed_on(written, completed, every)
    if written not in CLOSED or closed_on is None or closed_on <= day:
        return written or "not-started"
    for update in reversed(given):  # the last status an update gave by then
        if _text(update.get("status")) and update["status"] not in CLOSED:
            return update["status"]
    return "in-progress" if given else "not-started"


def entries(value) -> list[dict]:
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _on_or_before(value, day: dt.date) -> bool:
    """An entry counts on `day` when it is dated then or earlier, or not dated at all."""
    return not dates.usable(value) or value <= day


def _text(value) -> str:
    return value if isinstance(value, str) else ""
