"""Commands about the framework's processes: step, signoff, rules."""

from __future__ import annotations

import typer

from mars_cli.cli import render
from mars_cli.cli.app import app
from mars_cli.cli.options import (
    AS_OF,
    choose,
    open_workspace,
    processes_here,
    progress,
    recorded,
)
from mars_cli.derive.lookup import find_record
from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.outputs import envelope
from mars_cli.queries import records as queries


@app.command()
def step(
    record_id: str = typer.Argument(..., metavar="ID", help="The record's ID, or a part only it contains; or "
                                    "ID:STEP as `mars overdue` lists it."),
    name: str = typer.Argument(None, metavar="[STEP]", help="The step (`mars show ID` lists them)."),
    done: bool = typer.Option(False, "--done", help="Record the step as done."),
    skip: bool = typer.Option(False, "--skip", help="Record an optional step as not needed (give --note)."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="The day it was done (default: today)."),
    by: str = typer.Option(None, "--by", metavar="PERSON", help="Who did it (a person id)."),
    note_text: str = typer.Option(None, "--note", metavar="TEXT", help="A note, e.g. where it is evidenced."),
    as_of: str = AS_OF,
) -> None:
    """Record a step of a record's process as done. Refused, with nothing written, when a sign-off it
    needs is missing. The record and its step can be given as one, ID:STEP, as `mars overdue` lists them.

    Example: mars step ae-2025-09-25-nlag event --done --date 2026-01-20
    """
    from mars_cli.write.steps import mark_step

    if name is None:
        record_id, _, name = record_id.rpartition(":") if ":" in record_id else (record_id, "", "")
        if not (record_id and name):
            raise UsageError("say which step", f"e.g. mars step {record_id or 'ID'} STEP --done (`mars show "
                             f"{record_id or 'ID'}` lists its steps), or ID:STEP as `mars overdue` lists it")
    if done == skip:
        raise UsageError("say --done or --skip", f"e.g. mars step {record_id} {name} --done --date YYYY-MM-DD")
    ws = open_workspace(writing=True)
    when = queries.as_of(ws, as_of)
    day = dates.date_value("--date", date) if date else None
    result = mark_step(ws, find_record(ws, record_id), name, as_of=when.day, day=day, skip=skip, by=by,
                       note=note_text)
    recorded(result)


@app.command()
def signoff(
    record_id: str = typer.Argument(..., metavar="ID", help="The record's ID, or a part only it contains."),
    what: str = typer.Option(..., "--for", metavar="WHAT", help="What is approved (`mars show ID` lists them)."),
    by: str = typer.Option(..., "--by", metavar="PERSON", help="Who gave it (a person id)."),
    role: str = typer.Option(..., "--as", metavar="ROLE", help="In which role, e.g. dsp:police, portfolio-lead."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="The day it was given (default: today)."),
    evidence: str = typer.Option(None, "--evidence", metavar="TEXT", help="Where it was given: minutes, an e-mail."),
    note_text: str = typer.Option(None, "--note", metavar="TEXT", help="A note."),
    as_of: str = AS_OF,
) -> None:
    """Record a partner's endorsement or agreement. It stores a fingerprint of what it approves, so a
    later change shows as "re-approval needed".

    Example: mars signoff ae-2025-09-25-nlag --for agency --by sarah-holroyd --as dsp:police --date 2025-09-25 --evidence "Board minutes 25 Sept 2025"
    """
    from mars_cli.write.steps import sign_off

    ws = open_workspace(writing=True)
    when = queries.as_of(ws, as_of)
    day = dates.date_value("--date", date) if date else None
    result = sign_off(ws, find_record(ws, record_id), what, by=by, role=role, as_of=when.day, day=day,
                      evidence=evidence, note=note_text)
    recorded(result)


@app.command()
def rules(
    fmt: str = typer.Option("text", "--format", metavar="FORMAT",
                            help="text, json, markdown, or yaml (the shipped processes, to copy from)."),
) -> None:
    """List the rules `check` applies: each rule's id, what it asks, and where the framework says it.
    A workspace's processes.yaml (beside mars.yaml) changes them; `--format yaml` prints the shipped
    processes, with comments, to copy what you change from.

    Example: mars rules --format markdown
    """
    from mars_cli.framework import processes as process
    from mars_cli.rules.steps import rule_table

    choose("--format", fmt, ("text", "json", "markdown", "yaml"))
    if fmt == "yaml":
        typer.echo(process.shipped_text(), nl=False)
        return
    processes, root = processes_here()  # the rules only: no need to read every record
    rows = rule_table(processes)
    changed = processes.overridden
    if fmt == "json":
        typer.echo(envelope.to_json("rules", changed_by_workspace=changed, rules=[r.as_dict() for r in rows]), nl=False)
        return
    if changed:
        progress(f"These are the shipped rules as changed by {root / process.OVERRIDE_FILE}.")
    typer.echo(render.rules_markdown(rows) if fmt == "markdown" else render.rules_text(rows))
