"""Recording progress on a record: a step done (or skipped), a sign-off given.

Both check everything first and refuse with nothing written; then they edit
the front matter in place (store/edit: only the lines that must change) and
write the file atomically. A record whose written `status:` followed its steps
keeps following them.
"""

from __future__ import annotations

import datetime as dt

from mars_cli.derive import content
from mars_cli.derive.context import Context
from mars_cli.derive.lookup import check_person
from mars_cli.derive.timeline import (
    Signoff,
    StepState,
    Timeline,
    recorded_steps,
    signoff_problems,
    timeline,
)
from mars_cli.framework import kinds
from mars_cli.framework.processes import Approval, Process, Step, need_of
from mars_cli.model import dates
from mars_cli.model.errors import Refused, UsageError
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, Record, Workspace
from mars_cli.rules.steps import date_disagreement
from mars_cli.store import edit
from mars_cli.write.kit import (
    Recorded,
    check_note,
    new_entry,
    past_day,
    read_text,
    write_record,
)


def _process(ws: Workspace, record: Record) -> Process:
    broken = [f for f in ws.findings if f.rule == "process.data" and f.severity == ERROR]
    if broken:
        f = broken[0]
        raise Refused(f"the workspace's rules have a problem ({f.path}:{f.line}: {f.message}); nothing was changed",
                      "Fix processes.yaml first (`mars check` lists every problem).")
    process = ws.processes.get(record.kind) if ws.processes else None
    if process is None or not process.steps:
        kind = kinds.get(record.kind)
        raise UsageError(f"{kind.a if kind else record.kind} has no process steps or sign-offs",
                         "`mars rules` lists the kinds that have them.")
    return process


def mark_step(ws: Workspace, record: Record, name: str, *, as_of: dt.date, day: dt.date | None = None,
              skip: bool = False, by: str | None = None, note: str | None = None) -> Recorded:
    """Record a step as done on `day` (or skipped), refusing when its firm gate is not met by that day."""
    step = _step_to_mark(record, _process(ws, record), name)
    when = past_day(day, as_of, "step")
    check_person(ws, by, "--by")
    check_note(note)
    now = timeline(Context(ws, as_of), record)
    earlier = _already(record, step, now.steps[name], as_of)
    if earlier:
        raise Refused(f"step '{name}' is already recorded as {earlier}; nothing was changed",
                      "Correct the earlier entry in your editor if it is wrong.")
    if skip:
        _check_skippable(step, note)
        warnings = []
    else:
        warnings = _check_done_on(ws, record, now, step, when)
    text = _with_step(read_text(ws, record), step, when, skip=skip, by=by, note=note)
    done = "skipped" if skip else f"done on {dates.format_uk(when)}"
    return write_record(ws, record, text, as_of, f"step '{name}' ({step.label}) {done}", warnings)


def _step_to_mark(record: Record, process: Process, name: str) -> Step:
    """The step `mars step` records, refusing one that is done by something else."""
    step = process.steps.get(name)
    if step is None:
        raise UsageError(f"'{name}' is not a step of {kinds.get(record.kind).a}",
                         f"Steps: {', '.join(process.steps)}.{did_you_mean(name, process.steps)}")
    if step.actions:
        raise Refused(f"step '{name}' is done when every action of the plan is complete or dropped, not by "
                      "`mars step`", f"Close the open actions with `mars action update ACTION --status complete ...`"
                      f" (`mars show {record.id}` lists them).")
    if step.approval:
        raise Refused(f"step '{name}' is done by its sign-offs, not by `mars step`",
                      f"Record each with `mars signoff {record.id} --for {step.approval} --by PERSON --as ROLE`.")
    return step


def _check_skippable(step: Step, note: str | None) -> None:
    if not step.optional:
        raise Refused(f"step '{step.name}' ({step.label}) cannot be skipped: the process needs it",
                      "Record it when it is done; a workspace can make it optional in processes.yaml.")
    if not note:
        raise UsageError("--skip needs --note saying why the step is not needed", "e.g. --note \"return was current\"")


def _check_done_on(ws: Workspace, record: Record, now: Timeline, step: Step, when: dt.date) -> list[str]:
    """Refuse a step whose firm gate was not met on `when`; else the warnings for recording it done then:
    its softer gate not met, its deadline passed."""
    then = (now if when == now.as_of else timeline(Context(ws, when), record)).steps[step.name]  # as on that day
    if then.unmet and step.gate == "firm":
        raise Refused(f"step '{step.name}' ({step.label}) cannot be recorded as done on {dates.format_uk(when)}: "
                      f"it needs {'; '.join(then.unmet)} first. Nothing was written", _gate_hint(record, then))
    warnings = []
    if then.unmet:
        warnings.append(f"step '{step.name}' should follow {'; '.join(then.unmet)}")
    disagrees = date_disagreement(record, now.process, StepState(step, done=when))
    if disagrees:
        warnings.append(f"{disagrees[0]}. {disagrees[1]}")
    due = now.steps[step.name].due
    if due and when > due and not disagrees:
        late = (when - due).days
        warnings.append(f"done {late} day{'s' * (late != 1)} after its deadline, {dates.format_uk(due)} ({step.due})")
    return warnings


def _with_step(text: str, step: Step, when: dt.date, *, skip: bool, by: str | None, note: str | None) -> str:
    """The record's text with the step recorded: in its date field, or as a `steps:` entry."""
    if step.field and not skip:
        text = edit.set_value(text, (step.field,), when)
        if by or note:  # who and why go beside it, as an entry with the same date
            text = edit.append_item(text, ("steps",), new_entry(step=step.name, date=when, by=by, note=note))
        return text
    return edit.append_item(text, ("steps",), new_entry(step=step.name, date=when, skipped=skip or None, by=by,
                                                         note=note))


def sign_off(ws: Workspace, record: Record, approval_name: str, *, by: str, role: str, as_of: dt.date,
             day: dt.date | None = None, evidence: str | None = None, note: str | None = None) -> Recorded:
    """Record a sign-off of what `approval_name` covers, as it is now (its fingerprint is stored)."""
    process = _process(ws, record)
    approval = _approval_to_sign(record, process, approval_name)
    check_person(ws, by, "--by")
    when = past_day(day, as_of, "sign-off")
    for text_value, option in ((evidence, "--evidence"), (note, "--note")):
        check_note(text_value, option)
    probe = Signoff(-1, approval_name, by, role, when, None)
    ctx = Context(ws, as_of)
    for code, message, hint in signoff_problems(ctx, record, approval, probe):
        raise Refused(f"{message}; nothing was written", hint)
    _check_gates_on(ws, record, process, approval, when)
    fingerprint = content.fingerprint(record, approval.covers)
    now = timeline(ctx, record)
    _check_not_signed(ws, now, approval, by, role, fingerprint)
    warnings = _signoff_warnings(ws, now, approval, by, role)
    entry = new_entry(**{"for": approval_name, "by": by, "as": role, "date": when, "evidence": evidence, "note": note,
                      "hash": fingerprint})
    text = edit.append_item(read_text(ws, record), ("signoffs",), entry)
    return write_record(ws, record, text, as_of, f"{ws.config.people[by].name} signed off '{approval_name}' "
                  f"({approval.what}) as {role} on {dates.format_uk(when)}", warnings)


def _approval_to_sign(record: Record, process: Process, approval_name: str) -> Approval:
    approval = process.approvals.get(approval_name)
    if approval is None:
        names = list(process.approvals)
        raise UsageError(f"{kinds.get(record.kind).a} is not signed off for '{approval_name}'",
                         (f"It is signed off for: {', '.join(names)}.{did_you_mean(approval_name, names)}"
                          if names else "Nothing on it needs a sign-off."))
    return approval


def _check_gates_on(ws: Workspace, record: Record, process: Process, approval: Approval, when: dt.date) -> None:
    """Refuse a sign-off given before what the steps it completes firmly need had been done."""
    then = timeline(Context(ws, when), record)  # what had been done by the day it was given
    for step in (s for s in process.steps.values() if s.approval == approval.name and s.gate == "firm"):
        if then.steps[step.name].unmet:
            raise Refused(f"{approval.what} cannot be signed off on {dates.format_uk(when)}: step '{step.name}' "
                          f"({step.label}) needs {'; '.join(then.steps[step.name].unmet)} first. Nothing was written",
                          _gate_hint(record, then.steps[step.name]))


def _check_not_signed(ws: Workspace, now: Timeline, approval: Approval, by: str, role: str, fingerprint: str) -> None:
    """Refuse the same person's sign-off, in the same role, of the same content, a second time."""
    for s in now.signoffs:
        if s.approval == approval.name and s.role == role and s.by == by and s.hash == fingerprint:
            raise Refused(f"{ws.config.people[by].name} has already signed off {approval.what} as {role} "
                          f"(on {dates.format_uk(s.date)}), and it has not changed since; nothing was written")


def _signoff_warnings(ws: Workspace, now: Timeline, approval: Approval, by: str, role: str) -> list[str]:
    """Someone already gave the sign-off this one counts for; the signer's independence cannot be told."""
    warnings = []
    need = next(n for n in now.approvals[approval.name].needs if role in n.roles)
    if need.signoff is not None and not need.signoff.stale:
        warnings.append(f"{need.label} had already signed it off (on {dates.format_uk(need.signoff.date)}, by "
                        f"{need.signoff.by})")
    signer, agency = ws.config.people[by], now.record.text("agency")
    if approval.independent and agency and not signer.agency:
        warnings.append(f"{signer.name} has no `agency:` in mars.yaml, so mars cannot tell whether they are "
                        f"independent of {agency}")
    return warnings


def _already(record: Record, step, state, as_of: dt.date) -> str:
    """How the step is already recorded, whatever the as-of day ('' when it is not)."""
    if state.done or state.skipped:
        return "skipped" if state.skipped else f"done on {dates.format_uk(state.done)}"
    if step.field:
        return ""  # a date in the future there is a plan: recording the step replaces it
    for _, entry in recorded_steps(record).get(step.name, []):
        day = entry.get("date")
        when = dates.format_uk(day) if isinstance(day, dt.date) else "an earlier entry"
        return f"skipped on {when}" if entry.get("skipped") is True else f"done on {when} (after {dates.format_uk(as_of)})"
    return ""


def _gate_hint(record: Record, state) -> str:
    """What to do about a refused step: the commands for what it still needs."""
    hints = []
    for need in state.step.needs:
        what, target = need_of(need)
        words = [u for u in state.unmet if (f"`{target}`" if what == "field" else f"'{target}'") in u]
        if not words:
            continue
        if what == "field":
            hints.append(f"set `{target}:` in the record")
        elif what == "section":
            hints.append(f"write the section '{target}'")
        elif words[0].startswith(("sign-off", "re-approval")):
            hints.append(f"record the sign-offs with `mars signoff {record.id} --for {need} --by PERSON --as ROLE "
                         "--date YYYY-MM-DD` (the day each was given)")
        else:
            hints.append(f"record step '{need}' first: `mars step {record.id} {need} --done --date YYYY-MM-DD`")
    text = "; ".join(hints) or "do what it needs"
    return text[0].upper() + text[1:] + ", then run this again."


