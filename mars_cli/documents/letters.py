"""The findings letter of an agency-specific assurance event.

To the agency, copied to its commissioners: what the event was, then positive practice, areas
for improvement and areas for further consideration (the event's `## Findings`, in its `###`
parts), and the actions. It is a DRAFT until the portfolio lead (or deputy) has agreed it and
nothing the agreement covers has changed since; once agreed it serves the `letter-sent` step.
"""

from __future__ import annotations

from mars_cli.derive.context import Context
from mars_cli.derive.timeline import DONE, timeline
from mars_cli.documents import common
from mars_cli.documents.paper import Paper, Para, Section, Table
from mars_cli.framework import kinds
from mars_cli.model.errors import Refused, UsageError
from mars_cli.model.records import Record

APPROVAL, SENT, HELD = "letter", "letter-sent", "event"  # as the shipped processes name them
PARTS = (("positive practice", "Positive practice"), ("areas for improvement", "Areas for improvement"),
         ("further consideration", "Areas for further consideration"))


def findings_letter(ctx: Context, event: Record) -> Paper:
    if event.kind != "agency-event":
        kind = kinds.get(event.kind)
        raise UsageError(f"{event.id} is {kind.a if kind else event.kind}; a findings letter is written for an "
                         "agency-specific assurance event", "Give an agency event's ID (`mars list agency-event`).")
    line = timeline(ctx, event)
    held = line.steps.get(HELD) if line else None
    if held is None or held.state != DONE:
        raise Refused(f"{event.id} has not been held yet (its step '{HELD}' is not recorded), so there are no "
                      "findings to send", f"After the event, record it: `mars step {event.id} {HELD} --done --date YYYY-MM-DD`.")
    agreement = line.approvals.get(APPROVAL) if line else None
    agency = ctx.config.agencies.get(event.text("agency") or "")
    findings = common.subsections(common.section(event, "Findings"))
    plans = ctx.sourced_from.get(event.id, [])
    actions = [a for plan in plans for a in ctx.plan_actions.get(plan.id, [])]
    sections = [
        Section("The event", [Para(_opening(ctx, event))]),
        *(Section(title, [findings[key]]) for key, title in PARTS if findings.get(key)),
        _actions(ctx, event, actions),
        Section("Agreement", [Para(_agreed_words(ctx, agreement))]),
    ]
    missing = [title for key, title in PARTS if not findings.get(key)]
    draft = _draft(agreement)
    return Paper(
        kind="findings-letter", title=f"Findings letter: {event.title}",
        subtitle=common.agency(ctx, event.text("agency")), partnership=ctx.config.partnership, as_of=ctx.as_of,
        sections=sections, sources=[event, *plans, *(a.record for a in actions)],
        cover=[("To", agency.name if agency else common.agency(ctx, event.text("agency"))),
               *([("Copied to", ", ".join(common.agency(ctx, c) for c in agency.commissioners))]
                 if agency and agency.commissioners else []),
               ("Event", common.uk(event.date("date"))),
               ("Lead Independent Scrutiny Officer", common.person(ctx, event.text("lead_iso"))),
               ("Date of letter", common.uk(ctx.as_of))],
        draft=draft, serves=common.serves(ctx, event, SENT),
        warnings=[f"the event's ## Findings has no ### {title} part" for title in missing],
        accent=ctx.config.document_colour, contact=common.contact(ctx),
        compact=True, name=f"{event.id}-letter",
    )


def _opening(ctx: Context, event: Record) -> str:
    scrutineers = event.fields.get("scrutineers")
    names = [common.person(ctx, p) for p in scrutineers if isinstance(p, str)] if isinstance(scrutineers, list) else []
    young = event.fields.get("young_scrutineers")
    who = f"{len(names)} partner scrutineers" + (f" and {young} young scrutineers" if isinstance(young, int) and young
                                                  else "")
    return (f"On {common.uk(event.date('date'))} the {ctx.config.partnership} held an agency-specific assurance "
            f"event with {common.agency(ctx, event.text('agency'))}. {who.capitalize()}, led by "
            f"{common.person(ctx, event.text('lead_iso')) or 'an Independent Scrutiny Officer'}, met practitioners "
            "and managers. This letter sets out what they found.")


def _actions(ctx: Context, event: Record, actions) -> Section:
    """The actions agreed (from the action plan), not the record's own notes on them: a letter says only
    what its agreement covers, and what is computed."""
    blocks = []
    if actions:
        blocks.append(Table("Actions agreed", ("Action", "Owner", "Due", "Status"),
                            tuple((a.title, common.owner(ctx, a.owner), common.uk(a.due), common.status_words(a.status)) for a in actions)))
    if not blocks:
        blocks = [Para("The Children's MARS team will follow up the areas above with the safeguarding partner leading "
                       "on this agency, and report progress to the Board. The agency is asked to reflect these "
                       "findings in its next Section 11 return.")]
    return Section("Actions", blocks)


def _draft(agreement) -> str:
    if agreement is None or not agreement.needs:
        return "nobody can agree this letter under the workspace's rules"
    if not agreement.complete:
        return "the portfolio lead (or deputy) has not yet agreed this letter"
    if not agreement.current:
        return "the letter has changed since it was agreed: it must be agreed again before it is sent"
    return ""


def _agreed_words(ctx: Context, agreement) -> str:
    if agreement is None or not agreement.complete:
        return "Not yet agreed for distribution by the scrutiny and assurance portfolio lead."
    given = [n.signoff for n in agreement.needs if n.signoff]
    who = ", ".join(f"{common.person(ctx, s.by)} on {common.uk(s.date)}" for s in given)
    stale = " The letter has changed since, so it must be agreed again." if not agreement.current else ""
    return f"Agreed for distribution by {who}.{stale}"

