"""`mars check`."""

from __future__ import annotations

import sys

import typer

from mars_cli.cli import layout, render
from mars_cli.cli.app import State, app
from mars_cli.cli.options import AS_OF, choose, open_workspace
from mars_cli.model.errors import EXIT_FINDINGS
from mars_cli.model.records import ERROR
from mars_cli.outputs import envelope
from mars_cli.queries import records as queries


@app.command()
def check(
    fmt: str = typer.Option("text", "--format", metavar="FORMAT",
                            help="text, json, github (workflow annotations) or junit (XML test report)."),
    strict: bool = typer.Option(False, "--strict", help="Count warnings as errors for the exit code."),
    year: str = typer.Option(None, "--year", metavar="YYYY-YY",
                             help="The checks across a reporting year for this year only, e.g. 2025-26 (default: "
                                  "the as-of day's, and each ended year whose yearly report is not yet published)."),
    verify_signoffs: bool = typer.Option(
        False, "--verify-signoffs",
        help="Also check in git's history that each sign-off was committed by its signer, or by a MARS officer "
             "naming the evidence (needs the full history, not a shallow clone)."),
    as_of: str = AS_OF,
) -> None:
    """Report every problem in the workspace at once, each as path:line.

    The checks across a year (three line of sight events, ISO days, yearly audits...) look at the
    as-of day's reporting year and at each year that has ended whose yearly report is not yet
    published; --year looks at that year alone.

    Exits 0 when there are no errors, 1 when there are, 2 when it cannot run.

    With --verify-signoffs it also checks in git's history who committed each sign-off (run it in a
    full clone, not a shallow one).

    In CI, --format github shows each finding as an annotation on its line, and --format junit
    writes a test report (GitLab, Azure DevOps); the exit code is the same in every format.

    Example: mars check --format json
    """
    from mars_cli.rules import run_rules

    choose("--format", fmt, ("text", "json", "github", "junit"))
    ws = open_workspace(announce=False)  # its findings name every file it could not read
    when = queries.as_of(ws, as_of, strict=False)
    if year is not None:
        queries.check_year(ws, year)
    findings = run_rules(ws, when.day, year, provenance=verify_signoffs)
    if fmt == "json":
        typer.echo(envelope.to_json("check", as_of=when.day, records=queries.count(ws),
                                    findings=[f.as_dict() for f in findings]), nl=False)
    elif fmt in ("github", "junit"):
        from mars_cli.outputs import checks
        from mars_cli.store import git

        prefix = git.prefix(ws.root)  # CI shows files from the repository's root
        sys.stdout.write(checks.to_github(findings, prefix, strict) if fmt == "github"
                         else checks.to_junit(findings, queries.count(ws), when.day, prefix, strict))
    else:
        here = render.screen()
        if findings:
            typer.echo(render.findings_text(findings, here.width if here.terminal else None, here.colour),
                       color=here.colour)
        checked = f" Checked {when.describe()}." if when.source != "today" else ""
        checked += f" Checks across the year for {year} only." if year else ""
        if not State.quiet:
            said = render.summary(findings, queries.count(ws)) + checked
            typer.echo("\n".join(layout.wrap(said, here.width)) if here.terminal else said)
    if any(f.severity == ERROR or strict for f in findings):
        raise typer.Exit(EXIT_FINDINGS)
