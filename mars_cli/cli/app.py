"""The typer application every command module adds its commands to, and the options of `mars` itself.

Only the command modules import this; `cli/main.py` imports them, so nothing here imports back.
"""

from __future__ import annotations

import typer

from mars_cli import __version__

app = typer.Typer(
    name="mars",
    help="Scrutiny and assurance records for a children's safeguarding partnership.\n\n"
    "Example: mars -w example-workspace check",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    workspace: str | None = None
    width: int | None = None  # --width: lay text out for this many columns
    no_color: bool = False    # --no-color (or NO_COLOR set)
    quiet: bool = False       # -q: no progress or summaries, only results, findings and markings


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mars {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    workspace: str = typer.Option(None, "-w", "--workspace", metavar="PATH",
                                  help="The workspace folder (else $MARS_WORKSPACE, else the nearest mars.yaml above)."),
    width: int = typer.Option(None, "--width", metavar="COLUMNS", min=40, max=1000,
                              help="Lay tables and text out for this many columns (default: the terminal's "
                                   "width; piped or redirected, $COLUMNS, else 100)."),
    no_color: bool = typer.Option(False, "--no-color", help="No colour (as when NO_COLOR is set)."),
    quiet: bool = typer.Option(False, "-q", "--quiet",
                               help="Only results, findings and markings: no progress notes or summaries."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    State.workspace = workspace
    State.width = width
    State.no_color = no_color
    State.quiet = quiet
