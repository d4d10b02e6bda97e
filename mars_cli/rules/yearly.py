"""Checks across a whole reporting year: the year that contains the as-of day, and each year that
has ended whose yearly report is not yet published (the report is where a year's areas of little
progress are told, so its shortfalls and overruns are reported until then); or one year asked for
(`mars check --year`).

Each yearly rule in the process data names its check type; each type is one
function here, listed once in YEARLY_CHECKS, and takes the year it checks. Findings
are warnings: they say what the year lacks, as of the day asked about. A kind's
yearly rules apply once the workspace keeps records of that kind (a partnership
that runs its early years audits elsewhere is not told every day that they are
missing); the ISO allowance applies always.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from mars_cli.derive.context import Context
from mars_cli.derive.timeline import timeline
from mars_cli.framework import kinds
from mars_cli.framework.kinds import main_date
from mars_cli.framework.processes import Process, YearRule
from mars_cli.model import dates
from mars_cli.model.records import WARNING, Finding, Record
from mars_cli.rules.steps import rule_id


@dataclass(frozen=True)
class Year:
    """A reporting year being checked. `closed`: it ended before the as-of day. `only`: it was asked for
    with --year (checks that follow reports across years then keep to it)."""

    label: str
    start: dt.date
    end: dt.date
    closed: bool = False
    only: bool = False


def check_years(ctx: Context, year: str | None = None, unit=lambda key, work_out: work_out(),
                keys: list[tuple] | None = None) -> list[Finding]:
    """The yearly findings of the years to report (`years_to_check`), or of `year` alone; each rule's for
    each year is worked out by `unit(key, work_out)` (rules/units.py remembers them). keys: year_units's,
    when known already."""
    out: list[Finding] = []
    for key in year_units(ctx, year) if keys is None else keys:
        out.extend(unit(key, yearly_work(ctx, key)))
    return out


def year_units(ctx: Context, year: str | None = None) -> list[tuple]:
    """The keys of the units check_years works out: ("yearly", kind, rule, year, closed, only), one for each
    rule of a kind in use for each year to check."""
    out = []
    in_use = ctx.kinds_in_use()
    years = [_year(ctx, year, only=True)] if year else years_to_check(ctx)
    for process in ctx.processes.by_kind.values():
        for rule in process.yearly.values():
            if process.kind not in in_use and rule.check != "iso-allowance":
                continue
            for one in years:
                if rule.check in ACROSS_YEARS and one.closed and not one.only:
                    continue  # it follows reports across years already: checked once, with the current year
                out.append(("yearly", process.kind, rule.name, one.label, one.closed, one.only))
    return out


def yearly_work(ctx: Context, key: tuple):
    """What the unit `key` (from year_units) works out, over ctx."""
    _, kind, name, label, _closed, only = key
    process = ctx.processes.by_kind[kind]
    rule, one = process.yearly[name], _year(ctx, label, only)
    return lambda: list(_with_year_said(YEARLY_CHECKS[rule.check](ctx, process, rule, one), one, ctx))


def years_to_check(ctx: Context) -> list[Year]:
    """The year of the as-of day, and each earlier year whose yearly report was not published by then:
    from the first year the workspace has records in, after the last year whose report was published
    (what came before it has been told)."""
    current = _year(ctx, dates.reporting_year(ctx.as_of, ctx.config.year_start_month))
    created = [d for r in ctx.workspace.records if (d := r.date("created")) and d <= ctx.as_of]
    if not created:
        return [current]
    label = dates.reporting_year(min(created), ctx.config.year_start_month)
    closed: list[Year] = []
    while label < current.label:
        year = _year(ctx, label)
        if year_published(ctx, label):
            closed = []
        else:
            closed.append(year)
        label = dates.reporting_year(year.end + dt.timedelta(days=1), ctx.config.year_start_month)
    return [*closed, current]


def year_published(ctx: Context, label: str) -> bool:
    """Whether the step `closed_years_until` names (the yearly report's publication) was done by the as-of
    day on a record of that kind whose `year:` is this year."""
    kind, _, step = ctx.processes.closed_years_until.partition(".")
    for record in ctx.of_kind(kind):
        if record.text("year") == label and record.existed_on(ctx.as_of):
            line = timeline(ctx, record)
            if line is not None and step in line.steps and line.steps[step].done:
                return True
    return False


def _year(ctx: Context, label: str, only: bool = False) -> Year:
    bounds = dates.year_bounds(label, ctx.config.year_start_month)
    assert bounds is not None, label  # callers give labels made by dates.reporting_year or checked
    start, end = bounds
    return Year(label, start, end, closed=end < ctx.as_of, only=only)


def _with_year_said(findings: Iterator[Finding], year: Year, ctx: Context) -> Iterator[Finding]:
    """A closed year's findings say so, and where they are to be told."""
    if not year.closed:
        yield from findings
        return
    if year_published(ctx, year.label):  # asked for with --year: told already
        yield from (dataclasses.replace(f, message=f"{f.message} ({year.label} has ended)") for f in findings)
        return
    kind, _, step = ctx.processes.closed_years_until.partition(".")
    noun = kinds.get(kind).noun if kinds.get(kind) else kind
    for finding in findings:
        yield dataclasses.replace(
            finding, message=f"{finding.message} ({year.label} has ended; reported until its {noun} is {step})",
            hint=f"{finding.hint} Say it in the {year.label} {noun} (areas of little progress).".strip())


def _finding(path: str, line: int, message: str, hint: str, process: Process, rule: YearRule) -> Finding:
    return Finding(path, line, WARNING, f"yearly-{rule.check}", message, hint,
                   rule=rule_id(process, rule.name), source=rule.source)


def _of_kind(ctx: Context, kind: str) -> list[Record]:
    """The records of a kind that existed on the as-of day (looking back, later ones did not)."""
    return [r for r in ctx.of_kind(kind) if r.existed_on(ctx.as_of)]


def _year_of(ctx: Context, record: Record) -> str:
    """The reporting year a record is for: its `cycle:`, else the year of its main date."""
    return record.text("cycle") or kinds.record_year(record, ctx.config.year_start_month)


def _too_early(ctx: Context, rule: YearRule, start: dt.date) -> bool:
    """Within the rule's `after` grace from the start of the year (returns are issued some weeks in)."""
    grace = rule.settings.get("after")
    if not grace:
        return False
    opens = dates.shift(start, *grace)
    return opens is None or ctx.as_of < opens


def _folder(kind: str, year: str) -> str:
    return f"records/{kind}/{year}/"


def every_agency(ctx: Context, process: Process, rule: YearRule, year: Year) -> Iterator[Finding]:
    """Each agency the kind is for has a record in the cycle (the last `cycle_years` reporting years)."""
    kind = kinds.get(process.kind)
    label, start = year.label, year.start
    if _too_early(ctx, rule, start):
        return
    years = rule.settings["cycle_years"]
    covered = {dates.reporting_year(dt.date(start.year - back, start.month, 1), ctx.config.year_start_month)
               for back in range(years)}
    have = set()
    for record in _of_kind(ctx, process.kind):
        year = _year_of(ctx, record)
        if year in covered and record.text("agency"):
            have.add(record.text("agency"))
    cycle = label if years == 1 else f"the {years} years to {label}"
    for agency in ctx.config.agencies.values():
        if kind.agency_rule is None or not kind.allows(agency) or agency.id in have:
            continue
        yield _finding("mars.yaml", ctx.config.line_of("agencies", agency.id),
                       f"{agency.name} has no {kind.noun} for {cycle}",
                       f"Create it: `mars new {kind.name} --agency {agency.id}`.", process, rule)


def count(ctx: Context, process: Process, rule: YearRule, year: Year) -> Iterator[Finding]:
    """At least `at_least` records of the kind dated in the year (planned ones count: it is a plan)."""
    kind = kinds.get(process.kind)
    label, start, end = year.label, year.start, year.end
    if _too_early(ctx, rule, start):
        return
    dated = [r for r in _of_kind(ctx, process.kind) if (d := r.date(kind.date_field)) and start <= d <= end
             and r.status != "cancelled"]  # its own date (an event's, a report's publication), not its creation
    wanted = rule.settings["at_least"]
    if len(dated) < wanted:
        yield _finding(_folder(kind.name, label), 0,
                       f"{len(dated)} {kind.noun}{'s' * (len(dated) != 1)} dated in {label}; the framework asks "
                       f"for {wanted} a year",
                       "" if year.closed else f"Plan the rest: `mars new {kind.name} ...` with a date in {label}.",
                       process, rule)


def interval(ctx: Context, process: Process, rule: YearRule, year: Year) -> Iterator[Finding]:
    """No gap longer than `every` between consecutive meetings in the year, nor since the last one."""
    kind = kinds.get(process.kind)
    start, end = year.start, year.end
    amount, unit = rule.settings["every"]
    dated = sorted(((d, r) for r in _of_kind(ctx, process.kind) if (d := main_date(r))),
                   key=lambda pair: (pair[0], pair[1].id))
    every = f"{amount} {unit}"
    for (before, _), (after, record) in itertools.pairwise(dated):
        limit = dates.shift(before, amount, unit)
        if start <= after <= end and limit is not None and after > limit:
            yield _finding(record.path, record.line(kind.date_field),
                           f"{(after - before).days} days after the previous {kind.noun} "
                           f"({dates.format_uk(before)}); it meets every {every}",
                           "Nothing to fix in this record: the gap is reported so it is seen.", process, rule)
    held = [(d, r) for d, r in dated if d <= ctx.as_of]
    if held and start <= ctx.as_of <= end and not any(d > held[-1][0] for d, _ in dated):
        last, record = held[-1]
        limit = dates.shift(last, amount, unit)
        if limit is not None and ctx.as_of > limit:
            yield _finding(record.path, record.line(kind.date_field),
                           f"no {kind.noun} since {dates.format_uk(last)} ({(ctx.as_of - last).days} days); "
                           f"it meets every {every}", f"Record the next one: `mars new {kind.name} ...`.",
                           process, rule)


def periodic_report(ctx: Context, process: Process, rule: YearRule, year: Year) -> Iterator[Finding]:
    """In each period of the year that has ended, a meeting received the report."""
    label, start, end = year.label, year.start, year.end
    amount, unit = rule.settings["every"]
    meeting_kind, report = rule.settings["meeting"], rule.settings["report"]
    noun = kinds.get(meeting_kind).noun
    period = start
    while period <= end:
        after = dates.shift(period, amount, unit)
        if after is None or after <= period:
            break
        last_day = after - dt.timedelta(days=1)
        if last_day >= ctx.as_of:
            break
        inside = [m for d, m in ctx.meetings.get(meeting_kind, ()) if period <= d <= last_day]
        if not any(report in _reports(m) for m in inside):
            where = inside[-1] if inside else None
            yield _finding(where.path if where else _folder(meeting_kind, label),
                           _meeting_line(where) if where else 0,
                           f"no {noun} between {dates.format_uk(period)} and {dates.format_uk(last_day)} received "
                           f"the {_lower(ctx.processes.reports.get(report, report))} ({report})",
                           f"When a {noun} received it, add `reports: [{report}]` to that meeting's record.",
                           process, rule)
        period = after


def follow_up_report(ctx: Context, process: Process, rule: YearRule, year: Year) -> Iterator[Finding]:
    """After a meeting receives `report`, the next available meeting `due` later receives `then`. It
    follows every such meeting up to the as-of day; asked about one year, those of that year."""
    meeting_kind, first, then = rule.settings["meeting"], rule.settings["report"], rule.settings["then"]
    amount, unit = rule.settings["due"]
    meetings = ctx.meetings.get(meeting_kind, ())
    noun = kinds.get(meeting_kind).noun
    names = ctx.processes.reports
    # a meeting is followed up when any later meeting received `then`: later than the last one that did
    last_then = max((d for d, m in meetings if then in _reports(m)), default=None)
    for day, meeting in meetings:
        if first not in _reports(meeting) or day > ctx.as_of or (year.only and not year.start <= day <= year.end):
            continue
        if last_then is not None and last_then > day:
            continue
        due_from = dates.shift(day, amount, unit)
        if due_from is None:
            continue
        target = ctx.next_meeting(meeting_kind, due_from)
        if target is None and ctx.as_of > due_from:
            message = f"no {noun} is scheduled from {dates.format_uk(due_from)} to receive the {_lower(names[then])}"
        elif target is not None and ctx.as_of > target.date("date"):
            message = (f"the {_lower(names[then])} was due at the {noun} on {dates.format_uk(target.date('date'))} "
                       f"({amount} {unit} after the {_lower(names[first])} on {dates.format_uk(day)}), and no {noun} "
                       "has received it")
        else:
            continue
        yield _finding(meeting.path, _meeting_line(meeting), message,
                       f"Add `{then}` to the `reports:` of the {noun} that received it.", process, rule)


def report_when_complete(ctx: Context, process: Process, rule: YearRule, year: Year) -> Iterator[Finding]:
    """Once every record of a year has its `step` done (one for each agency it applies to, when it is
    about agencies), the next available meeting receives `report`. The year just ended is checked
    too: its last returns often come back near its end (unless one year was asked for)."""
    previous = dates.reporting_year(year.start - dt.timedelta(days=1), ctx.config.year_start_month)
    for label in (year.label,) if year.only else (previous, year.label):
        yield from _report_for_year(ctx, process, rule, label)


def _report_for_year(ctx: Context, process: Process, rule: YearRule, year: str) -> Iterator[Finding]:
    kind = kinds.get(process.kind)
    records = [r for r in _of_kind(ctx, process.kind) if _year_of(ctx, r) == year]
    last = _all_back_on(ctx, kind, rule, records)
    meeting_kind, report = rule.settings["meeting"], rule.settings["report"]
    if last is None or any(report in _reports(m) for d, m in ctx.meetings.get(meeting_kind, ()) if d >= last):
        return
    target = ctx.next_meeting(meeting_kind, last)
    if target is None:
        yield _no_meeting_for_report(ctx, process, rule, year, records, last)
    elif target.date("date") < ctx.as_of:
        yield _report_not_received(ctx, process, rule, year, target, last)


def _all_back_on(ctx: Context, kind: kinds.Kind, rule: YearRule, records: list[Record]) -> dt.date | None:
    """The day the last of the year's records had the rule's step done; None while any is still out
    (one for each agency it applies to, when the kind is about agencies) or none was done."""
    if kind.agency_rule is not None:
        covered = {r.text("agency") for r in records}
        if any(kind.allows(a) and a.id not in covered for a in ctx.config.agencies.values()):
            return None  # an agency's return is not even started: the year is not complete
    states = [timeline(ctx, r).steps[rule.settings["step"]] for r in records]
    done = [s.done for s in states if s.done]
    if not done or not all(s.done or s.skipped for s in states):
        return None
    return max(done)


def _no_meeting_for_report(ctx: Context, process: Process, rule: YearRule, year: str, records: list[Record],
                           last: dt.date) -> Finding:
    """Every record of the year is back, but no meeting is scheduled to receive the report."""
    kind, meeting_kind, report = kinds.get(process.kind), rule.settings["meeting"], rule.settings["report"]
    step = _lower(process.steps[rule.settings["step"]].label)
    newest = max(records, key=lambda r: (main_date(r) or dt.date.min, r.id))
    at = newest.line(kind.date_field) if kind.date_field in newest.fields else newest.line("created")
    return _finding(newest.path, at, f"every {kind.noun} of {year} is back ({step}, the last on "
                    f"{dates.format_uk(last)}), but no {kinds.get(meeting_kind).noun} is scheduled to receive the "
                    f"{_lower(ctx.processes.reports.get(report, report))}",
                    f"Add the next meeting: `mars new {meeting_kind} --date YYYY-MM-DD`.", process, rule)


def _report_not_received(ctx: Context, process: Process, rule: YearRule, year: str, target: Record,
                         last: dt.date) -> Finding:
    """The meeting that should have received the report has been held without it."""
    kind, report = kinds.get(process.kind), rule.settings["report"]
    noun, name = kinds.get(rule.settings["meeting"]).noun, _lower(ctx.processes.reports.get(report, report))
    return _finding(target.path, _meeting_line(target),
                    f"the {name} was due at the {noun} on {dates.format_uk(target.date('date'))}, the next "
                    f"available after the last {kind.noun} of {year} ({dates.format_uk(last)}); no {noun} "
                    "has received it",
                    f"When a {noun} received it, add `{report}` to that meeting's `reports:`.", process, rule)


def _lower(text: str) -> str:
    """A label inside a sentence: "Summary of ..." -> "summary of ...", but "MARPF ..." stays."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _meeting_line(meeting: Record) -> int:
    return meeting.line("reports") if "reports" in meeting.fields else meeting.line("date")


def _reports(meeting: Record) -> list[str]:
    value = meeting.fields.get("reports")
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def iso_allowance(ctx: Context, process: Process, rule: YearRule, year: Year) -> Iterator[Finding]:
    """Framework days logged in the year, per ISO or for the pool, within the allowance."""
    label, start, end = year.label, year.start, year.end
    spent = iso_days_spent(ctx, start, end)
    cfg = ctx.config
    if cfg.iso_allowance_basis == "pool":
        total = sum(spent.values())
        if total > cfg.iso_allowance_days:
            yield _finding("mars.yaml", cfg.source.line("iso_allowance"),
                           f"the ISOs have logged {total:g} framework days in {label}, over the pool's allowance of "
                           f"{cfg.iso_allowance_days:g}", _iso_hint(), process, rule)
        return
    for iso, days in sorted(spent.items()):
        person = cfg.people.get(iso)
        allowance = person.iso_days if person and person.iso_days is not None else cfg.iso_allowance_days
        if days > allowance:
            name = person.name if person else iso
            yield _finding("mars.yaml", cfg.line_of("people", iso),
                           f"{name} has logged {days:g} framework days in {label}, over their allowance of "
                           f"{allowance:g}", _iso_hint(), process, rule)


def _iso_hint() -> str:
    return ("Check the logged days; work agreed outside the framework is marked within_framework: false "
            "(iso-activity) or outside_framework: true (iso_days entries) and does not count.")


def iso_days_spent(ctx: Context, start: dt.date, end: dt.date) -> dict[str, float]:
    """ISO id -> framework days logged between start and end, on every record."""
    spent: dict[str, float] = {}

    def add(iso, days, day) -> None:
        number = isinstance(days, (int, float)) and not isinstance(days, bool)
        if isinstance(iso, str) and number and day and start <= day <= end:
            spent[iso] = spent.get(iso, 0) + days

    for record in ctx.iso_logged():
        logged = record.fields.get("iso_days")
        activity = record.kind == "iso-activity"
        if not (activity or logged):  # most records: their main date is never needed
            continue
        main = main_date(record)
        if activity and record.fields.get("within_framework") is not False:
            add(record.text("iso"), record.fields.get("days"), main)
        for entry in logged if isinstance(logged, list) else ():
            if isinstance(entry, dict) and entry.get("outside_framework") is not True:
                day = entry.get("date") if isinstance(entry.get("date"), dt.date) else main
                add(entry.get("iso"), entry.get("days"), day)
    return spent


ACROSS_YEARS = ("follow-up-report", "report-when-complete")  # they follow reports from one year into the next

YEARLY_CHECKS = {
    "every-agency": every_agency,
    "count": count,
    "interval": interval,
    "periodic-report": periodic_report,
    "follow-up-report": follow_up_report,
    "iso-allowance": iso_allowance,
    "report-when-complete": report_when_complete,
}
