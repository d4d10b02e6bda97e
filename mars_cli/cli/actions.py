"""Commands about actions and deadlines: overdue, due, status, and `mars action add|update|extend`."""

from __future__ import annotations

import sys

import typer

from mars_cli import queries
from mars_cli.cli import app, render
from mars_cli.cli.options import AS_OF, choose, note, open_workspace, recorded

FORMATS = ("table", "json", "csv", "markdown", "github", "junit", "ics")
FORMAT = typer.Option("table", "--format", metavar="FORMAT",
                      help="table, json, csv, markdown (a digest for e-mail or Teams), github (workflow "
                           "annotations), junit (XML test report) or ics (a calendar of due dates).")
FAIL_ON = typer.Option(None, "--fail-on", metavar="overdue",
                       help="Exit 1 when anything (matching the filters) is overdue; for scheduled CI jobs.")
# Each filter may be given more than once: --owner nlc --owner rachel-oakley keeps either's.
OWNER = typer.Option(None, "--owner", metavar="WHO", help="Only what this person or agency owns (repeatable).")
AGENCY = typer.Option(None, "--agency", metavar="ID", help="Only what belongs to this agency (repeatable).")
PARTNER = typer.Option(None, "--partner", metavar="ID", help="Only what this safeguarding partner leads (repeatable).")
PLAN = typer.Option(None, "--plan", metavar="ID", help="Only this action plan's actions and steps (repeatable).")
KIND = typer.Option(None, "--kind", metavar="KIND",
                    help="Only actions from this kind of record (an action plan's source), or its steps (repeatable).")
EVIDENCE = typer.Option(None, "--evidence", metavar="LINK", help="Evidence: a link or a reference (repeat for more).")
TYPE = typer.Option(None, "--type", metavar="action|step", help="Only actions, or only process steps.")


def _listing(what: str, fmt: str, fail_on: str | None, as_of: str | None, within: str | None = None, **wanted):
    from mars_cli import agenda

    choose("--format", fmt, FORMATS)
    if fail_on is not None:
        choose("--fail-on", fail_on, ("overdue",))
    ws = open_workspace()
    when = queries.as_of(ws, as_of)
    filters = agenda.filters(ws, **wanted)
    if what == "overdue":
        listing = agenda.overdue(ws, when.day, filters)
    else:
        listing = agenda.due_within(ws, when.day, agenda.within_days(within), filters)
    _print(ws, listing, fmt)
    if fail_on == "overdue" and listing.overdue_count:
        if what == "due":  # they are not in this list: say why it fails
            note(f"{listing.overdue_count} item{'s are' if listing.overdue_count != 1 else ' is'} overdue "
                 "(`mars overdue` lists them), so this exits 1.")
        raise typer.Exit(1)


def _print(ws, listing, fmt: str) -> None:
    from mars_cli import feeds
    from mars_cli.store import git

    if fmt == "table":
        render.agenda_table(listing)
    elif fmt == "json":
        sys.stdout.write(feeds.to_json(listing))
    elif fmt == "csv":
        _exact(feeds.to_csv(listing))
    elif fmt == "markdown":
        sys.stdout.write(feeds.to_markdown(listing))
    elif fmt == "github":
        sys.stdout.write(feeds.to_github(listing, git.prefix(ws.root)))
    elif fmt == "junit":  # CI shows the file: from the repository's root, like the annotations
        sys.stdout.write(feeds.to_junit(listing, git.prefix(ws.root)))
    else:
        from mars_cli import ical

        _exact(ical.to_ics(listing, ws.config.partnership))


def _exact(text: str) -> None:
    """CSV and iCalendar lines end in CRLF by their standards: written as bytes, so Windows does not
    turn them into CR CR LF."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes (a test's capture): text is all there is
        sys.stdout.write(text)
        return
    buffer.write(text.encode("utf-8"))
    buffer.flush()


@app.command()
def overdue(
    owner: list[str] = OWNER, agency: list[str] = AGENCY, partner: list[str] = PARTNER, plan: list[str] = PLAN,
    kind: list[str] = KIND, type_: list[str] = TYPE,
    fmt: str = FORMAT, fail_on: str = FAIL_ON, as_of: str = AS_OF,
) -> None:
    """List the actions and process steps past their due date, most overdue first.

    An action is overdue the day after its due date while it is neither complete nor dropped; a
    step, the day after its deadline while it is neither done nor skipped.

    Example: mars overdue --format github --fail-on overdue
    """
    _listing("overdue", fmt, fail_on, as_of, owner=owner, agency=agency, partner=partner, plan=plan, kind=kind,
             type=type_)


@app.command()
def due(
    within: str = typer.Option("14d", "--within", metavar="DAYS", help="How far ahead: 14d, 2w or 45."),
    owner: list[str] = OWNER, agency: list[str] = AGENCY, partner: list[str] = PARTNER, plan: list[str] = PLAN,
    kind: list[str] = KIND, type_: list[str] = TYPE,
    fmt: str = FORMAT, fail_on: str = FAIL_ON, as_of: str = AS_OF,
) -> None:
    """List the actions and process steps that fall due soon (today included), soonest first.

    Example: mars due --within 45d --agency nlc --format markdown
    """
    _listing("due", fmt, fail_on, as_of, within=within, owner=owner, agency=agency, partner=partner, plan=plan,
             kind=kind, type=type_)


@app.command()
def status(
    owner: list[str] = OWNER, agency: list[str] = AGENCY, partner: list[str] = PARTNER, plan: list[str] = PLAN,
    kind: list[str] = KIND, type_: list[str] = TYPE,
    fmt: str = typer.Option("table", "--format", metavar="FORMAT",
                            help="table (or text), json, or markdown (for a committee paper or an e-mail)."),
    as_of: str = AS_OF,
) -> None:
    """A dashboard of the action plans: actions by status and RAG, per plan and per agency; how long
    overdue actions have been overdue; the next ten deadlines.

    Example: mars status --partner police
    """
    from mars_cli import agenda

    choose("--format", fmt, ("table", "text", "json", "markdown"))
    ws = open_workspace()
    when = queries.as_of(ws, as_of)
    board = agenda.dashboard(ws, when.day, agenda.filters(ws, owner=owner, agency=agency, partner=partner,
                                                          plan=plan, kind=kind, type=type_))
    if fmt == "json":
        typer.echo(render.to_json("status", **board.as_dict()))
    elif fmt == "markdown":
        from mars_cli.feeds import dashboard_markdown

        sys.stdout.write(dashboard_markdown(board, ws.config))
    else:
        render.dashboard(board, when.describe())
        if when.source != "today":
            note(f"Shown {when.describe()}.")


action_app = typer.Typer(help="Add an action to a plan, record progress on it, extend its due date.",
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
    from mars_cli import inputs
    from mars_cli.action_edits import add_action

    ws = open_workspace()
    when = queries.as_of(ws, as_of)
    due_day = inputs.date_value("--due", due_date)
    result = add_action(ws, queries.find_record(ws, plan), text=text, owner=owner, due=due_day, as_of=when.day,
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
    from mars_cli import inputs
    from mars_cli.action_edits import find_action, update_action

    ws = open_workspace()
    when = queries.as_of(ws, as_of)
    day = inputs.date_value("--date", date) if date else None
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
    from mars_cli import inputs
    from mars_cli.action_edits import extend_action, find_action

    ws = open_workspace()
    when = queries.as_of(ws, as_of)
    new_due = inputs.date_value("--to", to)
    day = inputs.date_value("--date", date) if date else None
    result = extend_action(ws, find_action(ws, action), to=new_due, reason=reason, agreed_by=agreed_by, day=day,
                           as_of=when.day)
    recorded(result)
