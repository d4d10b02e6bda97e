"""Papers: `mars pack`, `letter`, `overview`, `highlights`, `report`, `olir`, `marpf-overview` and
`iso-report`; and `mars scan`, the guard against personal data in anything published."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from pathlib import Path

import typer

from mars_cli.cli.app import State, app
from mars_cli.cli.options import AS_OF, choose, note, open_workspace, progress
from mars_cli.derive.lookup import find_record
from mars_cli.model.errors import UsageError
from mars_cli.queries import records as queries

FORMAT = typer.Option(None, "--format", metavar="FORMAT",
                      help="pdf, docx or html; repeat for more than one (default: pdf).")
OUTPUT = typer.Option(None, "-o", "--output", metavar="PATH",
                      help="Where to write: a folder (default: build/ in the workspace), or a file for one format.")


@app.command()
def pack(
    meeting: str = typer.Argument(None, metavar="[MEETING]", help="The meeting's ID, or a part only it contains."),
    nexts: list[str] = typer.Option(None, "--next", metavar="board|splig", help="The next Board or SPLIG meeting."),
    fmt: list[str] = FORMAT, output: str = OUTPUT, as_of: str = AS_OF,
) -> None:
    """Build the pack for a Board or SPLIG meeting: cover, contents, agenda, its papers, action-plan
    progress with RAG, overdue and extended actions, and where it all came from.

    Example: mars pack --next board --format pdf --format docx
    """
    from mars_cli.documents import packs

    if (meeting is None) == (not nexts) or len(nexts or []) > 1:
        raise UsageError("say which one meeting: give its ID, or --next board, or --next splig",
                         "A pack is for one meeting; for example: mars pack --next board")
    if nexts:
        choose("--next", nexts[0], tuple(packs.MEETINGS))
    ws, ctx = _context(as_of)
    record = find_record(ws, meeting) if meeting else packs.next_meeting(ctx, nexts[0])
    _build(ws, packs.pack(ctx, record), fmt, output)


@app.command()
def letter(
    event: str = typer.Argument(..., metavar="EVENT", help="The agency event's ID, or a part only it contains."),
    fmt: list[str] = FORMAT, output: str = OUTPUT, as_of: str = AS_OF,
) -> None:
    """Build the findings letter of an agency-specific assurance event, marked DRAFT until the
    portfolio lead has agreed it (and it has not changed since).

    Example: mars letter ae-2025-09-25-nlag --format pdf
    """
    from mars_cli.documents import letters

    ws, ctx = _context(as_of)
    _build(ws, letters.findings_letter(ctx, find_record(ws, event)), fmt, output)


@app.command()
def overview(
    event: str = typer.Argument(..., metavar="EVENT", help="The event's ID, or a part only it contains."),
    fmt: list[str] = FORMAT, output: str = OUTPUT, as_of: str = AS_OF,
) -> None:
    """Build the overview of a thematic, line-of-sight or case line-of-sight event for SPLIG, with its
    action plan and the plan's actions.

    Example: mars overview los-2025-11-03 --format docx
    """
    from mars_cli.documents import overviews

    ws, ctx = _context(as_of)
    _build(ws, overviews.overview(ctx, find_record(ws, event)), fmt, output)


@app.command()
def highlights(
    event: str = typer.Argument(..., metavar="EVENT", help="The event's ID, or a part only it contains."),
    fmt: list[str] = FORMAT, output: str = OUTPUT, as_of: str = AS_OF,
) -> None:
    """Build the website highlights ("key highlights and emerging themes") of a thematic or line-of-sight
    event: public, so refused for case records and OFFICIAL-SENSITIVE ones, and for any personal data.

    Example: mars highlights los-2025-04-03 --format html
    """
    from mars_cli.documents import guard, overviews

    ws, ctx = _context(as_of)
    paper = overviews.highlights(ctx, find_record(ws, event))
    guard.refuse_if_unsafe(ctx, paper)
    _build(ws, paper, fmt, output)


@app.command()
def report(
    year: str = typer.Argument(..., metavar="YEAR", help="The reporting year, e.g. 2025-26."),
    public: bool = typer.Option(False, "--public", help="The version for publication: refused while a draft; "
                                "no OFFICIAL-SENSITIVE record, small counts suppressed, through the guard."),
    fmt: list[str] = FORMAT, output: str = OUTPUT, as_of: str = AS_OF,
) -> None:
    """Build the yearly report for a reporting year from its annual-report record and the year's
    records: what was done, how effective it was, learning, voice, actions and their impact, the
    ISO's scrutiny and the lead partners' sign-offs. DRAFT until those are recorded and current.

    Example: mars report 2025-26 --format pdf --format html
    """
    from mars_cli.documents import guard
    from mars_cli.documents import report as yearly

    ws, ctx = _context(as_of)
    paper = yearly.yearly_report(ctx, yearly.find_report(ctx, year), public=public)
    if public:
        guard.refuse_if_unsafe(ctx, paper)
    _build(ws, paper, fmt, output)


@app.command()
def composite(
    which: str = typer.Argument(..., metavar="section11|schools|early-years", help="Which returns to bring together."),
    year: str = typer.Option(None, "--year", metavar="YYYY-YY", help="The reporting year (default: the as-of day's)."),
    progress: bool = typer.Option(False, "--progress", help="The six-month progress report on the returns' actions."),
    fmt: list[str] = FORMAT, output: str = OUTPUT, as_of: str = AS_OF,
) -> None:
    """Build the composite of a year's self-assessments for the Board: returns in and missing, ratings
    by question with a chart, every return against every question (self-assessed and moderated side by
    side), and the returns' actions; with --progress, the six-month progress report on those actions.

    Example: mars composite section11 --year 2025-26
    """
    from mars_cli.documents import composites
    from mars_cli.model import dates

    ws, ctx = _context(as_of)
    choose("composite", which, tuple(composites.COMPOSITES))
    year = year or dates.reporting_year(ctx.as_of, ws.config.year_start_month)
    _build(ws, composites.composite(ctx, which, year, progress), fmt, output)


@app.command()
def olir(
    meeting: str = typer.Argument(..., metavar="MARPF", help="The MARPF meeting's ID, or a part only it contains."),
    fmt: list[str] = FORMAT, output: str = OUTPUT, as_of: str = AS_OF,
) -> None:
    """Build the Overview, Learning and Improvement Record of a MARPF meeting, to copy to every agency
    involved.

    Example: mars olir marpf-2026-01-13 --format docx
    """
    from mars_cli.documents import forum

    ws, ctx = _context(as_of)
    _build(ws, forum.olir(ctx, find_record(ws, meeting)), fmt, output)


@app.command("marpf-overview")
def marpf_overview(
    year: str = typer.Option(None, "--year", metavar="YYYY-YY", help="The reporting year (default: the last quarter's)."),
    quarter: int = typer.Option(None, "--quarter", metavar="1-4", help="The quarter (default: the last one ended)."),
    fmt: list[str] = FORMAT, output: str = OUTPUT, as_of: str = AS_OF,
) -> None:
    """Build the quarterly overview of the MARPF meetings for SPLIG: the meetings held, what was learnt,
    and the actions agreed.

    Example: mars marpf-overview --year 2025-26 --quarter 3
    """
    from mars_cli.documents import forum

    ws, ctx = _context(as_of)
    last_year, last = forum.last_quarter(ctx)
    _build(ws, forum.quarterly_overview(ctx, year or last_year, last if quarter is None else quarter), fmt, output)


@app.command("iso-report")
def iso_report(
    year: str = typer.Argument(..., metavar="YEAR", help="The reporting year, e.g. 2025-26."),
    iso: str = typer.Option(None, "--iso", metavar="PERSON", help="One ISO only (default: every ISO)."),
    fmt: list[str] = FORMAT, output: str = OUTPUT, as_of: str = AS_OF,
) -> None:
    """Build the Independent Scrutiny Officers' report for a year: what each did, on which record, the
    days against the allowance, and what they observed.

    Example: mars iso-report 2025-26 --format html
    """
    from mars_cli.documents import scrutiny

    ws, ctx = _context(as_of)
    _build(ws, scrutiny.iso_report(ctx, year, iso), fmt, output)


@app.command()
def scan(
    paths: list[str] = typer.Argument(None, metavar="[PATH]...",
                                      help="Files or folders to read (default: the workspace's build/ folder)."),
) -> None:
    """Look for personal data before anything is published: NHS numbers, dates of birth, full postcodes,
    and the names and references of case records' subjects. Reads text, HTML and DOCX files (a PDF
    through the HTML version beside it). Names each file, line and kind of hit, never the text; exits 1
    when it finds any or cannot read a file, 0 when clean.

    Example: mars scan build/
    """
    from mars_cli.derive.lookup import case_subjects
    from mars_cli.documents import guard
    from mars_cli.model.errors import EXIT_FINDINGS, MarsError

    try:
        ws = open_workspace()
    except MarsError:
        ws = None  # outside a workspace: no subjects to look for, and no partnership postcodes
    targets = [Path(p) for p in paths] if paths else ([ws.root / "build"] if ws else [])
    if not targets:
        raise UsageError("say what to scan: give one or more files or folders", "For example: mars scan site/")
    for target in targets:
        if not target.exists():
            raise UsageError(f"{target} does not exist", "Give a file or folder that exists.")
    names = case_subjects(ws) if ws else []
    scanned = guard.scan(targets, names, ws.config.document_postcodes if ws else ())
    for problem in scanned.problems:
        typer.echo(f"{problem}: personal data would be published")
    for path in scanned.unread:
        typer.echo(f"{path}: could not be read, so it is not known to be clean (scan its HTML version)")
    if scanned.covered:
        progress(f"{len(scanned.covered)} PDF{'s' if len(scanned.covered) != 1 else ''} checked through the HTML "
             "version beside each (the same paper).")
    progress(f"{len(scanned.problems)} place{'s' if len(scanned.problems) != 1 else ''} with personal data"
         + (f"; {len(scanned.unread)} file{'s' if len(scanned.unread) != 1 else ''} not read." if scanned.unread else ".")
         + ("" if ws else " (Outside a workspace, case subjects' names are not known.)"))
    if scanned.problems or scanned.unread:
        raise typer.Exit(EXIT_FINDINGS)


def _context(as_of: str | None):
    """The workspace, and what is true in it on the day asked for."""
    from mars_cli.derive.context import Context

    ws = open_workspace()
    return ws, Context(ws, queries.as_of(ws, as_of).day)


def _formats(given: list[str] | None) -> tuple[str, ...]:
    from mars_cli.documents.build import FORMATS

    wanted = tuple(dict.fromkeys(given or ["pdf"]))
    for fmt in wanted:
        choose("--format", fmt, FORMATS)
    return wanted


def _progress(message: str):
    """The spinner that shows the build going on, at a terminal only: -q, a CI log or a pipe gets none
    (and mars does not load rich's live display for them)."""
    if State.quiet or not sys.stderr.isatty():
        return contextlib.nullcontext(_Silent())
    from rich.console import Console

    return Console(stderr=True).status(message)


def _destination(ws, output: str | None, formats: tuple[str, ...], name: str) -> tuple[Path, str]:
    """The folder to write into and the file name (without extension)."""
    if output is None:
        return ws.root / "build", name
    path = Path(output).expanduser()
    inside = path.resolve()
    for kept in ("records", "templates", ".git"):
        if inside == (ws.root / kept).resolve() or (ws.root / kept).resolve() in inside.parents:
            raise UsageError(f"-o {output} is inside the workspace's {kept}/, which holds only {kept}",
                             "Write papers to build/ (the default) or a folder outside the workspace.")
    if path.suffix.lower().lstrip(".") in ("pdf", "docx", "html") and not path.is_dir():
        if len(formats) > 1 or path.suffix.lower().lstrip(".") != formats[0]:
            raise UsageError(f"-o {output} names one {path.suffix} file, but the formats asked for are "
                             f"{', '.join(formats)}", "Give a folder with -o, or one matching --format.")
        return path.parent, path.stem
    return path, name


def _build(ws, paper, fmt: list[str] | None, output: str | None) -> None:
    from mars_cli.documents.build import build

    formats = _formats(fmt)
    folder, paper.name = _destination(ws, output, formats, paper.name)
    when = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    with _progress(f"Building {paper.title}…") as status:
        result = build(paper, formats, folder, when=when, inside=ws.root if output is None else None,
                       on_step=lambda f: status.update(f"Building {paper.title}: {f.upper()}…"))
    for warning in paper.warnings:
        note(f"warning: {warning}")
    for dropped in result.dropped:
        note(f"left out of the paper: {dropped}, from the records' text")
    if paper.draft:
        note(f"DRAFT: {paper.draft}.")
    note(f"Marked {paper.marking}.")
    for built in result.files:
        pages = f" ({built.pages} pages)" if built.pages else ""
        typer.echo(f"{built.path}{pages}")
    if paper.serves and not paper.draft:
        record, step = paper.serves
        progress(f"This paper is for step '{step}' of {record.id}: when it has gone, record it with "
             f"`mars step {record.id} {step} --done --date YYYY-MM-DD`.")


class _Silent:
    """What -q, a CI log or a pipe shows while a paper is built: nothing."""

    def update(self, *_args) -> None:
        pass
