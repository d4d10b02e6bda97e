"""The Board pack and the SPLIG pack for one meeting.

Cover (partnership, meeting, date, venue, marking), contents, the agenda, then each paper the
meeting lists in `papers:` in order, the action-plan progress with RAG, the overdue and extended
actions, the standing reports the meeting expects, and where it all came from. Papers for which
this is the next available meeting but which it does not list are warned about, with the fix.
"""

from __future__ import annotations

import datetime as dt

from mars_cli.derive.context import Context
from mars_cli.derive.timeline import DONE, SKIPPED, anchor_date, timeline
from mars_cli.documents import common
from mars_cli.documents.paper import (
    RAG_SERIES,
    Bullets,
    Chart,
    Paper,
    Para,
    Section,
    Table,
)
from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.model.records import Record
from mars_cli.queries import agenda

MEETINGS = {"board": "board-meeting", "splig": "splig-meeting"}
NAMES = {"board-meeting": "Board pack", "splig-meeting": "SPLIG pack"}


def next_meeting(ctx: Context, which: str) -> Record:
    """The first meeting of that kind (board or splig) on or after the as-of day, not cancelled."""
    kind = MEETINGS[which]
    for day, meeting in ctx.meetings.get(kind, ()):
        if day >= ctx.as_of:
            return meeting
    raise UsageError(f"no {kinds.get(kind).noun} is scheduled on or after {common.uk(ctx.as_of)}",
                     f"Create the next one with `mars new {kind}`.")


def pack(ctx: Context, meeting: Record) -> Paper:
    if meeting.kind not in NAMES:
        raise UsageError(f"{meeting.id} is {kinds.get(meeting.kind).a if kinds.get(meeting.kind) else meeting.kind}, "
                         "not a Board or SPLIG meeting", "Give a meeting's ID, or use --next board or --next splig.")
    papers, missing = _papers(ctx, meeting)
    board = agenda.dashboard(ctx.workspace, ctx.as_of, ctx=ctx)
    late = agenda.overdue(ctx.workspace, ctx.as_of, ctx=ctx)
    standing, reported = _reports(ctx, meeting)
    sources = [meeting, *papers, *(a.record for a in ctx.actions), *reported]
    sections = [
        _agenda(meeting, papers),
        Section("Papers", [Para(f"{len(papers)} papers, in agenda order.")] if papers else
                [Para("The meeting lists no papers yet.")],
                [_paper(ctx, record) for record in papers]),
        _progress(board),
        _overdue(ctx, late),
        _extended(ctx, board),
        standing,
        common.provenance(ctx, sources, ctx.today),
    ]
    day = meeting.date("date")
    name = NAMES[meeting.kind]
    return Paper(
        kind=meeting.kind.replace("-meeting", "-pack"), title=f"{name}: {meeting.title}",
        subtitle=common.uk(day), partnership=ctx.config.partnership, as_of=ctx.as_of,
        sections=sections, sources=sources,
        cover=[("Meeting", meeting.title), ("Date", common.uk(day)), ("Venue", meeting.text("venue") or ""),
               ("Papers", str(len(papers))), ("As at", common.uk(ctx.as_of))],
        warnings=[*missing, *_unlisted(ctx, meeting, papers)],
        accent=ctx.config.document_colour, contact=common.contact(ctx),
        name=f"{meeting.id}-pack",
    )


def _papers(ctx: Context, meeting: Record) -> tuple[list[Record], list[str]]:
    listed = meeting.fields.get("papers")
    found, missing = [], []
    for ref in listed if isinstance(listed, list) else ():
        record = ctx.records.get(ref) if isinstance(ref, str) else None
        if record is None:
            missing.append(f"papers: lists '{ref}', which is no record: it is left out "
                           f"(fix it in {meeting.path})")
        elif record not in found:
            found.append(record)
    return found, missing


def _agenda(meeting: Record, papers: list[Record]) -> Section:
    written = common.section(meeting, "Agenda")
    if written:
        return Section("Agenda", [written.prose()])
    items = ["Welcome, apologies and declarations of interest", "Minutes of the last meeting and matters arising",
             *(p.title for p in papers), "Any other business"]
    return Section("Agenda", [Bullets(tuple(f"{i}. {item}" for i, item in enumerate(items, 1)))])


def _paper(ctx: Context, record: Record) -> Section:
    line = timeline(ctx, record)
    section = common.record_section(ctx, record, line.status if line else "")
    plan_actions = ctx.plan_actions.get(record.id, [])
    if plan_actions:
        section.blocks.append(_actions_table(ctx, f"Actions of {record.title}", plan_actions))
    return section


def _actions_table(ctx: Context, caption: str, actions) -> Table:
    rows = tuple((a.title, common.owner(ctx, a.owner), common.uk(a.due), common.status_words(a.status), _rag(ctx, a))
                 for a in actions)
    return Table(caption, ("Action", "Owner", "Due", "Status", "RAG"), rows)


def _rag(ctx: Context, action) -> str:
    return action.rag(ctx.as_of, ctx.processes.due_soon_days).capitalize()


def _progress(board) -> Section:
    header = ("Action plan", "Actions", "Red", "Amber", "Green", "Complete", "Dropped")

    def row(group) -> tuple[str, ...]:
        return (group.name, str(group.total), *(str(group.rag.get(k, 0)) for k in ("red", "amber", "green")),
                str(group.statuses.get("complete", 0)), str(group.statuses.get("dropped", 0)))

    if not board.plans:
        return Section("Action plans: progress", [Para("No action plan has actions yet.")])
    note = Para("Red: overdue. Amber: due within the next "
                f"{board.soon_days} days. Green: on track. RAG is given in words as well as colour.", "Key:")
    return Section("Action plans: progress", [
        note,
        status_chart("Actions by agency and RAG", board.agencies, "Agency"),
        *([ageing_chart(board)] if any(board.ageing.values()) else []),
        Table("Actions by plan", header, tuple(row(g) for g in board.plans), numeric=(1, 2, 3, 4, 5, 6)),
        Table("Actions by agency", ("Agency", *header[1:]), tuple(row(g) for g in board.agencies),
              numeric=(1, 2, 3, 4, 5, 6)),
    ])


def status_chart(caption: str, groups, label: str) -> Chart:
    """Open actions by RAG and closed ones by how they closed, one bar per plan or agency."""
    def count(group, key: str) -> int:
        return group.statuses.get(key, 0) if key in ("complete", "dropped") else group.rag.get(key, 0)

    return Chart(caption, tuple(g.name for g in groups),
                 tuple((key, tuple(count(g, key) for g in groups)) for key in RAG_SERIES), label=label)


def ageing_chart(board) -> Chart:
    bands = tuple(board.ageing)
    return Chart("Overdue actions by how long they have been overdue", tuple(f"{b} days" for b in bands),
                 (("overdue", tuple(len(board.ageing[b]) for b in bands)),), label="Overdue by")


def _overdue(ctx: Context, listing) -> Section:
    items = [i for i in listing.items if i.type == "action"]
    steps = [i for i in listing.items if i.type == "step"]
    blocks = []
    if items:
        blocks.append(Table("Overdue actions", ("Action", "Owner", "Due", "Days overdue", "Plan"),
                            tuple((i.title, i.owner_names, common.uk(i.due), str(i.days_overdue), i.record_title)
                                  for i in items), numeric=(3,)))
    if steps:
        blocks.append(Table("Overdue steps of the framework", ("Step", "Record", "Due", "Days overdue"),
                            tuple((i.title, i.record_title, common.uk(i.due), str(i.days_overdue)) for i in steps),
                            numeric=(3,)))
    return Section("Overdue actions and steps", blocks or [Para(f"Nothing is overdue on {common.uk(ctx.as_of)}.")])


def _extended(ctx: Context, board) -> Section:
    rows = []
    for action in board.extensions:
        for ext in action.extensions:
            rows.append((action.title, common.uk(_day(ext.get("from"))), common.uk(_day(ext.get("to"))),
                         str(ext.get("reason") or ""), common.person(ctx, str(ext.get("agreed_by") or "")),
                         common.uk(_day(ext.get("date")))))
    if not rows:
        return Section("Extended actions", [Para("No due date has been extended.")])
    return Section("Extended actions", [Table("Extensions agreed", ("Action", "From", "To", "Reason", "Agreed by",
                                                                    "Agreed on"), tuple(rows))])


def _day(value) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


STANDING = {  # standing report -> the composite that is it: (which, progress)
    "section11-summary": ("section11", False), "section11-progress": ("section11", True),
    "schools-composite": ("schools", False), "early-years-composite": ("early-years", False),
}


def _reports(ctx: Context, meeting: Record) -> tuple[Section, list[Record]]:
    """The standing reports the meeting expects, each composite included whole; and their sources."""
    from mars_cli.documents import composites

    wanted = meeting.fields.get("reports")
    names = ctx.processes.reports
    wanted = [r for r in wanted if isinstance(r, str)] if isinstance(wanted, list) else []
    if not wanted:
        return Section("Standing reports", [Para("The meeting expects no standing report.")]), []
    year = dates.reporting_year(meeting.date("date") or ctx.as_of, ctx.config.year_start_month)
    children, sources = [], []
    for report in wanted:
        if report in STANDING:
            which, progress = STANDING[report]
            paper = composites.composite(ctx, which, year, progress)
            children.append(Section(names.get(report, report), [], paper.sections[:-1]))  # its provenance is the pack's
            sources += paper.sources
        else:
            children.append(Section(names.get(report, report), [Para(_built_by(report))]))
    return Section("Standing reports", [Para("The meeting expects these standing reports.")], children), sources


def _built_by(report: str) -> str:
    if report == "marpf-overview":
        return "Built separately: `mars marpf-overview` (it is about cases, so it carries its own marking)."
    return "Not built by mars: add it to the meeting's papers when it is ready."


def _unlisted(ctx: Context, meeting: Record, papers: list[Record]) -> list[str]:
    """Records with a step due at this meeting (it is their next available one) that it does not list."""
    out = []
    listed = {p.id for p in papers}
    for record in ctx.workspace.records:
        line = timeline(ctx, record)
        if line is None or record.id in listed:
            continue
        for state in line.steps.values():
            due = state.step.due
            if not due or due.meeting != meeting.kind or state.state in (DONE, SKIPPED):
                continue
            start = anchor_date(ctx, record, due.anchor, line.steps)
            if start is not None and ctx.next_meeting(meeting.kind, start) is meeting:
                out.append(f"{record.id} ({record.title}) is due at this meeting (step '{state.step.name}') but "
                           f"is not in its papers: add it under papers: in {meeting.path}")
                break
    return out
