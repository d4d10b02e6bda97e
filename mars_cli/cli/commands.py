"""The commands. Each declares its options, calls the core, formats the result."""

from __future__ import annotations

import os
import subprocess
import sys
from enum import Enum
from pathlib import Path

import typer

from mars_cli import dates, kinds, queries
from mars_cli.cli import State, app
from mars_cli.cli import render
from mars_cli.errors import EXIT_FINDINGS, EXIT_USAGE, Refused, UsageError
from mars_cli.model import ERROR
from mars_cli.store import workspace as store

AS_OF = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                     help="Treat this day as today (default: as_of in mars.yaml, else today).")


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _open():
    return store.open_workspace(State.workspace)


def _note(message: str) -> None:
    typer.echo(message, err=True)


# ----------------------------------------------------------------------------- init

@app.command()
def init(directory: Path = typer.Argument(Path("."), help="Folder to create the workspace in.")) -> None:
    """Create a workspace: a commented mars.yaml, the folders, a .gitignore, and git.

    Example: mars init nl-mars
    """
    from mars_cli.scaffolding import scaffold

    created = scaffold(directory)
    typer.echo(f"Created a mars workspace in {created.root}")
    if created.git_initialised:
        typer.echo("Started a git repository there (git init).")
    else:
        typer.echo(f"It is inside the git repository at {created.repository}, so git init was not needed.")
    typer.echo("Next: edit mars.yaml (partners, agencies, people), then `mars check`.")


# ----------------------------------------------------------------------------- kinds

@app.command("kinds")
def kinds_command(kind: str = typer.Argument(None, help="Show one kind's fields and statuses.")) -> None:
    """List the record kinds, one line each; with a KIND, its fields.

    Example: mars kinds agency-event
    """
    registry = kinds.registry()
    if kind is None:
        width = max(len(k) for k in registry)
        for k in registry.values():
            typer.echo(f"{k.name:<{width}}  {k.label}")
        return
    spec = registry.get(kind)
    if spec is None:
        from mars_cli.fieldcheck import did_you_mean
        raise UsageError(f"'{kind}' is not a kind", f"`mars kinds` lists them.{did_you_mean(kind, registry)}")
    typer.echo(f"{spec.name}: {spec.label}")
    typer.echo(f"  from: {spec.framework}")
    typer.echo(f"  statuses: {' -> '.join(spec.statuses)}")
    typer.echo(f"  --date sets: {spec.date_field}")
    typer.echo("  fields:")
    for field in spec.fields.values():
        kind_type = f"{field.type}" + (f" ({', '.join(field.values)})" if field.values else "")
        flag = " required" if field.required else ""
        typer.echo(f"    {field.name}: {kind_type}{flag}" + (f"  - {field.help}" if field.help else ""))


# ----------------------------------------------------------------------------- new

@app.command()
def new(
    kind: str = typer.Argument(..., help="The kind of record (see `mars kinds`)."),
    title: str = typer.Option(None, "--title", help="The record's title."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="The record's main date (event, meeting, due...)."),
    agency: str = typer.Option(None, "--agency", metavar="ID", help="The agency or setting (an id from mars.yaml)."),
    theme: str = typer.Option(None, "--theme", help="The theme (thematic, line of sight, SPACE audit)."),
    owner: str = typer.Option(None, "--owner", metavar="PERSON", help="The officer who owns the record."),
    marking: str = typer.Option(None, "--marking", help="OFFICIAL or OFFICIAL-SENSITIVE (default from mars.yaml)."),
    source: str = typer.Option(None, "--source", metavar="ID", help="Action plans: the record it comes from."),
    iso: str = typer.Option(None, "--iso", metavar="PERSON", help="ISO activity: the ISO."),
    days: float | None = typer.Option(None, "--days", help="ISO activity: days spent."),
    kcsie: str = typer.Option(None, "--kcsie", help="Schools audits: the KCSIE edition used, e.g. 2025."),
    year: str = typer.Option(None, "--year", help="Yearly report: the reporting year, e.g. 2025-26."),
    sets: list[str] = typer.Option(None, "--set", metavar="FIELD=VALUE", help="Any other field; repeatable."),
    from_last_year: bool = typer.Option(False, "--from-last-year",
                                        help="Self-assessments: start from last year's ratings and open actions."),
    edit: bool = typer.Option(False, "--edit", help="Open the new file in $EDITOR."),
    as_of: str = AS_OF,
) -> None:
    """Create a record from its template and print the new file's path.

    Example: mars new agency-event --title "Hospital trust assurance event" --agency nlag --date 2026-03-10
    """
    from mars_cli import create
    from mars_cli.store.files import write_atomic

    ws = _open()
    when = queries.as_of(ws, as_of)
    spec = kinds.get(kind)
    if spec is None:
        from mars_cli.fieldcheck import did_you_mean
        raise UsageError(f"'{kind}' is not a kind of record",
                         f"`mars kinds` lists them.{did_you_mean(kind, kinds.registry())}")
    if days is not None and days == int(days):
        days = int(days)  # --days 1 is written as 1, not 1.0
    values: dict = {"title": title, "agency": agency, "theme": theme, "owner": owner, "marking": marking,
                    "source": source, "iso": iso, "days": days, "kcsie_edition": kcsie, "year": year}
    values = {k: v for k, v in values.items() if v is not None}
    if date is not None:
        values["date"] = _date_option("--date", date)
    for item in sets or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set '{item}' is not FIELD=VALUE", "For example: --set lead_iso=iso-1")
        values[key.strip()] = _typed(spec, key.strip(), raw.strip())
    _ask_for_missing(spec, values)
    result = create.build(ws, kind, values, when.day, from_last_year=from_last_year, as_of=when.day)
    try:
        write_atomic(result.path, result.text, exclusive=True)
    except FileExistsError:
        raise Refused(f"{result.path} already exists; nothing was written", "Run the command again.") from None
    if when.source != "today":
        _note(f"Created {when.describe()}.")
    if result.carried_from is not None:
        _note(f"Carried forward ratings and open actions from {result.carried_from.id}.")
    typer.echo(render_path(ws.root, result.path))
    if edit:
        _open_editor(result.path)


def render_path(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


_OPTION_FOR = {"title": "--title", "agency": "--agency", "theme": "--theme", "source": "--source",
               "iso": "--iso", "days": "--days", "kcsie_edition": "--kcsie", "year": "--year", "date": "--date"}


def _ask_for_missing(spec: kinds.Kind, values: dict) -> None:
    """At a terminal, prompt for what the kind needs; otherwise exit 2 naming the options."""
    required = [f.name for f in spec.fields.values() if f.required and f.name in spec.own_fields]
    needed = dict.fromkeys(["title", *("date" if n == spec.date_field else n for n in (*spec.new_needs, *required))])
    missing = [n for n in needed if values.get(n) in (None, "") and not (n == "date" and spec.date_field in values)]
    if not missing:
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        flags = [_OPTION_FOR.get(n, f"--set {n}=...") for n in missing]
        raise UsageError(f"a new {spec.noun} needs {', '.join(flags)}",
                         f"For example: mars new {spec.name} " + " ".join(
                             f if f.endswith("...") else f"{f} ..." for f in flags))
    for name in missing:
        answer = typer.prompt(f"{name.replace('_', ' ').capitalize()}")
        values[name] = _typed(spec, name, answer.strip())


_TEXT_TYPES = ("string", "text", "person", "agency", "partner", "record", "owner", "status", "enum")


def _typed(spec: kinds.Kind, name: str, raw: str):
    """A value typed on the command line, as the field's type reads it (a title "2025" stays text)."""
    from mars_cli.store import yaml12

    field = spec.fields.get(spec.date_field if name == "date" else name)
    if field is not None and field.type == "date":
        return _date_option(f"--set {name}" if name != "date" else "--date", raw)
    if field is not None and field.type in _TEXT_TYPES:
        return raw
    return yaml12.scalar(raw)


def _date_option(name: str, text: str):
    day = dates.parse_iso(text)
    if day is None:
        problem = dates.date_problem(text)
        raise UsageError(f"{name} {problem[0] if problem else 'is not a date'}", problem[1] if problem else "")
    return day


def _open_editor(path: Path) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        _note("Set $EDITOR to open new records automatically.")
        return
    import shlex
    subprocess.call([*shlex.split(editor), str(path)])


# ----------------------------------------------------------------------------- list / show

@app.command("list")
def list_command(
    kind: str = typer.Argument(None, help="Only this kind."),
    status: str = typer.Option(None, "--status", help="Only records with this status."),
    year: str = typer.Option(None, "--year", help="Only this reporting year, e.g. 2025-26."),
    agency: str = typer.Option(None, "--agency", metavar="ID", help="Only records about this agency."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", help="table, json or csv."),
) -> None:
    """List records, filtered.

    Example: mars list agency-event --year 2025-26 --format csv
    """
    ws = _open()
    found = queries.select(ws, kind, status, year, agency)
    rows = [_row(ws, r) for r in found]
    columns = ["id", "kind", "title", "status", "date", "agency", "marking", "path"]
    if fmt is ListFormat.json:
        typer.echo(render.to_json("list", records=rows))
    elif fmt is ListFormat.csv:
        sys.stdout.write(render.to_csv(rows, columns))
    else:
        _table(rows, ["id", "kind", "title", "status", "date", "agency"], f"{len(rows)} record(s)")


def _row(ws, record) -> dict:
    day = queries.main_date(record)
    return {"id": record.id, "kind": record.kind, "title": record.title, "status": record.status,
            "date": day.isoformat() if day else "", "agency": record.fields.get("agency") or "",
            "marking": record.fields.get("marking") or "", "path": record.path}


def _table(rows: list[dict], columns: list[str], caption: str) -> None:
    from rich.table import Table

    table = Table(caption=caption, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[str(row.get(c, "")) for c in columns])
    render.console().print(table)


@app.command()
def show(
    record_id: str = typer.Argument(..., metavar="ID", help="The record's ID, or a part only it contains."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", help="table (readable) or json."),
) -> None:
    """Show one record: its marking, fields and text.

    Example: mars show ae-2025-11-04
    """
    ws = _open()
    record = queries.find_record(ws, record_id)
    if fmt is ListFormat.json:
        typer.echo(render.to_json("record", path=record.path, fields=render.plain(record.fields), body=record.body))
        return
    spec = kinds.get(record.kind)
    marking = record.fields.get("marking") or "UNMARKED"
    out = [marking, f"{record.title}", f"{spec.label if spec else record.kind} - {record.status}", f"file: {record.path}", ""]
    for key, value in record.fields.items():
        if key != "title":
            out.extend(_show_lines(key, value, ""))
    out += ["", record.body.strip(), "", marking]
    typer.echo("\n".join(out))


def _show_lines(key, value, indent: str) -> list[str]:
    """A field for reading: dates in UK style, nested entries indented under their key."""
    import datetime as dt

    if isinstance(value, dict):
        lines = [f"{indent}{key}:"]
        for sub, item in value.items():
            lines.extend(_show_lines(sub, item, indent + "  "))
        return lines
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        lines = [f"{indent}{key}:"]
        for item in value:
            entry = [line for sub, v in (item.items() if isinstance(item, dict) else [("", item)])
                     for line in _show_lines(sub, v, indent + "    ")]
            if entry:
                entry[0] = f"{indent}  - {entry[0].lstrip()}"
            lines.extend(entry)
        return lines
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, dt.date):
        text = dates.format_uk(value)
    else:
        text = "" if value is None else str(value)
    return [f"{indent}{key}: {text}".rstrip()]


# ----------------------------------------------------------------------------- check

@app.command()
def check(
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", help="text or json."),
    strict: bool = typer.Option(False, "--strict", help="Count warnings as errors for the exit code."),
    as_of: str = AS_OF,
) -> None:
    """Report every problem in the workspace at once, each as path:line.

    Exits 0 when there are no errors, 1 when there are, 2 when it cannot run.

    Example: mars check --format json
    """
    from mars_cli.rules import run_rules

    ws = _open()
    when = queries.as_of(ws, as_of)
    findings = run_rules(ws, when.day)
    if fmt is CheckFormat.json:
        typer.echo(render.findings_json(findings, as_of=when.day.isoformat(), records=len(ws.records)))
    else:
        if findings:
            typer.echo(render.findings_text(findings))
        typer.echo(render.summary(findings, len(ws.records)) + (f" Checked {when.describe()}." if when.source != "today" else ""))
    failing = [f for f in findings if f.severity == ERROR or strict]
    if failing:
        raise typer.Exit(EXIT_FINDINGS)


__all__ = ["init", "kinds_command", "new", "list_command", "show", "check", "EXIT_USAGE"]
