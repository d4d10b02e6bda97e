"""The typer application every command module adds its commands to, and the options of `mars` itself.

The command modules import this; `cli/registry.py` imports each of them when its command is asked for
(and `cli/main.py` makes `app` a group of the registry's commands), so nothing here imports back. It is
all `mars --help` needs: it imports nothing of mars's core.
"""

from __future__ import annotations

import contextlib

import typer

from mars_cli import __version__

app = typer.Typer(
    name="mars",
    help="Scrutiny and assurance records for a children's safeguarding partnership.\n\n"
    "Example: mars -w example-workspace check\n\n"
    "\b\nExit codes, for every command:\n"
    "  0    ok\n"
    "  1    findings or refused (check found errors; overdue --fail-on)\n"
    "  2    usage or configuration (mistyped option, no workspace, bad mars.yaml)\n"
    "  3    an unexpected error, a bug in mars (details in the log file it names)\n"
    "  130  interrupted (Ctrl-C)\n\n"
    "\b\nTab completion of record IDs, people, agencies and kinds:\n  mars --install-completion",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


held = contextlib.ExitStack()  # what the running command holds (the workspace's write lock)


def release() -> None:
    """Let go of what the command held; `main` calls it when any command ends."""
    held.close()


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
