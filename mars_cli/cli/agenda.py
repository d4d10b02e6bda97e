"""What is late and what is due: `mars overdue`, `mars due` and `mars status`."""

from __future__ import annotations

import sys

import typer

from mars_cli.cli import render
from mars_cli.cli.app import app
from mars_cli.cli.options import AS_OF, choose, note, open_workspace, progress, write_exact
from mars_cli.derive import lookup
from mars_cli.outputs import envelope
from mars_cli.queries import records as queries
from mars_cli.store.cache import remembered

FORMATS = ("table", "json", "csv", "markdown", "github", "junit", "ics")
FORMAT = typer.Option("table", "--format", metavar="FORMAT",
                      help="table, json, csv, markdown (a digest for e-mail or Teams), github (workflow "
                           "annotations), junit (XML test report) or ics (a calendar of due dates).")
FAIL_ON = typer.Option(None, "--fail-on", metavar="overdue",
                       help="Exit 1 when anything (matching the filters) is overdue; for scheduled CI jobs.")
# Each filter may be given more than once: --owner nlc --owner rachel-oakley keeps either's.
OWNER = typer.Option(None, "--owner", metavar="WHO",
                     help="Only what this person or agency owns: their actions and the steps they lead (repeatable).")
AGENCY = typer.Option(None, "--agency", metavar="ID", help="Only what belongs to this agency (repeatable).")
PARTNER = typer.Option(None, "--partner", metavar="ID", help="Only what this safeguarding partner leads (repeatable).")
PLAN = typer.Option(None, "--plan", metavar="ID", help="Only this action plan's actions and steps (repeatable).")
KIND = typer.Option(None, "--kind", metavar="KIND",
                    help="Only actions from this kind of record (an action plan's source), or its steps (repeatable).")
TYPE = typer.Option(None, "--type", metavar="action|step", help="Only actions, or only process steps.")


def _listing(what: str, fmt: str, fail_on: str | None, as_of: str | None, within: str | None = None, **wanted):
    from mars_cli.queries import agenda

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
    if fmt == "json":  # the same files, day and filters: the same text as last time (the cache's)
        sys.stdout.write(remembered(ws.memo, ("agenda json", what, when.day, filters, within),
                                    lambda: _json(listing)))
    else:
        _print(ws, listing, fmt)
    if fail_on == "overdue" and listing.overdue_count:
        if what == "due":  # they are not in this list: say why it fails
            note(f"{listing.overdue_count} item{'s are' if listing.overdue_count != 1 else ' is'} overdue "
                 "(`mars overdue` lists them), so this exits 1.")
        raise typer.Exit(1)
    if fail_on == "overdue" and ws.unread:  # whatever the filters: what a file not read holds is not known
        note("Some record files could not be read (named above), so what is overdue is not known: this exits 1.")
        raise typer.Exit(1)


def _captured(write) -> str:
    """What write() prints on standard output, as text."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        write()
    return out.getvalue()


def _json(listing) -> str:
    from mars_cli.outputs import feeds

    return feeds.to_json(listing)


def _print(ws, listing, fmt: str) -> None:
    from mars_cli.outputs import feeds
    from mars_cli.store import git

    if fmt == "table":
        render.agenda_table(listing, lookup.known_ids(ws))
    elif fmt == "json":
        sys.stdout.write(feeds.to_json(listing))
    elif fmt == "csv":
        write_exact(feeds.to_csv(listing))
    elif fmt == "markdown":
        sys.stdout.write(feeds.to_markdown(listing))
    elif fmt == "github":
        sys.stdout.write(feeds.to_github(listing, git.prefix(ws.root)))
    elif fmt == "junit":  # CI shows the file: from the repository's root, like the annotations
        sys.stdout.write(feeds.to_junit(listing, git.prefix(ws.root)))
    else:
        from mars_cli.outputs import calendar as ical

        write_exact(ical.to_ics(listing, ws.config.partnership))


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
    from mars_cli.queries import agenda

    choose("--format", fmt, ("table", "text", "json", "markdown"))
    ws = open_workspace()
    when = queries.as_of(ws, as_of)
    filters = agenda.filters(ws, owner=owner, agency=agency, partner=partner, plan=plan, kind=kind, type=type_)

    def board():
        return agenda.dashboard(ws, when.day, filters)

    if fmt == "json":
        sys.stdout.write(envelope.to_json("status", **board().as_dict()))
    elif fmt == "markdown":
        from mars_cli.outputs.feeds import dashboard_markdown

        sys.stdout.write(dashboard_markdown(board(), ws.config))
    else:
        here = render.screen()
        if here.terminal:
            render.dashboard(board(), when.describe(), lookup.known_ids(ws))
        else:  # piped: the same files, day, filters and width give the same text as last time (the cache's)
            sys.stdout.write(remembered(ws.memo, ("status text", when.day, filters, when.describe(), here.width),
                                        lambda: _captured(lambda: render.dashboard(board(), when.describe()))))
        if when.source != "today":
            progress(f"Shown {when.describe()}.")
