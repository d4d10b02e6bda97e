"""The overview of a thematic, line-of-sight or case line-of-sight event, with its action plan, and the
website highlights ("key highlights and emerging themes") of a thematic or line-of-sight event.

The overview goes to SPLIG and carries the marking of what it holds (a case line of sight is
OFFICIAL-SENSITIVE). Highlights are published, so they are built from the event's own words only,
in the shape of a seven-minute briefing, and never for a case-specific record.
"""

from __future__ import annotations

from mars_cli.derive.context import Context
from mars_cli.derive.timeline import timeline
from mars_cli.documents import common
from mars_cli.documents.paper import (
    Bullets,
    Paper,
    Para,
    Section,
    Table,
    sensitive,
)
from mars_cli.framework import kinds
from mars_cli.model.errors import Refused, UsageError
from mars_cli.model.records import Record

OVERVIEW_STEP = {"thematic-event": "to-splig", "line-of-sight": "overview", "case-line-of-sight": "overview"}
HIGHLIGHTS_STEP = "highlights-published"
PUBLISHED_KINDS = ("thematic-event", "line-of-sight")
REFLECT = ("What does this mean for the children and families you work with?",
           "What will you do differently, and who do you need to talk to?",
           "How will your team know the learning is embedded?")


def _check_kind(record: Record, allowed, what: str) -> None:
    if record.kind not in allowed:
        kind = kinds.get(record.kind)
        names = " or ".join(kinds.get(k).noun for k in allowed)
        raise UsageError(f"{record.id} is {kind.a if kind else record.kind}; {what} is made for a {names}",
                         f"Give the ID of a {names} (`mars list {allowed[0]}`).")


def overview(ctx: Context, event: Record) -> Paper:
    _check_kind(event, tuple(OVERVIEW_STEP), "an overview")
    line = timeline(ctx, event)
    plans = ctx.sourced_from.get(event.id, [])
    plan_sections = []
    for plan in plans:
        actions = ctx.plan_actions.get(plan.id, [])
        section = common.record_section(ctx, plan)
        if actions:
            section.blocks.append(Table(f"Actions of {plan.title}", ("Action", "Owner", "Due", "Status"),
                                        tuple((a.title, common.owner(ctx, a.owner), common.uk(a.due), common.status_words(a.status))
                                              for a in actions)))
        plan_sections.append(section)
    sources = [event, *plans, *(a.record for p in plans for a in ctx.plan_actions.get(p.id, []))]
    sections = [
        common.record_section(ctx, event, line.status if line else "", skip=("key highlights and emerging themes",)),
        Section("Action plan", [Para("No action plan names this event as its source yet.")] if not plans else [],
                plan_sections),
        common.provenance(ctx, sources, ctx.today),
    ]
    sections[0].title = "The event"
    return Paper(
        kind="overview", title=f"Overview: {event.title}", subtitle=common.uk(kinds.main_date(event)),
        partnership=ctx.config.partnership, as_of=ctx.as_of, sections=sections, sources=sources,
        cover=[("For", "Safeguarding Practice Learning and Improvement Group (SPLIG)"),
               ("Event", common.uk(kinds.main_date(event))), ("Led by", _lead(ctx, event))],
        serves=common.serves(ctx, event, OVERVIEW_STEP[event.kind]),
        warnings=[] if plans else ["no action plan names this event as its source: SPLIG writes one "
                                   f"(`mars new action-plan --source {event.id}`)"],
        accent=ctx.config.document_colour, contact=common.contact(ctx), name=f"{event.id}-overview",
    )


def _lead(ctx: Context, event: Record) -> str:
    for field in ("lead_iso", "lead", "iso"):
        if event.text(field):
            return common.owner(ctx, event.text(field))
    return "the Children's MARS team"


def highlights(ctx: Context, event: Record) -> Paper:
    """Key highlights and emerging themes, for the partnership's website: public."""
    if kinds.get(event.kind) and kinds.get(event.kind).case or event.kind == "case-line-of-sight":
        raise Refused(f"{event.id} is about a case: case-specific records are never published",
                      "Share the learning through the overview to SPLIG instead (`mars overview`).")
    _check_kind(event, PUBLISHED_KINDS, "website highlights")
    if sensitive(event):
        raise Refused(f"{event.id} is not marked OFFICIAL (it is OFFICIAL-SENSITIVE, or its marking is not one "
                      "mars knows), so nothing of it may be published",
                      "If the marking is wrong, correct `marking:` in the record; otherwise publish nothing.")
    found = common.section(event, "Key highlights and emerging themes")
    if not found:
        raise Refused(f"{event.id} has nothing under ## Key highlights and emerging themes",
                      f"Write the highlights in {event.path} first; they are what is published.")
    overview_parts = common.subsections(common.section(event, "Overview"))
    theme = common.section(event, "Theme") or common.section(event, "Theme and rationale")
    sections = [
        Section("Background", [theme.prose()] if theme else [Para(event.title)]),
        Section("What we found", [found.prose()]),
        *([Section("What is working well", [overview_parts["areas of best practice"]])]
          if overview_parts.get("areas of best practice") else []),
        *([Section("What needs to improve", [overview_parts["areas for further improvement"]])]
          if overview_parts.get("areas for further improvement") else []),
        Section("Questions to reflect on", [Bullets(REFLECT)]),
    ]
    return Paper(
        kind="highlights", title=f"Key highlights and emerging themes: {_theme(event)}",
        subtitle=f"{kinds.get(event.kind).noun.capitalize()}, {common.uk(kinds.main_date(event))}",
        partnership=ctx.config.partnership, as_of=ctx.as_of, sections=sections, sources=[event],
        cover=[("Published by", ctx.config.partnership), ("Event", common.uk(kinds.main_date(event)))],
        serves=common.serves(ctx, event, HIGHLIGHTS_STEP), public=True,
        accent=ctx.config.document_colour, contact=common.contact(ctx), compact=True,
        name=f"highlights-{common.neutral_id(event.id)}",  # the ID's words were its first title: not for publishing
    )


def _theme(event: Record) -> str:
    title = event.title
    for prefix in ("Line of sight:", "Thematic assurance event:"):
        if title.lower().startswith(prefix.lower()):
            return title[len(prefix):].strip()
    return title
