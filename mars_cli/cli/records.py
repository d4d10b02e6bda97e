"""Commands about records: new, list, show, set."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from functools import partial
from pathlib import Path

import typer

from mars_cli.cli import layout, render
from mars_cli.cli.app import app
from mars_cli.cli.options import AS_OF, choose, note, open_workspace, progress, write_exact
from mars_cli.derive import lookup
from mars_cli.framework import kinds
from mars_cli.model.errors import UsageError
from mars_cli.model.fields import did_you_mean
from mars_cli.outputs import envelope, spreadsheet
from mars_cli.queries import records as queries
from mars_cli.store.cache import remembered
from mars_cli.write import values as inputs


@app.command()
def new(
    kind: str = typer.Argument(..., metavar="KIND", help="The kind of record (see `mars kinds`)."),
    title: str = typer.Option(None, "--title", metavar="TEXT", help="The record's title."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="The record's main date (event, meeting, due...)."),
    agency: str = typer.Option(None, "--agency", metavar="ID", help="The agency or setting (an id from mars.yaml)."),
    theme: str = typer.Option(None, "--theme", metavar="TEXT", help="The theme (thematic, line of sight, SPACE audit)."),
    owner: str = typer.Option(None, "--owner", metavar="PERSON", help="The officer who owns the record."),
    marking: str = typer.Option(None, "--marking", metavar="MARKING", help="OFFICIAL or OFFICIAL-SENSITIVE (default from mars.yaml)."),
    source: str = typer.Option(None, "--source", metavar="ID", help="Action plans: the record it comes from."),
    iso: str = typer.Option(None, "--iso", metavar="PERSON", help="ISO activity: the ISO."),
    days: str = typer.Option(None, "--days", metavar="N", help="ISO activity: days spent, e.g. 1.5."),
    kcsie: str = typer.Option(None, "--kcsie", metavar="EDITION", help="Schools audits: the KCSIE edition used, e.g. 2025."),
    year: str = typer.Option(None, "--year", metavar="YYYY-YY", help="Yearly report: the reporting year, e.g. 2025-26."),
    sets: list[str] = typer.Option(None, "--set", metavar="FIELD=VALUE", help="Any other field; repeatable."),
    from_last_year: bool = typer.Option(False, "--from-last-year",
                                        help="Self-assessments: start from last year's ratings and open actions."),
    edit: bool = typer.Option(False, "--edit", help="Open the new file in $EDITOR."),
    as_of: str = AS_OF,
) -> None:
    """Create a record from its template and print the new file's path.

    Example: mars new agency-event --title "Hospital trust assurance event" --agency nlag --date 2026-03-10
    """
    from mars_cli.write import create

    ws = open_workspace()
    when = queries.as_of(ws, as_of)
    given = {"title": title, "date": date, "agency": agency, "theme": theme, "owner": owner, "marking": marking,
             "source": source, "iso": iso, "days": days, "kcsie_edition": kcsie, "year": year}
    result = create.new_record(ws, kind, given, sets, when.day, from_last_year=from_last_year, ask=_asker(ws))
    if when.source != "today":
        progress(f"Created {when.describe()}.")
    if result.carried_from is not None:
        progress(f"Carried forward {result.carried_ratings} rating(s) and {result.carried_actions} open action(s) "
             f"from {result.carried_from.id}.")
    typer.echo(_shown(result.path))
    if edit:
        _open_editor(result.path)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _asker(ws):
    """At a terminal, a prompt for each value the kind still needs; otherwise nobody to ask (None)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    return partial(_prompt, ws)


def _prompt(ws, spec: kinds.Kind, name: str, default: str | None = None):
    """Ask until the answer is usable: IDs are offered and checked, dates read as dates. With a
    `default` (the owner's, from mars.yaml), Enter takes it; '' lets Enter leave the field out."""
    options = lookup.choices(ws, spec, name)
    field = spec.field_for(name)
    label, purpose = inputs.prompt_words(spec, name, ws.processes.get(spec.name))
    if purpose:
        note(f"{label}: {purpose}.")
    if options and len(options) <= 20:
        label += f" ({', '.join(options)})"
    elif field is not None and field.type == "date":
        label += " (YYYY-MM-DD)"
    if default == "":
        label += " (Enter for none)"
    while True:
        try:
            answer = typer.prompt(label, default=default, show_default=bool(default)).strip()
        except typer.Abort:
            raise KeyboardInterrupt from None  # Ctrl-C at a prompt is an interruption: exit 130
        if not answer and default == "":
            return None
        if not answer:
            note("Please type a value (Ctrl-C to stop).")
            continue
        if field is not None and field.type == "record":
            try:
                answer = lookup.find_record(ws, answer).id  # any part of an ID only it has
            except UsageError as exc:
                note(f"{exc.message}. {exc.hint}")
                continue
        elif options and answer not in options:
            note(f"'{answer}' is not one of them.{did_you_mean(answer, options)}")
            continue
        try:
            return inputs.typed(spec, name, answer)
        except UsageError as exc:
            note(f"{exc.message}. {exc.hint}")


def _open_editor(path: Path) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        note("Set $EDITOR to open new records automatically.")
        return
    try:
        subprocess.call([*shlex.split(editor), str(path)])
    except (OSError, ValueError) as exc:  # the record is written: say so, do not fail
        note(f"Could not start your editor ({editor!r}: {exc}). The record was created at {path}.")


@app.command("list")
def list_command(
    kind: str = typer.Argument(None, metavar="[KIND]", help="Only this kind (or `action`)."),
    status: str = typer.Option(None, "--status", metavar="STATUS", help="Only records with this status."),
    year: str = typer.Option(None, "--year", metavar="YYYY-YY", help="Only this reporting year, e.g. 2025-26."),
    agency: str = typer.Option(None, "--agency", metavar="ID", help="Only records about this agency."),
    fmt: str = typer.Option("table", "--format", metavar="FORMAT", help="table, json or csv."),
    as_of: str = AS_OF,
) -> None:
    """List records, filtered. A record whose kind has a process shows the status its steps give it.

    Example: mars list agency-event --year 2025-26 --format csv
    """
    choose("--format", fmt, ("table", "json", "csv"))
    ws = open_workspace()
    day = queries.as_of(ws, as_of).day

    def work_out() -> list[dict]:
        statuses = queries.statuses(ws, day)
        return [render.record_row(r, statuses.get(r.path))
                for r in queries.select(ws, kind, status, year, agency, day, derived=statuses)]

    def rows() -> list[dict]:  # unchanged files: as last time (the cache's)
        return remembered(ws.memo, ("list", kind, status, year, agency, day), work_out)

    if fmt == "json":
        typer.echo(remembered(ws.memo, ("list json", kind, status, year, agency, day), lambda: envelope.to_json(
            "list", records=rows(), problems=[f.as_dict() for f in ws.unread])), nl=False)
        return
    listed = rows()
    if fmt == "csv":
        write_exact(spreadsheet.to_csv(listed, render.ROW_COLUMNS))
    else:
        render.table(listed, ["id", "kind", "title", "status", "date", "agency"], f"{len(listed)} record(s)",
                     known=lookup.known_ids(ws))


@app.command()
def show(
    record_id: str = typer.Argument(..., metavar="ID", help="The record's ID, or a part only it contains."),
    fmt: str = typer.Option("text", "--format", metavar="FORMAT", help="text (readable) or json."),
    as_of: str = AS_OF,
) -> None:
    """Show one record: its marking, fields, the timeline of its process (each step's deadline, done
    date and state, each sign-off) and its text.

    Example: mars show ae-2025-06-26
    """
    choose("--format", fmt, ("text", "json"))
    ws = open_workspace()
    record = lookup.find_record(ws, record_id)
    day = queries.as_of(ws, as_of).day
    line, found = queries.timeline_and_actions(ws, record, day)
    if fmt == "json":
        typer.echo(envelope.to_json("record", path=record.path, fields=record.fields, body=record.body,
                                    process=render.timeline_dict(line) if line else None,
                                    actions=[render.action_dict(a, day) for a in found],
                                    problems=[f.as_dict() for f in ws.unread]), nl=False)
    else:
        parts = [render.timeline_text(line) if line else "",
                 render.actions_text(found, day, ws.processes.due_soon_days, one=record.kind == "action")
                 if found else ""]
        here = render.screen()  # at a terminal, wrapped to its width with hanging indents; piped, as it is
        typer.echo(layout.wrap_block(render.record_text(record, "\n\n".join(p for p in parts if p)),
                                     here.width if here.terminal else None))


@app.command("set")
def set_command(
    record_id: str = typer.Argument(..., metavar="ID", help="The record's ID, or a part only it contains."),
    changes: list[str] = typer.Argument(None, metavar="FIELD=VALUE...",
                                        help="FIELD=VALUE sets a field (a list: a, b); FIELD+=VALUE adds to a list."),
    unset: list[str] = typer.Option(None, "--unset", metavar="FIELD",
                                    help="Empty a field (a key the kind does not have is removed); repeatable."),
    as_of: str = AS_OF,
) -> None:
    """Change fields of a record (or an action) without an editor: each value is checked as its field,
    only its line changes, and nothing is written if the record would then have a `check` error. A
    list is given comma-separated (scrutineers=a,b replaces it; scrutineers+=c adds one). Sign-offs
    that covered a changed field are stale, and it says which. Steps, sign-offs and an action's
    updates, extensions and due date have their own commands.

    Example: mars set ae-2026-01-30 date=2026-06-23 lead_iso=graham-tillotson scrutineers=rachel-oakley,fatima-okonjo
    """
    from mars_cli.cli.options import recorded
    from mars_cli.write.change import assignments, set_fields

    ws = open_workspace(writing=True)
    when = queries.as_of(ws, as_of)
    record = lookup.find_record(ws, record_id)
    result = set_fields(ws, record, assignments(ws, record, changes or [], unset or []), when.day)
    recorded(result)
