"""What is late and what falls due: open actions and process steps as one list, and the dashboard.

An item is an open action with a due date, or a step of a record's process that
is neither done nor skipped and has a deadline. Due means the end of that day:
an item due today is not overdue until tomorrow.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from mars_cli.derive.actions import (
    RAG_OPEN,
    RAG_ORDER,
    Action,
    has_own_actions,
    name_of,
    partner_of,
    statuses,
)
from mars_cli.derive.context import Context, no_collection_midway
from mars_cli.derive.lookup import check_owner, check_partner, find_record
from mars_cli.derive.owners import step_owners
from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import Finding, Record, Workspace
from mars_cli.queries.records import check_agency
from mars_cli.store.cache import remembered

ACTION, STEP = "action", "step"
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")  # lowest first
AGEING = (("0-30", 0, 30), ("31-90", 31, 90), ("90+", 91, None))  # days overdue (over 90 is 90+)


@dataclass(frozen=True)
class Filters:
    """Each filter given keeps what matches any of its values; an empty one keeps everything."""

    owner: tuple[str, ...] = ()  # people or agency ids, as the owner is written
    agency: tuple[str, ...] = ()
    partner: tuple[str, ...] = ()
    plan: tuple[str, ...] = ()  # action plan IDs (or audits listing their own actions)
    kind: tuple[str, ...] = ()  # the kind of record the action came from, or the step belongs to
    type: tuple[str, ...] = ()  # action or step

    def keep(self, item: Item) -> bool:
        return self._keep(item.owner_ids, item.agency, item.partner, item.record, item.source_kind, item.type)

    def keep_action(self, action: Action) -> bool:
        return self._keep((action.owner,), action.agency, action.partner, action.container.id, action.source_kind,
                          ACTION)

    def _keep(self, owners: tuple[str, ...], *values: str) -> bool:
        """Kept when each filter given matches: --owner any of the item's owners, the others its value."""
        if self.owner and not set(owners) & set(self.owner):
            return False
        wanted = (self.agency, self.partner, self.plan, self.kind, self.type)
        return all(not allowed or value in allowed for allowed, value in zip(wanted, values, strict=True))


@dataclass(frozen=True)
class Owner:
    """Someone an item is listed under: a person or an agency from mars.yaml (an unknown ID as written)."""

    id: str
    name: str
    email: str = ""  # a person's, to send the digest to ('' for an agency)

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "email": self.email}


NOBODY = Owner("", "")


@dataclass
class Item:
    """One line of `mars overdue` or `mars due`."""

    id: str  # the action's ID, or RECORD-ID:STEP
    type: str  # action or step
    title: str
    owners: tuple[Owner, ...]  # an action's owner; the people (or agency) a step's lead names; () for nobody
    due: dt.date
    days_overdue: int
    days_left: int  # until due (negative when overdue)
    record: str  # the record it belongs to: the action's plan (or audit), the step's record
    record_title: str
    path: str  # the file to open, relative to the workspace
    line: int
    status: str
    marking: str
    agency: str = ""
    partner: str = ""
    source_kind: str = ""
    step: str = ""
    rule: str = ""  # for steps: the rule's id in `mars rules`
    source: str = ""  # for steps: where the framework says it

    def __post_init__(self) -> None:
        for name in ("id", "title", "record", "record_title", "path"):
            setattr(self, name, one_line(getattr(self, name)))
        self.owners = tuple(Owner(one_line(o.id), one_line(o.name), o.email) for o in self.owners)

    @property
    def owner_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.owners)

    @property
    def first_owner(self) -> Owner:
        return self.owners[0] if self.owners else NOBODY

    @property
    def owner_names(self) -> str:
        """Everyone it is listed under, for reading ('' for nobody): "A" or "A; B" (names may hold commas)."""
        return "; ".join(o.name for o in self.owners)

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    def as_dict(self) -> dict:
        first = self.first_owner
        return {"id": self.id, "type": self.type, "title": self.title, "owner": first.id,
                "owner_name": first.name, "owner_email": first.email,
                "owners": [o.as_dict() for o in self.owners], "due": self.due.isoformat(),
                "days_overdue": self.days_overdue,
                "days_left": self.days_left, "record": self.record, "record_title": self.record_title,
                "path": self.path, "line": self.line, "status": self.status, "marking": self.marking,
                "agency": self.agency, "partner": self.partner, "plan": self.record, "source_kind": self.source_kind,
                "step": self.step, "rule": self.rule, "source": self.source}


@dataclass
class Listing:
    """What `mars overdue` or `mars due` found: its items and how it was asked."""

    what: str  # overdue or due
    as_of: dt.date
    items: list[Item]
    within: int | None = None  # days, for `due`
    overdue_count: int = 0  # overdue items matching the filters (for --fail-on, whatever is listed)
    problems: list[Finding] = field(default_factory=list)  # record files not read, so not listed (ws.unread)
    only_owners: tuple[str, ...] = ()  # --owner: group items under these owners only (an item keeps all its owners)

    def by_owner(self) -> list[tuple[Owner, list[Item]]]:
        """The items under each of their owners (an item with two owners is under both; with --owner,
        under those asked for only), most overdue owner first, each group in the listing's order."""
        groups: dict[Owner, list[Item]] = {}
        for item in self.items:
            for owner in item.owners or (NOBODY,):
                if not self.only_owners or owner.id in self.only_owners:
                    groups.setdefault(owner, []).append(item)
        return sorted(groups.items(), key=lambda g: (-max(i.days_overdue for i in g[1]), g[0].name or "~",
                                                     g[0].id))

    def count_said(self) -> str:
        """How many items there are, and how many of them are listed under more than one owner."""
        count = len(self.items)
        return f"{count} item{'s' * (count != 1)}{self.shared_said()}"

    def shared_said(self) -> str:
        """' (N have more than one owner and are listed under each)', or '' when none has: the lines under
        the owners then add up to more than the count."""
        shared = sum(len([o for o in i.owners if not self.only_owners or o.id in self.only_owners]) > 1
                     for i in self.items)
        if not shared:
            return ""
        who = "it" if len(self.items) == 1 else str(shared)
        one = shared == 1
        return f" ({who} {'has' if one else 'have'} more than one owner and {'is' if one else 'are'} listed under each)"

    @property
    def marking(self) -> str:
        return highest_marking(i.marking for i in self.items)

    def empty_text(self) -> str:
        return "Nothing is overdue." if self.what == "overdue" else "Nothing falls due in that time."

    def title(self) -> str:
        when = dates.format_uk(self.as_of)
        if self.what == "overdue":
            return f"Overdue actions and steps as of {when}"
        return f"Actions and steps due within {self.within} day{'s' * (self.within != 1)} of {when}"


_BREAKS = re.compile(r"[\t\n\r\v\f\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """Text from a hand-edited file, safe in every output: line breaks become spaces, and control
    characters (which could drive a terminal or break a calendar or XML file) become U+FFFD."""
    return _CONTROL.sub("\ufffd", _BREAKS.sub(" ", text)) if text else text


def highest_marking(markings) -> str:
    """The most protective marking among them (OFFICIAL when there are none)."""
    found = [m for m in markings if m in MARKINGS]
    return max(found, key=MARKINGS.index) if found else MARKINGS[0]


def open_items(ctx: Context) -> list[Item]:
    """Every open action with a due date and every step with a deadline that is not done, by due date."""
    with no_collection_midway():  # every timeline is worked out
        out = [_action_item(ctx, a) for a in ctx.actions if a.open and a.due]
        out.extend(_step_items(ctx))
    return sorted(out, key=lambda i: (i.due, i.id))


def _open_items(ws: Workspace, day: dt.date, ctx: Context | None = None) -> list[Item]:
    return remembered(ws.memo, ("open items", day), lambda: open_items(ctx or Context(ws, day)))


def overdue(ws: Workspace, day: dt.date, filters: Filters = Filters(), ctx: Context | None = None) -> Listing:
    """What is overdue on `day`; `ctx` (of that workspace and day) when the caller has one, so its
    timelines are not worked out again."""
    found = [i for i in _open_items(ws, day, ctx) if i.overdue and filters.keep(i)]
    return Listing("overdue", day, sorted(found, key=_most_late), overdue_count=len(found),
                   only_owners=filters.owner, problems=ws.unread)


def due_within(ws: Workspace, day: dt.date, days: int, filters: Filters = Filters()) -> Listing:
    kept = [i for i in _open_items(ws, day) if filters.keep(i)]
    soon = [i for i in kept if 0 <= i.days_left <= days]
    return Listing("due", day, soon, within=days, overdue_count=sum(i.overdue for i in kept),
                   only_owners=filters.owner, problems=ws.unread)


def _most_late(item: Item):
    return (-item.days_overdue, item.id)


def _action_item(ctx: Context, action: Action) -> Item:
    container, day, cfg = action.container, ctx.as_of, ctx.config
    return Item(
        id=action.id, type=ACTION, title=action.title, owners=_owners(cfg, (action.owner,)), due=action.due,
        days_overdue=action.days_overdue(day), days_left=(action.due - day).days, record=container.id,
        record_title=container.title, path=action.path, line=action.line, status=action.status,
        marking=action.marking, agency=action.agency, partner=action.partner, source_kind=action.source_kind)


def _step_items(ctx: Context) -> list[Item]:
    from mars_cli.derive.timeline import DONE, SKIPPED, timeline
    from mars_cli.rules.steps import rule_id, step_line

    day, cfg, out = ctx.as_of, ctx.config, []
    for record in ctx.workspace.records:
        if not record.existed_on(day):
            continue
        line = timeline(ctx, record)
        if line is None:
            continue
        for name, state in line.steps.items():
            due = state.due or state.latest  # a latest date counts as a deadline
            if due is None or state.state in (DONE, SKIPPED):
                continue
            agency = record.text("agency") or ""
            partner = record.text("lead_partner") or partner_of(cfg, agency)
            late = max((day - due).days, 0)
            out.append(Item(
                id=f"{record.id}:{name}", type=STEP, title=state.step.label,
                owners=_owners(cfg, step_owners(cfg, record, state.step)), due=due, days_overdue=late,
                days_left=(due - day).days,
                record=record.id, record_title=record.title, path=record.path, line=step_line(line, state),
                status=state.state, marking=record.text("marking") or MARKINGS[0], agency=agency, partner=partner,
                source_kind=record.kind, step=name,
                rule=rule_id(line.process, name, "due" if state.due else "latest"),
                source=state.step.source if state.due else line.process.steps[state.latest_for].source))
    return out


def _owners(cfg, ids) -> tuple[Owner, ...]:
    """Owners from their IDs, with their names and (people's) e-mails from mars.yaml."""
    return tuple(Owner(who, name_of(cfg, who), cfg.people[who].email if who in cfg.people else "")
                 for who in ids if who)


# ----------------------------------------------------------------------------- asking

def filters(ws: Workspace, *, owner=(), agency=(), partner=(), plan=(), kind=(), type=()) -> Filters:  # noqa: A002
    """Filters from what was typed (each option may be given more than once), each value checked
    against the workspace; a plan by any part of its ID."""
    given = {"owner": owner, "agency": agency, "partner": partner, "kind": kind, "type": type}
    for option, values in given.items():
        for value in values or ():
            _OPTION_CHECKS[option](ws, value)
    plans = tuple(_plan(ws, value).id for value in plan or ())
    return Filters(tuple(owner or ()), tuple(agency or ()), tuple(partner or ()), plans, tuple(kind or ()),
                   tuple(type or ()))


def _check_kind(ws: Workspace, value: str) -> None:
    """--kind names the kind of record an item came from; actions and steps are --type's."""
    if value in kinds.parts():
        raise UsageError(f"--kind '{value}': {value}s are listed with --type {value}",
                         "--kind names the kind of record an action came from (e.g. section11).")
    kinds.lookup(value)


def _check_type(ws: Workspace, value: str) -> None:
    if value not in (ACTION, STEP):
        raise UsageError(f"--type '{value}' is not one of: action, step", did_you_mean(value, (ACTION, STEP)).strip())


_OPTION_CHECKS: dict[str, Callable[[Workspace, str], None]] = {
    "owner": check_owner,
    "agency": check_agency,
    "partner": check_partner,
    "kind": _check_kind,
    "type": _check_type,
}


def _plan(ws: Workspace, ref: str) -> Record:
    record = find_record(ws, ref)
    if record.kind != "action-plan" and not has_own_actions(record):
        raise UsageError(f"--plan '{ref}' is {kinds.get(record.kind).a if kinds.get(record.kind) else record.kind}, "
                         "not an action plan", "`mars list action-plan` lists the plans.")
    return record


_WITHIN = re.compile(r"^\s*(\d+)\s*(d|day|days|w|week|weeks)?\s*$", re.IGNORECASE | re.ASCII)
MOST_DAYS = 3660  # ten years: further ahead is a typing mistake


def within_days(text: str) -> int:
    """`14d`, `2w` or `14` as a number of days."""
    match = _WITHIN.match(text or "")
    if not match:
        raise UsageError(f"--within '{text}' is not a number of days or weeks", "Write it like 14d or 2w.")
    digits, unit = match.group(1).lstrip("0") or "0", (match.group(2) or "d").lower()
    if len(digits) > 6:
        raise UsageError(f"--within '{text[:20]}...' is more than ten years ahead", "Write a shorter time, e.g. 90d.")
    amount = int(digits)
    days = amount * 7 if unit.startswith("w") else amount
    if days > MOST_DAYS:
        raise UsageError(f"--within '{text}' is more than ten years ahead", "Write a shorter time, e.g. 90d.")
    return days


# ----------------------------------------------------------------------------- the dashboard

@dataclass
class Group:
    """Actions of one plan or one agency: how many in each status and each RAG."""

    id: str
    name: str
    statuses: Counter = field(default_factory=Counter)
    rag: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    def cells(self) -> list[str]:
        """Its counts as a table row: total, each status, then red, amber and green."""
        return [str(self.total), *(str(self.statuses.get(s, 0)) for s in statuses()),
                *(str(self.rag.get(r, 0)) for r in RAG_OPEN)]

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "total": self.total,
                "status": {s: self.statuses.get(s, 0) for s in statuses()},
                "rag": {r: self.rag.get(r, 0) for r in RAG_ORDER}}


@dataclass
class Dashboard:
    as_of: dt.date
    soon_days: int
    totals: Group
    plans: list[Group]
    agencies: list[Group]
    ageing: dict[str, list[Item]]  # overdue actions by how long
    next: list[Item]  # the next ten deadlines, actions and steps
    extensions: list[Action]  # actions whose due date has been moved, with their extensions
    completed_late: list[Action]
    overdue_steps: int
    marking: str = MARKINGS[0]
    problems: list[Finding] = field(default_factory=list)  # record files not read, so not counted (ws.unread)

    @property
    def extended(self) -> int:
        return len(self.extensions)

    def as_dict(self) -> dict:
        return {"as_of": self.as_of, "due_soon_days": self.soon_days, "marking": self.marking,
                "totals": self.totals.as_dict(), "extended": self.extended,
                "extensions": [{"id": a.id, "title": a.title, "original_due": a.original_due, "due": a.due,
                                "extensions": [{k: e.get(k) for k in ("from", "to", "reason", "agreed_by", "date")}
                                               for e in a.extensions]} for a in self.extensions],
                "completed_late": len(self.completed_late),
                "completed_late_actions": [{"id": a.id, "title": a.title, "due": a.due, "completed": a.completed,
                                            "days_late": a.completed_late_by()} for a in self.completed_late],
                "overdue_steps": self.overdue_steps,
                "ageing": {band: [i.id for i in items] for band, items in self.ageing.items()},
                "plans": [g.as_dict() for g in self.plans], "agencies": [g.as_dict() for g in self.agencies],
                "next": [i.as_dict() for i in self.next], "problems": [f.as_dict() for f in self.problems]}


def dashboard(ws: Workspace, day: dt.date, filters: Filters = Filters(), count: int = 10,
              ctx: Context | None = None) -> Dashboard:
    return remembered(ws.memo, ("dashboard", day, filters, count), lambda: _dashboard(ws, day, filters, count, ctx))


def _dashboard(ws: Workspace, day: dt.date, filters: Filters, count: int, ctx: Context | None) -> Dashboard:
    ctx = ctx or Context(ws, day)
    soon = ctx.processes.due_soon_days
    kept = [a for a in ctx.actions if filters.keep_action(a)]
    totals, plans, agencies = _groups(ws, kept, day, soon)
    items = [i for i in open_items(ctx) if filters.keep(i)]
    upcoming = [i for i in items if not i.overdue][:count]
    return Dashboard(
        as_of=day, soon_days=soon, totals=totals, plans=plans, agencies=agencies,
        ageing=_ageing(items),
        next=upcoming, extensions=[a for a in kept if a.extensions],
        completed_late=[a for a in kept if a.completed_late_by() > 0],
        overdue_steps=sum(i.type == STEP and i.overdue for i in items),
        marking=highest_marking([*(a.marking for a in kept), *(i.marking for i in upcoming)]), problems=ws.unread)


def _groups(ws: Workspace, actions: list[Action], day: dt.date, soon: int) -> tuple[Group, list[Group], list[Group]]:
    """The actions counted all together, by plan (by ID) and by agency (by name, no agency last)."""
    totals = Group("all", "All actions")
    plans: dict[str, Group] = {}
    agencies: dict[str, Group] = {}
    for action in actions:
        container = action.container
        plan = plans.setdefault(container.id, Group(container.id, container.title))
        agency = agencies.setdefault(action.agency, Group(action.agency,
                                                          name_of(ws.config, action.agency) or "No agency"))
        _count(action, action.rag(day, soon), (totals, plan, agency))
    return (totals, sorted(plans.values(), key=lambda g: g.id),
            sorted(agencies.values(), key=lambda g: (g.id == "", g.name)))


def _count(action: Action, rag: str, groups: tuple[Group, ...]) -> None:
    for group in groups:
        group.statuses[action.status] += 1
        group.rag[rag] += 1


def _ageing(items: list[Item]) -> dict[str, list[Item]]:
    """Overdue actions by band of days overdue, most late first in each."""
    late_actions = [i for i in items if i.type == ACTION and i.overdue]
    return {band: sorted((i for i in late_actions if _in_band(i.days_overdue, low, high)), key=_most_late)
            for band, low, high in AGEING}


def _in_band(days: int, low: int, high: int | None) -> bool:
    return low <= days and (high is None or days <= high)
