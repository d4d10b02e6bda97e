"""The commands. Each declares its options, calls the core, formats the result."""

from __future__ import annotations

import os
import subprocess
import sys
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


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        from mars_cli.fieldcheck import did_you_mean
        raise UsageError(f"{option} '{value}' is not one of: {', '.join(allowed)}", did_you_mean(value, allowed).strip())
    return value


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
def kinds_command(kind: str = typer.Argument(None, metavar="[KIND]", help="Show one kind's fields and statuses.")) -> None:
    """List the record kinds, one line each; with a KIND, its fields.

    Example: mars kinds agency-event
    """
    registry = kinds.registry()
    if kind is None:
        width = max(len(k) for k in registry)
        for k in registry.values():
            typer.echo(f"{k.name:<{width}}  {k.label}")
        return
    spec = kinds.get(kind)
    if spec is None:
        from mars_cli.fieldcheck import did_you_mean
        raise UsageError(f"'{kind}' is not a kind", f"`mars kinds` lists them.{did_you_mean(kind, registry)}")
    typer.echo(f"{spec.name}: {spec.label}" + (f" (part of {kinds.get(spec.part_of).a})" if spec.part_of else ""))
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
    from mars_cli import create
    from mars_cli.store.files import write_atomic

    ws = _open()
    when = queries.as_of(ws, as_of)
    spec = kinds.registry().get(kind)
    if kind in kinds.parts():
        part = kinds.parts()[kind]
        raise UsageError(f"{part.a} is part of {kinds.get(part.part_of).a}, not a record of its own",
                         f"Create the plan with `mars new {part.part_of}`, then add each {part.noun} as a file in "
                         f"the folder named after the plan's ID (`mars kinds {kind}` lists its fields).")
    if spec is None:
        from mars_cli.fieldcheck import did_you_mean
        raise UsageError(f"'{kind}' is not a kind of record",
                         f"`mars kinds` lists them.{did_you_mean(kind, kinds.registry())}")
    values: dict = {"title": title, "agency": agency, "theme": theme, "owner": owner, "marking": marking,
                    "source": source, "iso": iso, "kcsie_edition": kcsie, "year": year}
    values = {k: v for k, v in values.items() if v is not None}
    if days is not None:
        values["days"] = _number("--days", days)
    if date is not None:
        values["date"] = _date_option("--date", date)
    for item in sets or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set '{item}' is not FIELD=VALUE", "For example: --set lead_iso=iso-1")
        values[key.strip()] = _typed(spec, key.strip(), raw.strip())
    _ask_for_missing(spec, values, ws)
    result = create.build(ws, kind, values, when.day, from_last_year=from_last_year, as_of=when.day)
    try:
        write_atomic(result.path, result.text, exclusive=True)
    except FileExistsError:
        raise Refused(f"{result.path} already exists; nothing was written", "Run the command again.") from None
    if when.source != "today":
        _note(f"Created {when.describe()}.")
    if result.carried_from is not None:
        carried = result.record.fields
        ratings = sum(1 for v in (carried.get("ratings") or {}).values() if isinstance(v, dict) and v.get("rating"))
        actions = len(carried.get("actions") or [])
        _note(f"Carried forward {ratings} rating(s) and {actions} open action(s) from {result.carried_from.id}.")
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


def _ask_for_missing(spec: kinds.Kind, values: dict, ws) -> None:
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
        values[name] = _prompt(spec, name, ws)


def _prompt(spec: kinds.Kind, name: str, ws):
    """Ask until the answer is usable: IDs are offered and checked, dates read as dates."""
    from mars_cli.fieldcheck import did_you_mean

    field = spec.fields.get(spec.date_field if name == "date" else name)
    choices = _choices(spec, field, ws)
    label = name.replace("_", " ").capitalize()
    if choices and len(choices) <= 20:
        label += f" ({', '.join(choices)})"
    elif field is not None and field.type == "date":
        label += " (YYYY-MM-DD)"
    while True:
        try:
            answer = typer.prompt(label).strip()
        except typer.Abort:
            raise KeyboardInterrupt from None  # Ctrl-C at a prompt is an interruption: exit 130
        if choices and answer not in choices:
            typer.echo(f"'{answer}' is not one of them.{did_you_mean(answer, choices)}", err=True)
            continue
        try:
            return _typed(spec, name, answer)
        except UsageError as exc:
            typer.echo(f"{exc.message}. {exc.hint}", err=True)


def _choices(spec: kinds.Kind, field, ws) -> list[str]:
    if field is None:
        return []
    if field.type == "agency":
        agencies = ws.config.agencies.values()
        if spec.agency_rule == "section11":
            agencies = [a for a in agencies if a.section11]
        elif isinstance(spec.agency_rule, tuple):
            agencies = [a for a in agencies if a.type in spec.agency_rule]
        return [a.id for a in agencies]
    if field.type == "person":
        return list(ws.config.people)
    if field.type == "record":
        return [r.id for r in ws.records if r.kind not in kinds.parts()]
    return list(field.values)


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


def _number(option: str, text: str) -> int | float:
    """A number typed by a person: 1.5 (a comma decimal gets a hint); 1 stays 1, not 1.0."""
    try:
        value = float(text)
    except ValueError:
        hint = f"Write {text.replace(',', '.')}." if "," in text else "Write digits, e.g. 1.5."
        raise UsageError(f"{option} '{text}' is not a number", hint) from None
    return int(value) if value.is_integer() else value


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
    kind: str = typer.Argument(None, metavar="[KIND]", help="Only this kind (or `action`)."),
    status: str = typer.Option(None, "--status", metavar="STATUS", help="Only records with this status."),
    year: str = typer.Option(None, "--year", metavar="YYYY-YY", help="Only this reporting year, e.g. 2025-26."),
    agency: str = typer.Option(None, "--agency", metavar="ID", help="Only records about this agency."),
    fmt: str = typer.Option("table", "--format", metavar="FORMAT", help="table, json or csv."),
) -> None:
    """List records, filtered.

    Example: mars list agency-event --year 2025-26 --format csv
    """
    _choice("--format", fmt, ("table", "json", "csv"))
    ws = _open()
    found = queries.select(ws, kind, status, year, agency)
    rows = [_row(ws, r) for r in found]
    columns = ["id", "kind", "title", "status", "date", "agency", "marking", "path"]
    if fmt == "json":
        typer.echo(render.to_json("list", records=rows))
    elif fmt == "csv":
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
        table.add_column(col, overflow="fold", no_wrap=col in ("id", "date", "status"))
    for row in rows:
        table.add_row(*[str(row.get(c, "")) for c in columns])
    render.console().print(table)


@app.command()
def show(
    record_id: str = typer.Argument(..., metavar="ID", help="The record's ID, or a part only it contains."),
    fmt: str = typer.Option("text", "--format", metavar="FORMAT", help="text (readable) or json."),
) -> None:
    """Show one record: its marking, fields and text.

    Example: mars show ae-2025-06-26
    """
    _choice("--format", fmt, ("text", "json"))
    ws = _open()
    record = queries.find_record(ws, record_id)
    if fmt == "json":
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
    fmt: str = typer.Option("text", "--format", metavar="FORMAT", help="text or json."),
    strict: bool = typer.Option(False, "--strict", help="Count warnings as errors for the exit code."),
    as_of: str = AS_OF,
) -> None:
    """Report every problem in the workspace at once, each as path:line.

    Exits 0 when there are no errors, 1 when there are, 2 when it cannot run.

    Example: mars check --format json
    """
    from mars_cli.rules import run_rules

    _choice("--format", fmt, ("text", "json"))
    ws = _open()
    when = queries.as_of(ws, as_of)
    findings = run_rules(ws, when.day)
    if fmt == "json":
        typer.echo(render.findings_json(findings, as_of=when.day.isoformat(), records=len(ws.records)))
    else:
        if findings:
            typer.echo(render.findings_text(findings))
        typer.echo(render.summary(findings, len(ws.records)) + (f" Checked {when.describe()}." if when.source != "today" else ""))
    failing = [f for f in findings if f.severity == ERROR or strict]
    if failing:
        raise typer.Exit(EXIT_FINDINGS)


__all__ = ["init", "kinds_command", "new", "list_command", "show", "check", "EXIT_USAGE"]
