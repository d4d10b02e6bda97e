"""The multi-agency reflective practice forum's papers: the Overview, Learning and Improvement Record
(OLIR) of one meeting, copied to every agency involved, and the quarterly overview for SPLIG.

Both are about cases, so they carry the marking of what they hold (OFFICIAL-SENSITIVE in practice);
the subjects listed in the records never appear, only the pseudonyms the records' text uses.
"""

from __future__ import annotations

import datetime as dt

from mars_cli.derive.context import Context
from mars_cli.derive.timeline import timeline
from mars_cli.documents import common
from mars_cli.documents.paper import Paper, Para, Section, Table
from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.model.records import Record

OLIR_STEP = "olir"
OLIR_PARTS = ("Overview, Learning and Improvement Record", "Learning", "Immediate actions",
              "Confirmation of actions at later meetings")


def olir(ctx: Context, meeting: Record) -> Paper:
    if meeting.kind != "marpf":
        kind = kinds.get(meeting.kind)
        raise UsageError(f"{meeting.id} is {kind.a if kind else meeting.kind}; an OLIR is written for a MARPF meeting",
                         "Give a MARPF record's ID (`mars list marpf`).")
    agencies = _agencies(ctx, meeting)
    core = common.section(meeting, "Core group meeting")
    sections = [
        Section("The meeting", [Para(_meeting_words(meeting, agencies))] + ([core.prose()] if core else [])),
        *(Section(heading, [found.prose()]) for heading in OLIR_PARTS[:3]
          if (found := common.section(meeting, heading))),
        *(Section(OLIR_PARTS[3], [found.prose()]) for found in [common.section(meeting, OLIR_PARTS[3])] if found),
    ]
    missing = [h for h in ("Overview, Learning and Improvement Record", "Immediate actions")
               if not common.section(meeting, h)]
    return Paper(
        kind="olir", title=f"Overview, Learning and Improvement Record: {meeting.title}",
        subtitle=common.uk(meeting.date("practitioners_date")), partnership=ctx.config.partnership,
        as_of=ctx.as_of, sections=sections, sources=[meeting],
        cover=[("Copied to", ", ".join(agencies) or "the agencies involved"),
               ("Core group", common.uk(meeting.date("core_group_date"))),
               ("Practitioners' meeting", common.uk(meeting.date("practitioners_date")) or "not yet held")],
        serves=common.serves(ctx, meeting, OLIR_STEP),
        warnings=[f"the record has nothing under ## {h} yet" for h in missing],
        accent=ctx.config.document_colour, contact=common.contact(ctx), compact=True, name=f"{meeting.id}-olir",
    )


def _agencies(ctx: Context, meeting: Record) -> list[str]:
    listed = meeting.fields.get("agencies")
    return [common.agency(ctx, a) for a in listed if isinstance(a, str)] if isinstance(listed, list) else []


def _meeting_words(meeting: Record, agencies: list[str]) -> str:
    focus = meeting.text("focus") or "the focus the core group chose"
    held = meeting.date("practitioners_date")
    when = f"met on {common.uk(held)}" if held else "is to meet"
    return (f"The forum's practitioners' meeting {when} to reflect on {focus.lower()}, with practitioners and "
            f"managers from {', '.join(agencies) or 'the agencies involved'}. This record is copied to every "
            "agency involved; each agency's forum member feeds back its actions.")


def quarter_bounds(year: str, quarter: int, start_month: int) -> tuple[dt.date, dt.date]:
    bounds = dates.year_bounds(year, start_month)
    if bounds is None:
        raise UsageError(f"'{year}' is not a reporting year", "Write it like 2025-26.")
    if quarter not in (1, 2, 3, 4):
        raise UsageError(f"quarter {quarter} is not one of 1, 2, 3, 4", "Quarter 1 is the year's first three months.")
    first = dates.shift(bounds[0], 3 * (quarter - 1), "months")
    return first, dates.shift(first, 3, "months") - dt.timedelta(days=1)


def last_quarter(ctx: Context) -> tuple[str, int]:
    """The reporting year and quarter that ended most recently before the as-of day."""
    day = ctx.as_of
    start = ctx.config.year_start_month
    months_in = (day.month - start) % 12
    quarter = months_in // 3  # the current quarter is quarter + 1: the one before it ended last
    year_of = dates.reporting_year(day, start)
    if quarter == 0:
        bounds = dates.year_bounds(year_of, start)
        return dates.reporting_year(bounds[0] - dt.timedelta(days=1), start), 4
    return year_of, quarter


def quarterly_overview(ctx: Context, year: str, quarter: int) -> Paper:
    first, last = quarter_bounds(year, quarter, ctx.config.year_start_month)
    meetings = sorted((r for r in ctx.workspace.records if r.kind == "marpf" and r.existed_on(ctx.as_of)
                       and (day := kinds.main_date(r)) and first <= day <= last), key=kinds.main_date)
    rows = tuple((m.title, common.uk(m.date("core_group_date")), common.uk(m.date("practitioners_date")),
                  ", ".join(_agencies(ctx, m)), (line.status if (line := timeline(ctx, m)) else m.status))
                 for m in meetings)
    sections = [
        Section("The quarter", [Para(f"The forum met {len(meetings)} time{'s' if len(meetings) != 1 else ''} between "
                                     f"{common.uk(first)} and {common.uk(last)}; the framework asks for a meeting "
                                     "every four weeks.")]
                + ([Table("MARPF meetings this quarter", ("Meeting", "Core group", "Practitioners", "Agencies",
                                                          "Status"), rows)] if rows else [])),
        Section("Learning", [], [Section(m.title, [w.prose()]) for m in meetings
                                 if (w := common.section(m, "Overview, Learning and Improvement Record")
                                     or common.section(m, "Learning"))]),
        Section("Actions", [], [Section(m.title, [w.prose()]) for m in meetings
                                if (w := common.section(m, "Immediate actions"))]),
        common.provenance(ctx, meetings, ctx.today),
    ]
    return Paper(
        kind="marpf-overview", title=f"MARPF quarterly overview: {year}, quarter {quarter}",
        subtitle=f"{common.uk(first)} to {common.uk(last)}", partnership=ctx.config.partnership, as_of=ctx.as_of,
        sections=sections, sources=meetings,
        cover=[("For", "Safeguarding Practice Learning and Improvement Group (SPLIG)"),
               ("Quarter", f"{common.uk(first)} to {common.uk(last)}"), ("Meetings", str(len(meetings)))],
        warnings=[] if meetings else ["no MARPF meeting is recorded in that quarter"],
        accent=ctx.config.document_colour, contact=common.contact(ctx),
        name=f"marpf-overview-{year}-q{quarter}",
    )
