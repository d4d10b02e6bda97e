"""The yearly report for a reporting year, and its public version.

The written parts come from that year's `annual-report` record (what we did, how effective it was,
learning from reviews, voice, areas of little progress, priorities, the ISO's scrutiny); everything
countable is computed from the year's records: the year in numbers by mechanism, learning → action
→ impact for each event and review, actions and their impact, voice, the ISO's days. It is a DRAFT
until the ISO's scrutiny and the three lead partners' sign-offs are recorded and current.

The public version (`public=True`) is refused while a draft; it leaves out every OFFICIAL-SENSITIVE
record (from case records only totals appear) and writes counts of children or cases below the
partnership's threshold as "fewer than N".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mars_cli.derive.context import Context
from mars_cli.derive.lookup import find_record
from mars_cli.derive.timeline import timeline
from mars_cli.documents import common
from mars_cli.documents.paper import (
    RAG_SERIES,
    Bullets,
    Chart,
    Paper,
    Para,
    Section,
    Table,
    sensitive,
)
from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import Refused, UsageError
from mars_cli.model.records import Record

SCRUTINY, SIGN_OFF = "scrutiny", "sign-off"  # the yearly report's approvals, as the shipped processes name them


@dataclass(frozen=True)
class Mechanism:
    kind: str
    name: str
    unit: str  # what a count of its records counts
    cases: bool = False  # a count of cases: suppressed below the threshold in public


MECHANISMS = (
    Mechanism("section11", "Section 11 self-assessments", "returns"),
    Mechanism("schools-audit", "Schools, colleges and alternative provision audits", "audits"),
    Mechanism("early-years-audit", "Early years audits", "audits"),
    Mechanism("agency-event", "Agency-specific assurance events", "events"),
    Mechanism("thematic-event", "Thematic assurance events", "events"),
    Mechanism("line-of-sight", "Practice learning line of sight events", "events"),
    Mechanism("case-line-of-sight", "Case-specific line of sight events", "cases", cases=True),
    Mechanism("marpf", "Multi-agency reflective practice forums", "meetings", cases=True),  # each is about a case
    Mechanism("space-audit", "SPACE Service audits", "audits"),
    Mechanism("multi-agency-audit", "Multi-agency audits", "audits", cases=True),
    Mechanism("call-in", "Agency call-ins", "call-ins"),
    Mechanism("peer-review", "Peer reviews", "reviews"),
    Mechanism("voice", "Voice quality assurance", "pieces of work"),
    Mechanism("rapid-review", "Rapid reviews", "cases", cases=True),
    Mechanism("cspr", "Child safeguarding practice reviews", "cases", cases=True),
    Mechanism("iso-activity", "Independent scrutiny activities", "activities"),
    Mechanism("board-meeting", "Children's MARS Board meetings", "meetings"),
    Mechanism("splig-meeting", "SPLIG meetings", "meetings"),
)
RETURNS = ("section11", "schools-audit", "early-years-audit")  # counted once returned
BEGUN = ("rapid-review", "cspr", "space-audit", "multi-agency-audit")  # counted once begun
LEARNING_KINDS = ("agency-event", "thematic-event", "line-of-sight", "case-line-of-sight", "space-audit",
                  "multi-agency-audit", "call-in", "peer-review", "rapid-review", "cspr", "voice")
FOUND_IN = ("Findings", "Overview", "Multi-agency findings", "Immediate learning", "Learning", "Recommendations",
            "Key highlights and emerging themes", "What children, young people and families told us", "Reporting")
WRITTEN = (  # the record's sections, in the report's order, with the chapter each opens
    ("What we did", "What we did"),
    ("How effective it was", "How effective it was"),
    ("Learning from reviews", "Learning from reviews"),
    ("How children's and families' voice was used", "How children's and families' voice was used"),
    ("Areas of little progress", "Areas of little progress"),
    ("Independent scrutiny", "Independent scrutiny"),
    ("Priorities for next year", "Priorities for next year"),
)


def _about_a_case(ctx: Context, record: Record) -> bool:
    """A case record, or an action plan (or action) that comes from one: only totals of these are public."""
    kind = kinds.get(record.kind)
    if kind and kind.case:
        return True
    plan = ctx.records.get(record.path.rpartition("/")[0].rpartition("/")[2]) if record.kind == "action" else record
    source = _source(ctx, (plan or record).text("source") or "")
    return bool(source and kinds.get(source.kind) and kinds.get(source.kind).case)


def _source(ctx: Context, ref: str) -> Record | None:
    """The record a plan names as its source, however loosely written (a part of its ID, in any case):
    a plan whose source cannot be told apart is taken to come from a case, to be safe."""
    if not ref.strip():
        return None
    try:
        return find_record(ctx.workspace, ref.strip())
    except UsageError:
        return next((r for r in ctx.workspace.records if kinds.get(r.kind) and kinds.get(r.kind).case
                     and ref.strip().lower() in r.id.lower()), None)


def find_report(ctx: Context, year: str) -> Record:
    if dates.year_bounds(year, ctx.config.year_start_month) is None:
        raise UsageError(f"'{year}' is not a reporting year", "Write it like 2025-26.")
    found = [r for r in ctx.workspace.records if r.kind == "annual-report" and r.text("year") == year]
    if not found:
        raise UsageError(f"no yearly report record for {year}",
                         f'Create it with `mars new annual-report --year {year} --title "Yearly report {year}"`.')
    return found[0]


@dataclass
class _Year:
    ctx: Context
    year: str
    public: bool

    @property
    def threshold(self) -> int:
        return self.ctx.config.document_small_counts

    def records(self, kind: str) -> list[Record]:
        """The year's records of a kind that exist on the as-of day: by their main date, or, when that is
        still to come (a review to be published next year), by the day they were made."""
        return sorted((r for r in self.ctx.workspace.records if r.kind == kind and r.existed_on(self.ctx.as_of)
                       and self._year_of(r) == self.year), key=lambda r: (kinds.main_date(r) or r.date("created"), r.id))

    def _year_of(self, record: Record) -> str:
        day = kinds.main_date(record)
        if day is None or day > self.ctx.as_of:
            day = record.date("created") or day
        return dates.reporting_year(day, self.ctx.config.year_start_month) if day else ""

    def done(self, record: Record) -> bool:
        """Whether it has happened by the as-of day: a return returned, an event or meeting held, a review begun."""
        if record.kind in RETURNS:
            returned = record.date("returned")
            return bool(returned and returned <= self.ctx.as_of)
        if record.kind in BEGUN:
            return True
        day = kinds.main_date(record)
        return bool(day and day <= self.ctx.as_of)

    def shown(self, record: Record) -> bool:
        return not (self.public and (sensitive(record) or _about_a_case(self.ctx, record)))

    def count(self, n: int, cases: bool) -> str:
        return f"fewer than {self.threshold}" if self.public and cases and 0 < n < self.threshold else str(n)


def yearly_report(ctx: Context, report: Record, public: bool = False) -> Paper:
    line = timeline(ctx, report)
    draft = _draft(line)
    if public and draft:
        raise Refused(f"the {report.text('year')} yearly report is still a draft ({draft}), so it cannot be published",
                      f"Record the ISO's scrutiny and the three lead partners' sign-offs first (`mars show {report.id}`).")
    year = _Year(ctx, report.text("year") or "", public)
    shown, plans, actions = _contents(year)
    sections = [
        _chapter(report, "What we did", [_numbers(year)]),
        _chapter(report, "How effective it was", [_trace(year)]),
        _chapter(report, "Learning from reviews", _reviews(year)),
        _chapter(report, "How children's and families' voice was used", _voice(year)),
        Section("Actions and their impact", _actions(ctx, actions, plans)),
        _chapter(report, "Areas of little progress", _little_progress(ctx, actions)),
        _chapter(report, "Independent scrutiny", _iso(year)),
        _chapter(report, "Priorities for next year", []),
        Section("Sign-off", [_signoffs(ctx, line)]),
        common.provenance(ctx, [report, *shown, *plans], ctx.today, public=public),
    ]
    title = f"{report.title}{' (public version)' if public else ''}"
    return Paper(
        kind="yearly-report", title=title, subtitle=f"Reporting year {year.year}",
        partnership=ctx.config.partnership, as_of=ctx.as_of, sections=sections,
        sources=[report, *shown, *plans, *(a.record for a in actions)],
        cover=[("Reporting year", year.year), _publication(ctx, report, line),
               ("Independent scrutiny", _scrutineer(ctx, line))],
        draft=draft, serves=common.serves(ctx, report, "published") if public else None, public=public,
        accent=ctx.config.document_colour, contact=common.contact(ctx),
        name=f"yearly-report-{year.year}-public" if public else report.id,
    )


def _contents(year: _Year) -> tuple[list[Record], list[Record], list]:
    """The year's records the report may show, the action plans from them (or from the year), their actions."""
    ctx = year.ctx
    shown = [r for m in MECHANISMS for r in year.records(m.kind) if year.shown(r)]
    ids = {r.id for r in shown}
    plans = [p for p in year.records("action-plan") + [p for p in ctx.workspace.records if p.kind == "action-plan"
                                                          and p.text("source") in ids]
             if year.shown(p)]
    plans = list({p.path: p for p in plans}.values())
    return shown, plans, [a for p in plans for a in ctx.plan_actions.get(p.id, [])]


def _publication(ctx: Context, report: Record, line) -> tuple[str, str]:
    published = line.steps.get("published") if line else None
    if published is not None and published.done:
        return "Published", common.uk(published.done)
    return "Publication planned for", common.uk(report.date("publication_date")) or "a date still to be set"


def _scrutineer(ctx: Context, line) -> str:
    state = line.approvals.get(SCRUTINY) if line else None
    given = [n.signoff for n in state.needs if n.signoff] if state else []
    return ", ".join(f"{common.person(ctx, s.by)}, {common.uk(s.date)}" for s in given) or "not yet recorded"


def _draft(line) -> str:
    if line is None:
        return "the workspace's rules give the yearly report no sign-offs"
    missing = [what for name, what in ((SCRUTINY, "the ISO's scrutiny"), (SIGN_OFF, "the lead partners' sign-offs"))
               if name not in line.approvals or not line.approvals[name].complete]
    if missing:
        return f"{' and '.join(missing)} {'are' if len(missing) > 1 else 'is'} not yet recorded"
    if not all(line.approvals[n].current for n in (SCRUTINY, SIGN_OFF)):
        return "the report has changed since it was scrutinised and signed off: both are needed again"
    return ""


def _chapter(report: Record, heading: str, computed: list) -> Section:
    written = common.section(report, heading)
    blocks = [written.prose()] if written else [Para("Not yet written.")]
    return Section(heading, blocks + [b for b in computed if b])


def _numbers(year: _Year) -> Table:
    rows = []
    for m in MECHANISMS:
        found = [r for r in year.records(m.kind) if year.done(r)]
        if found:
            rows.append((m.name, year.count(len(found), m.cases), m.unit))
    considered = sum(r.fields.get("cases") for r in year.records("line-of-sight") if isinstance(r.fields.get("cases"), int))
    if considered:
        rows.append(("Children's cases looked at in line of sight events", year.count(considered, True), "cases"))
    return Table(f"The year in numbers, {year.year}, as at {common.uk(year.ctx.as_of)}: returns received, events "
                 "and meetings held, reviews begun", ("Mechanism", "How many", "Counted as"), tuple(rows), numeric=(1,))


def _trace(year: _Year) -> Table | Para:
    rows = []
    hidden = 0
    for kind in LEARNING_KINDS:
        for record in year.records(kind):
            if not year.shown(record):
                hidden += 1
                continue
            rows.append((record.title, _found(record), _done(year, record), _changed(year, record)))
    if not rows:
        return Para("No event or review of this year is recorded yet.")
    caption = "Learning, action and impact: what each event and review found, what was done, what changed"
    if hidden:
        caption += f" ({year.count(hidden, True)} case reviews are counted above but not described)"
    return Table(caption, ("Event or review", "What we found", "What we did", "What changed"), tuple(rows))


def _found(record: Record) -> str:
    """What the event or review found: its findings' parts (areas for improvement first) when it has
    them, else the section's words."""
    for heading in FOUND_IN:
        written = common.section(record, heading)
        if written:
            parts = common.subsections(written)
            ordered = sorted(parts.items(), key=lambda item: "improvement" not in item[0])
            return _sentences(" ".join(p.markdown for _, p in ordered) if parts else written.text)
    return "Not yet written."


def _sentences(markdown: str, limit: int = 260) -> str:
    """Markdown as one line of plain words, cut at a sentence (or word) near the limit."""
    words = " ".join(re.sub(r"^[-*]\s+|[*_`]", "", line).strip() for line in markdown.splitlines()
                     if not line.lstrip().startswith("#"))
    words = " ".join(words.split())
    if len(words) <= limit:
        return words
    cut = words[:limit]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > limit // 2 else cut[: cut.rfind(" ")] + "…"


def _plans_of(year: _Year, record: Record) -> list[Record]:
    return [p for p in year.ctx.sourced_from.get(record.id, []) if year.shown(p)]


def _actions_of(year: _Year, plans: list[Record]) -> list:
    return [a for p in plans for a in year.ctx.plan_actions.get(p.id, []) if year.shown(a.record)]


def _done(year: _Year, record: Record) -> str:
    ctx = year.ctx
    plans = _plans_of(year, record)
    actions = _actions_of(year, plans) or [a for a in ctx.plan_actions.get(record.id, []) if year.shown(a.record)]
    if not actions:
        return "Action plan being agreed." if plans else "No action plan."
    complete = sum(a.status == "complete" for a in actions)
    late = sum(a.days_overdue(ctx.as_of) > 0 for a in actions)
    return (f"{len(actions)} action{'s' if len(actions) != 1 else ''}: {complete} complete, "
            f"{sum(a.open for a in actions)} open" + (f" ({late} overdue)" if late else "") + ".")


def _changed(year: _Year, record: Record) -> str:
    done = [a for a in _actions_of(year, _plans_of(year, record)) if a.status == "complete"]
    if done:
        return "; ".join(f"{a.title} ({common.uk(a.completed)})" if a.completed else a.title for a in done) + "."
    changes = common.section(record, "Changes made or planned")
    return _sentences(changes.text) if changes else "No action complete yet."


def _reviews(year: _Year) -> list:
    counts = [(m.name, len(found)) for m in MECHANISMS
              if m.kind in ("rapid-review", "cspr", "case-line-of-sight", "multi-agency-audit")
              and (found := [r for r in year.records(m.kind) if year.done(r)])]
    return [Bullets(tuple(f"{name} recorded: {year.count(n, True)}" for name, n in counts))] if counts else []


def _voice(year: _Year) -> list:
    rows = tuple((r.title, common.uk(kinds.main_date(r)), _changed(year, r)) for r in year.records("voice")
                 if year.shown(r))
    return [Table("How children, young people and families scrutinised services", ("Work", "When", "What changed"),
                  rows)] if rows else []


def _actions(ctx: Context, actions, plans) -> list:
    if not actions:
        return [Para("No action plan of this year has actions yet.")]
    def count(plan, key: str) -> int:
        mine = ctx.plan_actions.get(plan.id, [])
        if key in ("complete", "dropped"):
            return sum(a.status == key for a in mine)
        return sum(a.open and a.rag(ctx.as_of, ctx.processes.due_soon_days) == key for a in mine)

    chart = Chart("The year's action plans: where their actions stand", tuple(p.title for p in plans),
                  tuple((key, tuple(count(p, key) for p in plans)) for key in RAG_SERIES), label="Action plan")
    rows = (("Actions", len(actions)),
            ("Complete", sum(a.status == "complete" for a in actions)),
            ("Completed late", sum(a.completed_late_by() > 0 for a in actions)),
            ("Open", sum(a.open for a in actions)),
            ("Open and overdue", sum(a.days_overdue(ctx.as_of) > 0 for a in actions)),
            ("Due date extended", sum(bool(a.extensions) for a in actions)),
            ("Dropped", sum(a.status == "dropped" for a in actions)))
    return [Table(f"Actions of the year's action plans, on {common.uk(ctx.as_of)}", ("Actions", "How many"),
                  tuple((k, str(v)) for k, v in rows), numeric=(1,)), chart]


def _little_progress(ctx: Context, actions) -> list:
    late = sorted((a for a in actions if a.days_overdue(ctx.as_of) > 0), key=lambda a: -a.days_overdue(ctx.as_of))
    if not late:
        return []
    return [Table("Actions overdue", ("Action", "Due", "Days overdue"),
                  tuple((a.title, common.uk(a.due), str(a.days_overdue(ctx.as_of))) for a in late), numeric=(2,))]


def _iso(year: _Year) -> list:
    from mars_cli.rules.yearly import iso_days_spent

    start, end = dates.year_bounds(year.year, year.ctx.config.year_start_month)
    spent = iso_days_spent(year.ctx, start, end)
    allowance = year.ctx.config.iso_allowance_days
    basis = "each ISO" if year.ctx.config.iso_allowance_basis == "per-iso" else "the ISOs together"
    return [Para(f"The Independent Scrutiny Officers gave {sum(spent.values()):g} days of framework work in "
                 f"{year.year}, against an allowance of up to {allowance:g} days a year for {basis}.", "Days:")]


def _signoffs(ctx: Context, line) -> Table:
    rows = []
    for name, what in ((SCRUTINY, "Independent scrutiny"), (SIGN_OFF, "Lead safeguarding partner")):
        state = line.approvals.get(name) if line else None
        for need in state.needs if state else ():
            given = need.signoff
            rows.append((what, common.person(ctx, given.by) if given else
                         " or ".join(common.role_words(ctx, r) for r in need.roles),
                         common.uk(given.date) if given else "not yet",
                         "changed since" if given and given.stale else ("given" if given else "awaited")))
    return Table("Scrutiny and sign-off", ("For", "Who", "Date", "State"), tuple(rows))
