"""Writing actions: `mars action add|update|extend`."""

from __future__ import annotations

import typer

from mars_cli.cli.app import app
from mars_cli.cli.options import AS_OF, open_workspace, recorded
from mars_cli.derive.lookup import find_record
from mars_cli.model import dates
from mars_cli.queries import records as queries

EVIDENCE = typer.Option(None, "--evidence", metavar="LINK", help="Evidence: a link or a reference (repeat for more).")

action_app = typer.Typer(help="Add an action to a plan, record progress on it, extend its due date.\n\n"
                         "Example: mars action update nwgw --status in-progress --note \"Three of four teams trained\" "
                         "--by rachel-oakley",
                         no_args_is_help=True)
app.add_typer(action_app, name="action")


@action_app.command("add")
def action_add(
    plan: str = typer.Argument(..., metavar="PLAN", help="The action plan's ID, or a part only it contains."),
    text: str = typer.Option(..., "--action", metavar="TEXT", help="What will be done (the action's title)."),
    owner: str = typer.Option(..., "--owner", metavar="WHO", help="Who owns it: a person or an agency id."),
    due_date: str = typer.Option(..., "--due", metavar="YYYY-MM-DD", help="When it is due."),
    lead_partner: str = typer.Option(None, "--lead-partner", metavar="ID",
                                     help="The safeguarding partner leading (default: the owner's)."),
    details: str = typer.Option(None, "--details", metavar="TEXT", help="What done looks like (the file's text)."),
    evidence: list[str] = EVIDENCE,
    as_of: str = AS_OF,
) -> None:
    """Add an action to an action plan: a new file in the plan's folder, so two officers adding
    actions on two branches merge without a conflict.

    Example: mars action add ap-2025-10-07-action-plan-neglect --action "Audit graded care profile use" --owner nlc --due 2026-06-30
    """
    from mars_cli.write.actions import add_action

    ws = open_workspace(writing=True)
    when = queries.as_of(ws, as_of)
    due_day = dates.date_value("--due", due_date)
    result = add_action(ws, find_record(ws, plan), text=text, owner=owner, due=due_day, as_of=when.day,
                        lead_partner=lead_partner, details=details, evidence=tuple(evidence or ()))
    recorded(result)


@action_app.command("update")
def action_update(
    action: str = typer.Argument(..., metavar="ACTION", help="The action's ID, or a part only it contains."),
    note_text: str = typer.Option(..., "--note", metavar="TEXT", help="What has happened."),
    by: str = typer.Option(..., "--by", metavar="PERSON", help="Who reports it (a person id)."),
    new_status: str = typer.Option(None, "--status", metavar="STATUS",
                                   help="not-started, in-progress, complete or dropped."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="The day of the update (default: today)."),
    evidence: list[str] = EVIDENCE,
    as_of: str = AS_OF,
) -> None:
    """Record progress on an action: a dated note, appended (never overwriting the earlier ones), and
    its new status. Complete sets the completion date.

    Example: mars action update nwgw --status in-progress --note "Three of four teams trained" --by rachel-oakley
    """
    from mars_cli.write.actions import find_action, update_action

    ws = open_workspace(writing=True)
    when = queries.as_of(ws, as_of)
    day = dates.date_value("--date", date) if date else None
    result = update_action(ws, find_action(ws, action), note=note_text, by=by, status=new_status, day=day,
                           as_of=when.day, evidence=tuple(evidence or ()))
    recorded(result)


@action_app.command("extend")
def action_extend(
    action: str = typer.Argument(..., metavar="ACTION", help="The action's ID, or a part only it contains."),
    to: str = typer.Option(..., "--to", metavar="YYYY-MM-DD", help="The new due date."),
    reason: str = typer.Option(..., "--reason", metavar="TEXT", help="Why the date moves."),
    agreed_by: str = typer.Option(..., "--agreed-by", metavar="PERSON", help="Who agreed it (a person id)."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="The day it was agreed (default: today)."),
    as_of: str = AS_OF,
) -> None:
    """Extend an action's due date. The extension keeps the date it moves from, the reason and who
    agreed it; the earlier ones stay.

    Example: mars action extend 33e9 --to 2026-03-31 --reason "Health visiting vacancies" --agreed-by nadia-brennan
    """
    from mars_cli.write.actions import extend_action, find_action

    ws = open_workspace(writing=True)
    when = queries.as_of(ws, as_of)
    new_due = dates.date_value("--to", to)
    day = dates.date_value("--date", date) if date else None
    result = extend_action(ws, find_action(ws, action), to=new_due, reason=reason, agreed_by=agreed_by, day=day,
                           as_of=when.day)
    recorded(result)
