"""Process findings for one record: late steps, gates, sign-offs, conflicts of interest, status.

Each finding's `rule` is the rule's id in `mars rules` (e.g. agency-event.return-sent.due) and
its `source` says where the framework says it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mars_cli.derive import content
from mars_cli.derive.context import Context
from mars_cli.derive.timeline import (
    DUE_SOON,
    OVERDUE,
    StepState,
    Timeline,
    has_content,
    needed_through,
    passed_over,
    timeline,
    usable,
)
from mars_cli.framework import kinds
from mars_cli.framework.processes import Process, need_of, signer_words
from mars_cli.model import dates
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, WARNING, Finding, Record
from mars_cli.rules.actions import ACTION_RULES
from mars_cli.rules.linked import check_links, link_rules
from mars_cli.rules.privacy import PRIVACY_RULES
from mars_cli.rules.provenance import PROVENANCE_RULES

GENERIC = {  # rules that hold for every process: id -> (what, where it comes from, severity)
    "signoff.role": ("a sign-off is given in a role the approval accepts, by someone who holds it",
                     "the partnership's roles in mars.yaml: who endorses and agrees what", ERROR),
    "signoff.independent": ("an independent approval is not given by someone from the agency under scrutiny",
                            "Framework §2 (conflict of interest); the approver when conflicted is configurable", ERROR),
    "signoff.stale": ("a sign-off still matches what it approved",
                      ("approvals are tied to the state at decision time and flagged when a later change needs "
                       "re-approval"), WARNING),
    "steps.recorded": ("each recorded step is a step of the record's process, with a date",
                       "mars: steps are recorded with `mars step`", ERROR),
    "meeting.next-available": ("a Board or SPLIG meeting is scheduled for a paper that is ready",
                               'Framework §2: "the next available" Board or SPLIG', WARNING),
    "progress.not-after-today": ("no step or sign-off is recorded as done after today",
                                 "mars: a date in the future is a typing mistake; plans are dates in fields", ERROR),
    "status.from-steps": ("the status written in a record claims no more than its steps show",
                          "mars: status follows from the steps", WARNING),
    "status.steps-recorded": ("once a record has a status from a later step, the earlier steps that bring a "
                              "status are recorded too (done or skipped)",
                              "mars: status is the furthest status whose step is done; a step passed over is "
                              "named, not left to hold the status back", WARNING),
    "steps.date-agrees": ("a step that a date field also describes (its `dated_by:`, such as an event held on "
                          "`date`) is recorded as done on the day the field says",
                          "mars: the deadlines counting from the field (the Section 11 return before an event) "
                          "rest on it", WARNING),
}


# How _unmet says a missing sign-off. A step due soon warns of those; a step it needs that is not done is
# reported by its own latest date instead.
SIGNOFF_WORDS = ("sign-off", "re-approval")


def rule_id(process: Process, *parts: str) -> str:
    return ".".join((process.kind, *parts))


def _finding(record: Record, line: int, severity: str, code: str, message: str, hint: str, rule: str,
             source: str = "") -> Finding:
    return Finding(record.path, line, severity, code, message, hint, rule=rule, source=source)


def check_process(ctx: Context, record: Record) -> list[Finding]:
    """Every process finding for a record (none when its kind has no process)."""
    line = timeline(ctx, record)
    if line is None:
        return []
    out: list[Finding] = []
    for rule in PROCESS_RULES:
        out.extend(rule(ctx, line))
    return out


def step_line(line: Timeline, state: StepState, seen: frozenset = frozenset()) -> int:
    """The line to point at for a step: where it was recorded, else the date its deadline counts from."""
    record = line.record
    if state.line:
        return state.line
    if state.step.field and state.step.field in record.fields:
        return record.line(state.step.field)
    anchor = state.step.due.anchor if state.step.due else None
    if anchor in line.steps and anchor not in seen and anchor != state.step.name:
        # where the step it counts from was recorded (steps counting from each other stop here)
        return step_line(line, line.steps[anchor], seen | {state.step.name})
    if anchor == "year_end":
        anchor = "year"
    if anchor and anchor in record.fields:
        return record.line(anchor)
    return record.source.first_line


def _describe_due(line: Timeline, state: StepState) -> str:
    days = (line.as_of - state.due).days
    return f"was due on {dates.format_uk(state.due)} ({state.step.due}), {days} day{'s' * (days != 1)} ago"


def check_deadlines(ctx: Context, line: Timeline) -> Iterator[Finding]:
    for name, state in line.steps.items():
        step = state.step
        if step.due is None:
            continue
        rid = rule_id(line.process, name, "due")
        source = step.source or line.process.source  # as `mars rules` lists it
        if state.state == OVERDUE:
            still = f"; it still needs {', '.join(state.unmet)}" if state.unmet else ""
            how = (_signoff_how(line, step) if step.approval
                   else f"When it is done, run `mars step {line.record.id} {name} --done --date YYYY-MM-DD`.")
            if step.optional:
                how += f" If it is not needed, `mars step {line.record.id} {name} --skip --note WHY`."
            code = "signoff-missing" if step.approval else "step-overdue"
            yield _finding(line.record, step_line(line, state), WARNING, code,
                           f"step '{name}' ({step.label}) {_describe_due(line, state)}{still}", how, rid, source)
        elif state.done and state.late_by and not date_disagreement(line.record, line.process, state):
            word = "should have been done" if step.strength == "should" else "was due"
            yield _finding(line.record, step_line(line, state), WARNING, "step-late",
                           f"step '{name}' ({step.label}) was done on {dates.format_uk(state.done)}, "
                           f"{state.late_by} day{'s' * (state.late_by != 1)} late: it {word} by "
                           f"{dates.format_uk(state.due)} ({step.due})",
                           "Nothing to fix in the record; it is reported so the lateness is seen.", rid, source)
        elif state.state == DUE_SOON and (signs := [u for u in state.unmet if u.startswith(SIGNOFF_WORDS)]):
            yield _finding(line.record, step_line(line, state), WARNING, "signoff-missing",
                           f"step '{name}' ({step.label}) is due on {dates.format_uk(state.due)} and still needs "
                           f"{', '.join(signs)}",
                           f"Record them with `mars signoff {line.record.id} --for NAME --by PERSON --as ROLE`.",
                           rid, source)


def _signoff_how(line: Timeline, step) -> str:
    """How to record the sign-offs a step is done by: the command, with a role still needed, and who."""
    state = line.approvals.get(step.approval)
    missing = [n for n in (state.needs if state else ()) if n.signoff is None]
    role = missing[0].roles[0] if missing and missing[0].roles else "ROLE"
    still = f" Still needed: {'; '.join(n.label for n in missing)}." if len(missing) > 1 else ""
    return f"Record each with `mars signoff {line.record.id} --for {step.approval} --by PERSON --as {role}`.{still}"


def check_latest(ctx: Context, line: Timeline) -> Iterator[Finding]:
    """A step with no deadline of its own not done by the deadline of a dated step that needs it (when that
    step is done without it, its gate says so instead)."""
    for name, state in line.steps.items():
        if state.state != OVERDUE or state.latest is None or state.step.due is not None:
            continue
        needer = line.steps[state.latest_for]
        if needer.done:
            continue
        step, days = state.step, (line.as_of - state.latest).days
        how = (_signoff_how(line, step) if step.approval
               else f"When it is done, run `mars step {line.record.id} {name} --done --date YYYY-MM-DD`.")
        at = state.line or step_line(line, needer)  # where the deadline it takes counts from
        yield _finding(line.record, at, WARNING, "step-overdue",
                       f"step '{name}' ({step.label}) should have been done by {dates.format_uk(state.latest)}, "
                       f"{days} day{'s' * (days != 1)} ago: step '{needer.step.name}' ({needer.step.label}) needs it "
                       f"and is due then ({needer.step.due})", how,
                       rule_id(line.process, name, "latest"), needer.step.source or line.process.source)


def date_disagreement(record: Record, process: Process, state: StepState) -> tuple[str, str] | None:
    """(message, hint) when a step done on one day is described by a date field that says another."""
    fname = state.step.dated_by
    day = record.date(fname) if fname else None
    if not (state.done and usable(day)) or state.done == day:
        return None
    name, step = state.step.name, state.step
    counting = [s.name for s in process.steps.values() if s.due and s.due.anchor == fname and s.due.offset]
    rests = f"; the deadlines of {', '.join(repr(c) for c in counting)} rest on `{fname}:`" if counting else ""
    message = (f"step '{name}' ({step.label}) is recorded as done on {dates.format_uk(state.done)}, but "
               f"`{fname}:` says {dates.format_uk(day)}: the two disagree{rests}")
    at = _step_date_line(record, state)
    where = f"change the step's `date:` on line {at}" if at else "correct the step's date"
    hint = (f"If it happened on {dates.format_uk(state.done)}, run `mars set {record.id} {fname}={state.done.isoformat()}`; "
            f"if `{fname}:` is right, {where} to {day.isoformat()}.")
    return message, hint


def _step_date_line(record: Record, state: StepState) -> int:
    """The line of the `date:` the step was recorded with in this record's `steps:`, or 0 (not recorded
    here: borrowed from a linked record, or about to be written)."""
    listed = record.fields.get("steps")
    if not state.line or state.borrowed or not isinstance(listed, list):
        return 0
    for index, entry in enumerate(listed):
        if isinstance(entry, dict) and "date" in entry and record.line("steps", index) == state.line:
            return record.line("steps", index, "date")
    return 0


def check_dates_agree(ctx: Context, line: Timeline) -> Iterator[Finding]:
    for state in line.steps.values():
        found = date_disagreement(line.record, line.process, state)
        if found:
            yield _finding(line.record, step_line(line, state), WARNING, "date-disagrees", *found,
                           "steps.date-agrees", GENERIC["steps.date-agrees"][1])


def check_passed_over(ctx: Context, line: Timeline) -> Iterator[Finding]:
    """Earlier steps that bring a status, never recorded, once a later one gives the record its status."""
    missing = passed_over(line)
    if not missing:
        return
    names = ", ".join(f"'{s.step.name}' ({s.step.label})" for s in missing)
    record = line.record
    yield _finding(record, record.line("status") if "status" in record.fields else record.source.first_line,
                   WARNING, "step-not-recorded",
                   f"the record is '{line.status}' by its steps, but the earlier step{'s' * (len(missing) > 1)} "
                   f"{names} {'were' if len(missing) > 1 else 'was'} never recorded",
                   f"Record each with `mars step {record.id} STEP --done --date YYYY-MM-DD`"
                   + (", or `--skip --note WHY` if it was not needed." if any(s.step.optional for s in missing)
                      else "."), "status.steps-recorded", GENERIC["status.steps-recorded"][1])


def check_gates(ctx: Context, line: Timeline) -> Iterator[Finding]:
    """A step recorded as done without what it needs (by the day it was done)."""
    for name, state in line.steps.items():
        step = state.step
        # A date borrowed from a linked record (the agency's Section 11 return, sent in its own cycle)
        # was not this record's step done: what this record's step would need is not asked of it.
        if not step.needs or not state.done or state.borrowed:
            continue
        missing = []
        for need in step.needs:
            approval = line.approvals.get(need)
            if approval is not None:
                for n in approval.needs:
                    if n.signoff is None or n.signoff.date > state.done:
                        missing.append(f"sign-off '{need}' from {n.label}")
            elif need_of(need)[0] != "name":
                what, target = need_of(need)
                if not has_content(line.record, need):
                    missing.append(f"`{target}`" if what == "field" else f"the section '{target}' written")
            elif need in line.steps:
                before = line.steps[need]
                if not before.skipped and (before.done is None or before.done > state.done):
                    missing.append(f"step '{need}' ({before.step.label}) first")
        if missing:
            severity = ERROR if step.gate == "firm" else WARNING
            yield _finding(line.record, step_line(line, state), severity, "gate-breached",
                           f"step '{name}' ({step.label}) is recorded as done on {dates.format_uk(state.done)} "
                           f"without {', '.join(missing)}",
                           "Record what was missing if it was given in time (with its real date), or correct the "
                           "step's date.", rule_id(line.process, name, "needs"), step.source or line.process.source)


def check_signoffs(ctx: Context, line: Timeline) -> Iterator[Finding]:
    record = line.record
    latest = {(s.approval, s.role): s.index for s in line.signoffs if not s.problems}  # a later one supersedes
    for s in line.signoffs:
        at = ("signoffs", s.index)  # its line looked up only for a finding: most sign-offs have none
        for code, message, hint in s.problems:
            rule = "signoff.independent" if code == "signoff-conflict" else "signoff.role"
            yield _finding(record, record.line(*at), ERROR, code,
                           f"the sign-off of '{s.approval}' by {s.by or '?'}: {message}", hint, rule, GENERIC[rule][1])
        approval = line.process.approvals.get(s.approval)
        if approval is None or s.problems or latest.get((s.approval, s.role)) != s.index:
            continue
        if s.stale:
            yield _finding(record, record.line(*at), WARNING, "signoff-stale",
                           f"the sign-off of '{s.approval}' by {s.by} (as {s.role}) is stale: what it covers "
                           f"({_covers(approval)}) has changed since it was given; re-approval needed",
                           f"Ask again, then record it: `mars signoff {record.id} --for {s.approval} --by {s.by} "
                           f"--as {s.role}`.", "signoff.stale", GENERIC["signoff.stale"][1])
        elif not s.hash:
            yield _finding(record, record.line(*at), WARNING, "signoff-unverified",
                           f"the sign-off of '{s.approval}' by {s.by} has no `hash:`, so a later change to "
                           f"{_covers(approval)} could not be noticed",
                           f"Record sign-offs with `mars signoff`, which adds it (the current one is "
                           f"hash: {content.fingerprint(record, approval.covers)}).", "signoff.stale",
                           GENERIC["signoff.stale"][1])


def _covers(approval) -> str:
    return ", ".join(f"'{c}'" for c in approval.covers) or "the record"


def check_recorded_steps(ctx: Context, line: Timeline) -> Iterator[Finding]:
    record, steps = line.record, line.process.steps
    for name, entries in line.recorded.items():
        if len(entries) > 1 and name in steps:
            index = entries[1][0]
            yield _finding(record, record.line("steps", index), ERROR, "bad-step",
                           f"steps entry {index + 1}: step '{name}' is recorded {len(entries)} times",
                           "Keep the entry with the day it was done and delete the others.",
                           "steps.recorded", GENERIC["steps.recorded"][1])
        for index, entry in entries:
            step = steps.get(name)
            problem = None
            if step is None:
                problem = (f"'{name}' is not a step of {kinds.get(record.kind).a}",
                           f"Steps: {', '.join(steps)}.{did_you_mean(name, steps)}")
            elif step.approval:
                problem = (f"step '{name}' is done by its sign-offs ('{step.approval}'), not recorded here",
                           f"Remove this entry and use `mars signoff {record.id} --for {step.approval} ...`.")
            elif step.field and entry.get("date") != record.fields.get(step.field):
                says = f"{record.fields.get(step.field) or 'nothing'}, not {entry.get('date')}"
                problem = (f"step '{name}' is recorded by the `{step.field}:` date, which says {says}",
                           f"Set `{step.field}:` to the day it was done; an entry here only adds who and a note.")
            elif entry.get("skipped") is True and not step.optional:
                problem = (f"step '{name}' cannot be skipped: the process needs it",
                           "Record it as done when it is, or change the process in processes.yaml.")
            elif not usable(entry.get("date")):
                problem = (f"step '{name}' has no usable `date:`", "Add `date: YYYY-MM-DD`: the day it was done.")
            if problem:  # (its line looked up only now: most entries have none)
                yield _finding(record, record.line("steps", index), ERROR, "bad-step",
                               f"steps entry {index + 1}: {problem[0]}", problem[1],
                               "steps.recorded", GENERIC["steps.recorded"][1])
    raw = record.fields.get("steps")
    for index, entry in enumerate(raw if isinstance(raw, list) else ()):
        if isinstance(entry, dict) and not isinstance(entry.get("step"), str):
            yield _finding(record, record.line("steps", index), ERROR, "bad-step",
                           f"steps entry {index + 1} does not name its `step:`", f"Steps: {', '.join(steps)}.",
                           "steps.recorded", GENERIC["steps.recorded"][1])


def check_future_entries(ctx: Context, line: Timeline) -> Iterator[Finding]:
    """A step or sign-off recorded as done on a day that has not come yet."""
    today = max(ctx.as_of, ctx.today)
    record = line.record
    for key, what in (("steps", "step"), ("signoffs", "sign-off")):
        entries = record.fields.get(key)
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            day = entry.get("date") if isinstance(entry, dict) else None
            if usable(day) and day > today:
                name = entry.get("step") or entry.get("for") or "?"
                yield _finding(record, record.line(key, index, "date"), ERROR, "dated-after-today",
                               f"the {what} '{name}' is recorded as done on {dates.format_uk(day)}, which is after "
                               f"today ({dates.format_uk(today)})", "Correct the date: it is the day it happened.",
                               "progress.not-after-today", GENERIC["progress.not-after-today"][1])


def check_meetings(ctx: Context, line: Timeline) -> Iterator[Finding]:
    for name, state in line.steps.items():
        step = state.step
        if step.due and step.due.meeting and not state.done and state.waiting_for.startswith("no "):
            label = kinds.get(step.due.meeting)
            yield _finding(line.record, step_line(line, state), WARNING, "no-next-meeting",
                           f"step '{name}' ({step.label}): {state.waiting_for}",
                           f"Add the next meeting: `mars new {label.name} --date YYYY-MM-DD`.",
                           "meeting.next-available", step.source or GENERIC["meeting.next-available"][1])


def check_conflict_of_interest(ctx: Context, line: Timeline) -> Iterator[Finding]:
    rule = line.process.conflict_of_interest
    record = line.record
    agency = ctx.config.agencies.get(record.text("agency"))
    if rule is None or agency is None or agency.partner is None:
        return
    partner = agency.partner
    for fname in rule.fields:
        value = record.fields.get(fname)
        people = value if isinstance(value, list) else [value]
        for index, person in enumerate(people):
            if not isinstance(person, str) or person not in ctx.config.people:
                continue
            represents = (ctx.config.holds(person, f"dsp:{partner}") or ctx.config.holds(person, f"lsp:{partner}")
                          or ctx.config.people[person].agency == agency.id)
            if represents:
                at = record.line(fname, index) if isinstance(value, list) else record.line(fname)
                who = ctx.config.partners[partner].name if partner in ctx.config.partners else agency.name
                yield _finding(record, at, ERROR, "conflict-of-interest",
                               f"{fname}: {ctx.config.people[person].name} represents {who}, the partner under "
                               "scrutiny, so cannot be involved in this event as a scrutineer",
                               f"Choose someone from another organisation for `{fname}`; the partner still endorses "
                               "the event and its practitioners are still visited.",
                               rule_id(line.process, "conflict-of-interest"), rule.source)


def check_status(ctx: Context, line: Timeline) -> Iterator[Finding]:
    written, order = line.record.status, kinds.get(line.record.kind).statuses

    def claims_more(derived: str) -> bool:
        # Only a written status that claims more than the steps show is misleading; one that lags behind
        # (a meeting held since, an action plan made) is not: `list` and `show` give the steps' status.
        return written in order and derived in order and order.index(written) > order.index(derived)

    if claims_more(line.status) and ctx.latest is not ctx:
        line = timeline(ctx.latest, line.record)  # looking back: judge it by what is recorded by now
    if claims_more(line.status):
        nxt = next((s for s in line.steps.values() if s.step.status in order and not (s.done or s.skipped)
                    and order.index(s.step.status) > order.index(line.status)), None)
        why = f"; the next step with a status is '{nxt.step.name}' ({nxt.step.label})" if nxt else ""
        yield _finding(line.record, line.record.line("status"), WARNING, "status-differs",
                       f"status says '{written}', but its steps say '{line.status}'{why}",
                       f"Record the steps done with `mars step {line.record.id} STEP --done` (it keeps status in "
                       f"step), or set `status: {line.status}`.", "status.from-steps", GENERIC["status.from-steps"][1])


PROCESS_RULES = (
    check_deadlines,
    check_latest,
    check_dates_agree,
    check_passed_over,
    check_gates,
    check_signoffs,
    check_recorded_steps,
    check_future_entries,
    check_meetings,
    check_conflict_of_interest,
    check_status,
    check_links,
)


@dataclass(frozen=True)
class RuleRow:
    """One line of the rules table (`mars rules`, docs/rules.md)."""

    id: str
    what: str
    severity: str
    source: str

    def as_dict(self) -> dict:
        return {"id": self.id, "what": self.what, "severity": self.severity, "source": self.source}


def rule_table(processes) -> list[RuleRow]:
    """Every rule `check` applies from the process data, then the ones every process shares."""
    rows = []
    for process in processes.by_kind.values():
        latest = latest_sources(process)
        for name, step in process.steps.items():
            if step.due:
                word = " (the framework says 'should')" if step.strength == "should" else ""
                rows.append(RuleRow(rule_id(process, name, "due"), f"{step.label}; deadline: {step.due}{word}",
                                    WARNING, step.source or process.source))
            if name in latest:
                needer = process.steps[latest[name]]
                rows.append(RuleRow(rule_id(process, name, "latest"),
                                    f"{step.label}; latest: the deadline of '{needer.label}' ({needer.due}), "
                                    "which needs it (the earliest, when several steps need it)", WARNING, needer.source or process.source))
            if step.needs:
                rows.append(RuleRow(rule_id(process, name, "needs"),
                                    f"{step.label}: only after {', '.join(_need_words(process, n) for n in step.needs)}",
                                    ERROR if step.gate == "firm" else WARNING, step.source or process.source))
        rows.extend(RuleRow(*row) for row in link_rules(process))
        if process.conflict_of_interest:
            rows.append(RuleRow(rule_id(process, "conflict-of-interest"),
                                "a partner under scrutiny has no representative among the scrutineers", ERROR,
                                process.conflict_of_interest.source))
        for name, rule in process.yearly.items():
            rows.append(RuleRow(rule_id(process, name), _year_words(process, rule), WARNING, rule.source))
    for rid, (what, source, severity) in (*GENERIC.items(), *ACTION_RULES.items(), *PRIVACY_RULES.items(),
                                      *PROVENANCE_RULES.items()):
        rows.append(RuleRow(rid, what, severity, source))
    return rows


def latest_sources(process: Process) -> dict[str, str]:
    """The steps that can have a latest date (no deadline of their own, needed directly or through a chain
    by a dated step), each with the first dated step, in order, that needs it."""
    out: dict[str, str] = {}
    for name, step in process.steps.items():
        for need in needed_through(process, name) if step.due else ():
            if process.steps[need].due is None:
                out.setdefault(need, name)
    return out


def _need_words(process: Process, need: str) -> str:
    if need in process.approvals:
        approval = process.approvals[need]
        return f"{approval.what} is signed off by {' and '.join(signer_words(s) for s in approval.signers)}"
    what, target = need_of(need)
    if what == "field":
        return f"`{target}` is set"
    if what == "section":
        return f"the section '{target}' is written"
    return f"'{process.steps[need].label}'" if need in process.steps else need


def _year_words(process: Process, rule) -> str:
    s, kind = rule.settings, kinds.get(process.kind)
    noun, a_noun = kind.noun, kind.a
    meeting = kinds.get(s["meeting"]).noun if "meeting" in s else ""
    years = "every year" if s.get("cycle_years") == 1 else f"every {s.get('cycle_years')} years"
    after = f" (checked from {s['after'][0]} {s['after'][1]} into the year)" if s.get("after") else ""
    return {
        "every-agency": lambda: f"{a_noun} for every agency it applies to, {years}{after}",
        "count": lambda: f"at least {s['at_least']} {noun}(s) dated in each reporting year{after}",
        "interval": lambda: f"{a_noun} every {s['every'][0]} {s['every'][1]}",
        "periodic-report": lambda: f"the {s['report']} report to a {meeting} every {s['every'][0]} {s['every'][1]}",
        "follow-up-report": lambda: f"the {s['then']} report to the next {meeting} from {s['due'][0]} "
                                    f"{s['due'][1]} after the {s['report']} report",
        "iso-allowance": lambda: "ISO framework days within the allowance in mars.yaml (per ISO or for the pool)",
        "report-when-complete": lambda: f"the {s['report']} report to the next {meeting} once every {noun} of the "
                                        f"year has its '{s['step']}' step done",
    }[rule.check]()
