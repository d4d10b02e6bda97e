"""A record's process as of a day: each step's deadline, done date and state; each sign-off.

Everything here is computed from the record, the workspace (meetings, action
plans) and the process data; nothing is stored. `check`, `show`, `list
--status`, `mars step` and `mars signoff` all read the same Timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from mars_cli.derive import content, linked
from mars_cli.derive.context import Context
from mars_cli.framework import kinds
from mars_cli.framework.processes import Approval, Process, Step, need_of
from mars_cli.model import dates
from mars_cli.model.records import Record

DONE, SKIPPED, OVERDUE, DUE_SOON, DUE, BLOCKED, WAITING, TO_DO = (
    "done", "skipped", "overdue", "due soon", "due", "blocked", "waiting", "to do")


@dataclass
class Signoff:
    """One entry of a record's `signoffs:` list, as understood."""

    index: int
    approval: str
    by: str
    role: str
    date: dt.date | None
    hash: str | None
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (code, message, hint): it does not count
    stale: bool = False
    date_written: bool = False  # a `date:` is there, though maybe not a date (the field check says so)


@dataclass
class Need:
    """One sign-off an approval needs: from any of `roles`."""

    approval: str
    roles: tuple[str, ...]
    label: str  # "Humberside Police (dsp:police or lsp:police)"
    signoff: Signoff | None = None


@dataclass
class ApprovalState:
    approval: Approval
    needs: list[Need]

    @property
    def complete(self) -> bool:
        """Every sign-off it needs is in (an approval nobody could give is never complete)."""
        return bool(self.needs) and all(n.signoff for n in self.needs)

    @property
    def current(self) -> bool:
        """Complete, and nothing it covers has changed since."""
        return self.complete and not any(n.signoff.stale for n in self.needs)

    @property
    def date(self) -> dt.date | None:
        return max(n.signoff.date for n in self.needs) if self.complete else None

    def missing(self) -> list[Need]:
        return [n for n in self.needs if n.signoff is None]


@dataclass
class StepState:
    step: Step
    due: dt.date | None = None
    waiting_for: str = ""  # why there is no deadline yet
    done: dt.date | None = None
    skipped: bool = False
    line: int = 0  # where it was recorded, if it was
    state: str = TO_DO
    unmet: list[str] = field(default_factory=list)  # what it still needs, in words
    linked: str = ""  # a `same_as` step: the ID of the record whose same step gives its date when not recorded here
    borrowed: bool = False  # its done date is that record's
    link_problem: str = ""  # why no record is linked although one was named or found
    latest: dt.date | None = None  # no deadline of its own: the earliest deadline of the dated steps needing it
    latest_for: str = ""  # the step whose deadline that is

    @property
    def late_by(self) -> int:
        return (self.done - self.due).days if self.done and self.due and self.done > self.due else 0


@dataclass
class Timeline:
    record: Record
    process: Process
    steps: dict[str, StepState]
    approvals: dict[str, ApprovalState]
    signoffs: list[Signoff]
    status: str
    as_of: dt.date
    recorded: dict[str, list[tuple[int, dict]]] = field(default_factory=dict)  # `steps:` entries by step


def timeline(ctx: Context, record: Record) -> Timeline | None:
    """The record's process as of ctx.as_of, or None when its kind has no process (computed once
    per Context: check, its yearly rules and status all ask)."""
    if record.path not in ctx.timelines:
        ctx.timelines[record.path] = None  # while it is computed: a record linked back to it borrows nothing
        with ctx.reading() as read:
            ctx.timelines[record.path] = _timeline(ctx, record)
        ctx.timeline_reads[record.path] = read
    ctx.noted(*ctx.timeline_reads.get(record.path, ()))  # whoever uses a timeline read what it read
    return ctx.timelines[record.path]


def read_again(processes) -> frozenset[str]:
    """The kinds whose timelines are asked for again after their own record's checks: by a record linked
    to theirs (a `same_as` step, on either side of it) or by the checks across a year (a yearly rule about
    a step, and the kind whose step closes a year). `check` lets the others' go once their record's checks
    are done (Context.forget): 100,000 records' timelines were a sixth of its memory. Were one asked for
    again, it would only be worked out again, the same."""
    kept = {processes.closed_years_until.partition(".")[0]}
    for process in processes.by_kind.values():
        for step in process.steps.values():
            if step.same_as:
                kept.update((process.kind, step.same_as[0]))
        if any("step" in rule.settings for rule in process.yearly.values()):
            kept.add(process.kind)
    return frozenset(kept)


def _timeline(ctx: Context, record: Record) -> Timeline | None:
    process = ctx.processes.get(record.kind)
    kind = kinds.get(record.kind)
    if process is None or kind is None or not process.steps:
        return None
    signoffs = _signoffs(ctx, record, process)
    approvals = {name: _approval_state(ctx, record, a, signoffs) for name, a in process.approvals.items()}
    steps = {name: StepState(step) for name, step in process.steps.items()}
    recorded = recorded_steps(record)
    for state in sorted(steps.values(), key=lambda st: bool(st.step.meeting or st.step.record)):
        _done(ctx, record, state, approvals, recorded, steps)  # done by meetings or records last: see _after
    for state in steps.values():
        _due(ctx, record, state, steps)
    _latest(process, steps)
    for state in steps.values():
        state.unmet = _unmet(record, state.step, approvals, steps)
        state.state = _state(ctx, state)
    return Timeline(record, process, steps, approvals, signoffs, _status(kind, steps), ctx.as_of, recorded)


# ----------------------------------------------------------------------------- sign-offs

def needs_for(ctx: Context, record: Record, approval: Approval) -> list[Need]:
    """The sign-offs an approval needs on this record: one per signers entry ({partner}: one per partner)."""
    out = []
    conflicted = approval.independent and _conflicted(ctx, record, approval)
    for entry in approval.signers:
        if "{partner}" in entry:
            for partner in ctx.config.partners.values():
                roles = tuple(r.replace("{partner}", partner.id) for r in entry.split("|"))
                out.append(Need(approval.name, roles, f"{partner.name} ({' or '.join(roles)})"))
            if not ctx.config.partners:  # nobody can give it: it is never complete
                out.append(Need(approval.name, (), "each safeguarding partner (mars.yaml lists none)"))
        elif "{agency}" in entry and not record.text("agency"):
            words = " or ".join(r.split(":")[0] for r in entry.split("|"))
            out.append(Need(approval.name, (), f"the agency's {words} (set `agency:` first)"))
        else:
            agency = record.text("agency") or ""
            roles = tuple(r.replace("{agency}", agency) for r in entry.split("|"))
            if conflicted and approval.if_conflicted:  # everyone who usually gives it works for the agency
                out.append(Need(approval.name, approval.if_conflicted, f"{' or '.join(approval.if_conflicted)} "
                                f"(the {' or '.join(roles)} works for the agency scrutinised)"))
            else:
                out.append(Need(approval.name, roles, " or ".join(roles)))
    return out


def _conflicted(ctx: Context, record: Record, approval: Approval) -> bool:
    """True when everyone who could normally give an independent approval works for the agency scrutinised."""
    agency = record.text("agency")
    holders = [p for entry in approval.signers for role in entry.split("|") for p in ctx.holders(role)]
    return bool(agency and holders and all(p.agency == agency for p in holders))


def _signoffs(ctx: Context, record: Record, process: Process) -> list[Signoff]:
    raw = record.fields.get("signoffs")
    out = []
    for index, entry in enumerate(raw if isinstance(raw, list) else ()):
        if not isinstance(entry, dict):
            continue
        signoff = Signoff(index, _str(entry.get("for")), _str(entry.get("by")), _str(entry.get("as")),
                          entry.get("date") if dates.usable(entry.get("date")) else None, _str(entry.get("hash")) or None,
                          date_written=entry.get("date") is not None)
        approval = process.approvals.get(signoff.approval)
        signoff.problems = list(signoff_problems(ctx, record, approval, signoff))
        if approval is not None and signoff.hash and not signoff.problems:
            signoff.stale = signoff.hash != content.fingerprint(record, approval.covers)
        out.append(signoff)
    return out


Problem = tuple[str, str, str]  # (code, message, hint)


def signoff_problems(ctx: Context, record: Record, approval: Approval | None, s: Signoff) -> Iterator[Problem]:
    """Why a sign-off cannot count: (code, message, hint). `mars signoff` refuses the same things."""
    for check in _STOPPING:
        problem = check(ctx, record, approval, s)
        if problem:
            yield problem
            return
    for check in _ALSO:
        problem = check(ctx, record, approval, s)
        if problem:
            yield problem


def _unknown_approval(ctx: Context, record: Record, approval: Approval | None, s: Signoff) -> Problem | None:
    if approval is not None:
        return None
    process = ctx.processes.get(record.kind)
    names = list(process.approvals) if process else []
    return ("unknown-approval", f"'{s.approval}' is not something {kinds.get(record.kind).a} is signed off for",
            f"Sign-offs here are for: {', '.join(names) or 'nothing'}.")


def _unknown_person(ctx: Context, record: Record, approval: Approval, s: Signoff) -> Problem | None:
    if s.by in ctx.config.people:
        return None
    return "unknown-person", f"'{s.by}' is not a person in mars.yaml", "Use a person id from mars.yaml."


def _signer_conflicted(ctx: Context, record: Record, approval: Approval, s: Signoff) -> Problem | None:
    """The signer works for the agency an independent approval scrutinises."""
    agency, person = record.text("agency"), ctx.config.people[s.by]
    if not (approval.independent and agency and person.agency == agency):
        return None
    name = ctx.config.agencies[agency].name if agency in ctx.config.agencies else agency
    instead = " or ".join(approval.if_conflicted) or "someone independent"
    message = f"{person.name} works for {name}, the agency under scrutiny, so cannot agree {approval.what}"
    return "signoff-conflict", message, f"Conflict of interest: it is agreed by {instead} instead."


def _role_problem(ctx: Context, record: Record, approval: Approval, s: Signoff) -> Problem | None:
    """The role is not one the approval is signed off as, or the signer does not hold it."""
    needs = needs_for(ctx, record, approval)
    accepted = {role for need in needs for role in need.roles}
    if s.role not in accepted:
        unmet = [n.label for n in needs if not n.roles]
        hint = (f"It is signed off as: {', '.join(sorted(accepted))}." if accepted
                else f"Nobody can sign it off yet: {'; '.join(unmet)}.")
        return "signoff-not-accepted", f"{approval.what} is not signed off as '{s.role}'", hint
    if not ctx.config.holds(s.by, s.role):
        holders = ", ".join(p.id for p in ctx.holders(s.role)) or "nobody has it yet"
        return ("signoff-wrong-role", f"{ctx.config.people[s.by].name} does not hold the role {s.role} in mars.yaml",
                f"Record it for someone who does ({holders}).")
    return None


def _undated(ctx: Context, record: Record, approval: Approval, s: Signoff) -> Problem | None:
    if s.date is None and not s.date_written:
        return "missing-field", "the sign-off has no date", "Add `date: YYYY-MM-DD`: the day it was given."
    return None


# The checks of a sign-off, in order: when one of _STOPPING finds a problem, it is the only one said
# (the later checks need the approval, the person, an independent signer); else each of _ALSO is said.
_STOPPING = (_unknown_approval, _unknown_person, _signer_conflicted)
_ALSO = (_role_problem, _undated)


def _approval_state(ctx: Context, record: Record, approval: Approval, signoffs: list[Signoff]) -> ApprovalState:
    needs = needs_for(ctx, record, approval)
    for need in needs:
        matching = [s for s in signoffs if s.approval == approval.name and s.role in need.roles and not s.problems
                    and usable(s.date) and s.date <= ctx.as_of]
        need.signoff = max(matching, key=lambda s: (s.date, s.index)) if matching else None
    return ApprovalState(approval, needs)


# ----------------------------------------------------------------------------- steps

def _done(ctx: Context, record: Record, state: StepState, approvals: dict[str, ApprovalState],
          recorded: dict[str, list[tuple[int, dict]]], steps: dict[str, StepState]) -> None:
    """When the step was done (or that it was skipped) by ctx.as_of, found by what does it."""
    step = state.step
    if step.approval:
        _done_by_approval(record, state, approvals.get(step.approval))
    elif step.field:
        _done_by_field(ctx, record, state)
    elif step.actions:
        _done_by_actions(ctx, record, state)
    elif not _done_as_recorded(ctx, record, state, recorded.get(step.name, [])):
        after = _after(record, step, steps)
        if step.same_as:
            _done_by_link(ctx, record, state)
        elif after is not None and step.meeting:
            _done_at_meeting(ctx, record, state, after)
        elif after is not None and step.record:
            _done_by_record(ctx, record, state, after)


def _done_by_approval(record: Record, state: StepState, approval: ApprovalState | None) -> None:
    """On the day its last sign-off was given."""
    if approval and approval.complete:
        state.done = approval.date
        state.line = record.line("signoffs", max(n.signoff.index for n in approval.needs))


def _done_by_field(ctx: Context, record: Record, state: StepState) -> None:
    """On the date in its field, once that day has come."""
    day = record.date(state.step.field)
    if usable(day) and day <= ctx.as_of:
        state.done, state.line = day, record.line(state.step.field)


def _done_by_actions(ctx: Context, record: Record, state: StepState) -> None:
    """On the day the plan's last action closed, once none is open."""
    found = ctx.plan_actions.get(record.id, [])
    closed = [a.closed_on for a in found]
    if found and not any(a.open for a in found) and all(closed):
        state.done = max(closed)
        state.line = record.source.first_line


def _done_as_recorded(ctx: Context, record: Record, state: StepState, entries: list[tuple[int, dict]]) -> bool:
    """By its first `steps:` entry dated by ctx.as_of, done or skipped; False when there is none."""
    for index, entry in entries:
        day = entry.get("date")
        if usable(day) and day <= ctx.as_of:
            state.skipped = entry.get("skipped") is True
            state.done = None if state.skipped else day
            state.line = record.line("steps", index)
            return True
    return False


def _done_at_meeting(ctx: Context, record: Record, state: StepState, after: dt.date) -> None:
    """On the first day from `after` that a meeting of its kind received the record."""
    held = [day for day, m in ctx.presented_at.get(record.id, ())
            if after <= day <= ctx.as_of and m.kind == state.step.meeting]
    state.done = held[0] if held else None


def _done_by_record(ctx: Context, record: Record, state: StepState, after: dt.date) -> None:
    """On the day, from `after`, that the first record of its kind made from this one was created."""
    made = sorted(d for r in ctx.sourced_from.get(record.id, ())
                  if r.kind == state.step.record and usable(d := r.date("created")) and after <= d <= ctx.as_of)
    state.done = made[0] if made else None


def _done_by_link(ctx: Context, record: Record, state: StepState) -> None:
    """On the day the linked record's same step was done (an agency event's return, sent and back, is
    its agency's Section 11 return's: recorded once, on either)."""
    kind, target = state.step.same_as
    found = linked.link(ctx, record, kind)
    state.link_problem = found.problem[1] if found.problem else ""
    other = timeline(ctx, found.record) if found.record is not None else None
    if other is None or target not in other.steps:
        return
    state.linked = found.record.id
    if other.steps[target].done:
        state.done, state.borrowed = other.steps[target].done, True
        state.line = record.line(kind) if found.how == linked.NAMED else 0


def _after(record: Record, step: Step, steps: dict[str, StepState]) -> dt.date | None:
    """The day from which a meeting or another record can complete a step: not before the step its
    deadline counts from is done (a SPLIG before the event cannot receive its outcomes); None: not yet."""
    anchor = step.due.anchor if step.due else None
    if anchor in steps and anchor != step.name:
        return dt.date.min if steps[anchor].skipped else steps[anchor].done
    return dt.date.min


def recorded_steps(record: Record) -> dict[str, list[tuple[int, dict]]]:
    """The record's `steps:` entries by step name, with their index."""
    raw = record.fields.get("steps")
    out: dict[str, list[tuple[int, dict]]] = {}
    for index, entry in enumerate(raw if isinstance(raw, list) else ()):
        if isinstance(entry, dict) and isinstance(entry.get("step"), str):
            out.setdefault(entry["step"], []).append((index, entry))
    return out


def anchor_date(ctx: Context, record: Record, anchor: str, steps: dict[str, StepState]) -> dt.date | None:
    if anchor == "year_end":
        bounds = dates.year_bounds(record.text("year") or "", ctx.config.year_start_month)
        return bounds[1] if bounds else None
    if anchor in steps:
        return steps[anchor].done
    return record.date(anchor)


def _due(ctx: Context, record: Record, state: StepState, steps: dict[str, StepState]) -> None:
    due = state.step.due
    if due is None:
        return
    start = anchor_date(ctx, record, due.anchor, steps)
    if start is None:
        what = f"step '{due.anchor}'" if due.anchor in steps else f"`{due.anchor}`"
        state.waiting_for = f"waiting for {what}" if due.anchor in steps else f"{what} is not set"
        return
    if due.meeting:
        meeting = ctx.next_meeting(due.meeting, start)
        if meeting is None:
            label = kinds.get(due.meeting).noun
            state.waiting_for = f"no {label} is scheduled after {dates.format_uk(start)}"
            return
        state.due = meeting.date("date")
        return
    state.due = dates.shift(start, due.offset, due.unit)
    if state.due is None:
        state.waiting_for = f"its deadline ({due.text}) falls outside the calendar: check `{due.anchor}`"


def needed_steps(process: Process, step: Step) -> list[str]:
    """The steps `step` needs directly: those it names, and those done by an approval it names."""
    out = []
    for need in step.needs:
        if need in process.steps:
            out.append(need)
        elif need in process.approvals:
            out.extend(n for n, s in process.steps.items() if s.approval == need)
    return out


def needed_through(process: Process, name: str) -> list[str]:
    """Every step that step `name` needs, directly or through a chain of `needs`."""
    seen: list[str] = []
    todo = needed_steps(process, process.steps[name])
    while todo:
        need = todo.pop(0)
        if need != name and need not in seen:
            seen.append(need)
            todo.extend(needed_steps(process, process.steps[need]))
    return seen


def _latest(process: Process, steps: dict[str, StepState]) -> None:
    """Give each step with no deadline of its own that a dated step needs (directly or through a chain of
    `needs`) that step's deadline as its latest date: the earliest, when several need it. A skipped step
    needs nothing."""
    for name, state in steps.items():
        if state.due is None or state.skipped:
            continue
        for need in needed_through(process, name):
            before = steps[need]
            if before.step.due is None and (before.latest is None or state.due < before.latest):
                before.latest, before.latest_for = state.due, name


def _unmet(record: Record, step: Step, approvals: dict[str, ApprovalState], steps: dict[str, StepState]) -> list[str]:
    out = []
    for need in step.needs:
        if need in approvals:
            state = approvals[need]
            for missing in state.missing():
                out.append(f"sign-off '{need}' from {missing.label}")
            if state.complete and not state.current:
                out.append(f"re-approval of '{need}' (it changed after it was signed off)")
        elif need_of(need)[0] != "name":
            what, target = need_of(need)
            if not has_content(record, need):
                out.append(f"`{target}` to be set" if what == "field" else f"the section '{target}' to be written")
        elif need in steps and not (steps[need].done or steps[need].skipped):
            out.append(f"step '{need}' ({steps[need].step.label}) to be done")
    return out


def has_content(record: Record, need: str) -> bool:
    """Whether a `field:` or `section:` need is met: the field set, the section written."""
    what, target = need_of(need)
    if what == "field":
        return record.fields.get(target) not in (None, "", [])
    return content.written(record.body, target)


def _state(ctx: Context, state: StepState) -> str:
    if state.done:
        return DONE
    if state.skipped:
        return SKIPPED
    by = state.due or state.latest  # a latest date counts as a deadline
    if by and ctx.as_of > by:  # due on a day: late from the next day
        return OVERDUE
    if state.unmet and state.step.gate == "firm":
        return BLOCKED
    if by and (by - ctx.as_of).days <= ctx.processes.due_soon_days:
        return DUE_SOON
    if by:
        return DUE
    return WAITING if state.waiting_for else TO_DO


def _status(kind, steps: dict[str, StepState]) -> str:
    """The furthest status whose step is done (or skipped); earlier steps never recorded do not hold it
    back (`check` names them)."""
    reached = [s.step.status for s in steps.values() if s.step.status in kind.statuses and (s.done or s.skipped)]
    return max(reached, key=kind.statuses.index, default=kind.statuses[0])


def passed_over(line: Timeline) -> list[StepState]:
    """The steps before the furthest one that gives the record its status, that bring a status themselves and
    were never recorded (done or skipped). Those a done step needs are left to its gate."""
    states = list(line.steps.values())
    reached = [i for i, s in enumerate(states) if s.step.status and (s.done or s.skipped)]
    gated = {n for s in states if s.done for n in needed_steps(line.process, s.step)}
    return [s for s in states[:max(reached, default=0)]
            if s.step.status and not (s.done or s.skipped) and s.step.name not in gated]


def _str(value) -> str:
    return value if isinstance(value, str) else ""


usable = dates.usable
