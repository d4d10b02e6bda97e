"""One return, not two: the findings about a record's `same_as` steps and the record they link to.

An agency event's "return sent" and "return received" are its agency's Section 11 return's
`issued` and `returned` (processes.yaml: `same_as: section11:issued`). The event names the return
in `section11:` or it is found (derive/linked.py); a return named that is not the agency's own is an
error, two found a warning; the event's own date for one of these steps before the return's own
date for it is a warning: the same return cannot be sent (or come back) before it was.
"""

from __future__ import annotations

from collections.abc import Iterator

from mars_cli.derive import linked
from mars_cli.derive.context import Context
from mars_cli.derive.timeline import Timeline, timeline
from mars_cli.framework import kinds
from mars_cli.framework.processes import Process
from mars_cli.model import dates
from mars_cli.model.records import ERROR, WARNING, Finding, Record


def _links(process: Process) -> dict[str, list[str]]:
    """Linked kind (= the field naming the record) -> the steps that are the same as one of its steps."""
    out: dict[str, list[str]] = {}
    for name, step in process.steps.items():
        if step.same_as:
            out.setdefault(step.same_as[0], []).append(name)
    return out


def link_rules(process: Process) -> list[tuple[str, str, str, str]]:
    """The rules about a process's links, for `mars rules`: (id, what, severity, source)."""
    rows = []
    for kind, names in _links(process).items():
        noun = kinds.get(kind).noun
        source = _source(process, kind, names)
        rows.append((f"{process.kind}.{kind}.link", f"`{kind}:` names a {noun} of the record's own agency",
                     ERROR, source))
        rows.append((f"{process.kind}.{kind}.found", f"without `{kind}:`, the agency has one {noun} of the "
                     "record's reporting year, so the record can use its dates", WARNING, source))
        for name in names:
            step = process.steps[name]
            rows.append((f"{process.kind}.{name}.same-as", f"{step.label}: recorded here, not before the {noun}'s "
                         f"own '{step.same_as[1]}' date (the same return)", WARNING, source))
    return rows


def check_links(ctx: Context, line: Timeline) -> Iterator[Finding]:
    """What stops a link (a wrong record named, two found) and dates that cannot both be true."""
    record, process = line.record, line.process
    for kind, names in _links(process).items():
        found = linked.link(ctx, record, kind)
        if found.problem:
            code, message, hint = found.problem
            rid = f"{process.kind}.{kind}.{'found' if code == 'link-ambiguous' else 'link'}"
            at = record.line(kind) if kind in record.fields else record.source.first_line
            yield _finding(record, at, WARNING if code == "link-ambiguous" else ERROR, code, message, hint, rid,
                           _source(process, kind, names))
        elif found.record is not None:
            yield from _earlier_dates(ctx, line, found.record, names)


def _earlier_dates(ctx: Context, line: Timeline, other: Record, names: list[str]) -> Iterator[Finding]:
    """Each step recorded on this record on a day before the linked record's own date for it."""
    theirs = timeline(ctx, other)
    for name in names:
        state, target = line.steps[name], line.steps[name].step.same_as[1]
        done = theirs.steps[target].done if theirs and target in theirs.steps else None
        if not (state.done and done and not state.borrowed and state.done < done):
            continue
        step, noun = state.step, kinds.get(other.kind).noun
        yield _finding(line.record, state.line, WARNING, "dates-disagree",
                       f"step '{name}' ({step.label}) is recorded here as done on {dates.format_uk(state.done)}, "
                       f"before {other.id}, the {noun} it is the same as, has its '{target}' step done "
                       f"({dates.format_uk(done)}): the two records disagree",
                       f"Record the date once: if the return's date is right, remove this entry and the date comes "
                       f"from {other.id}; else correct whichever date is wrong (`mars show {other.id}`). A later "
                       "date here is taken as an update of the return for the event.",
                       f"{line.process.kind}.{name}.same-as", _source(line.process, other.kind, names))


def _source(process: Process, kind: str, names: list[str]) -> str:
    return (f"mars: {' and '.join(names)} are steps of the {kinds.get(kind).noun} too, recorded once "
            f"({process.source})")


def _finding(record: Record, line: int, severity: str, code: str, message: str, hint: str, rule: str,
             source: str) -> Finding:
    return Finding(record.path, line, severity, code, message, hint, rule=rule, source=source)
