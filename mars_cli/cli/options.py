"""What the commands share: opening the workspace, --as-of, format choices, notes."""

from __future__ import annotations

import sys

import typer

from mars_cli.cli.app import State, held
from mars_cli.framework import load as store
from mars_cli.model.errors import UsageError
from mars_cli.model.fields import did_you_mean

AS_OF = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                     help="Treat this day as today (default: as_of in mars.yaml, else today).")


def open_workspace(announce: bool = True, writing: bool = False):
    """The workspace, read. Unless `announce` is False (`check`, which reports them itself), the record
    files that could not be read are named on stderr: no record is left out silently. A command that
    will change a record says `writing`: it then holds the workspace's write lock from before the read
    until the command ends, so what it read is still what is on disk when it writes (another writer waits)."""
    if writing:
        hold_write_lock()
    ws = store.open_workspace(State.workspace)
    if announce and ws.unread:
        from mars_cli.cli.render import unread_note

        note(unread_note(ws.unread))
    return ws


def hold_write_lock():
    """Hold the workspace's write lock until the command ends (waiting, and saying so, while another
    mars command writes); the workspace's root."""
    from mars_cli.store import lock
    from mars_cli.store.settings import find_root

    root = find_root(State.workspace)
    held.enter_context(lock.writing(root, lambda: progress(
        "Another mars command is writing in this workspace: waiting for it to finish...")))
    return root


def processes_here():
    """The rules of the workspace here (its processes.yaml read, not its records), and its root; the shipped
    rules and None outside a workspace."""
    from mars_cli.framework import processes as process
    from mars_cli.model.errors import MarsError
    from mars_cli.store import settings

    try:
        root = settings.find_root(State.workspace)
    except MarsError:
        return process.default(), None
    return store.read_processes(root)[0], root


def choose(option: str, value: str, allowed: tuple[str, ...]) -> str:
    """A --format-style choice, with a plain message (not the option parser's wording)."""
    if value not in allowed:
        raise UsageError(f"{option} '{value}' is not one of: {', '.join(allowed)}", did_you_mean(value, allowed).strip())
    return value


def recorded(result) -> None:
    """What a writing command did: warnings and what was recorded on stderr, the file's path on stdout."""
    for warning in result.warnings:
        note(f"warning: {warning}")
    progress(f"Recorded: {result.message}." + (f" Status: {result.status}." if result.status else ""))
    typer.echo(str(result.path))


def note(message: str) -> None:
    """Say something on stderr, so stdout stays the command's result (a path, JSON, CSV); what it quotes
    from the records cannot drive the terminal."""
    from mars_cli.outputs.escape import terminal

    typer.echo(terminal(message), err=True)


def progress(message: str) -> None:
    """Say on stderr what is going on or what was done (not a finding, a warning or a marking): -q silences it."""
    if not State.quiet:
        note(message)


def write_exact(text: str) -> None:
    """CSV and iCalendar lines end in CRLF by their standards: written as bytes, so Windows does not
    turn them into CR CR LF."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes (a test's capture): text is all there is
        sys.stdout.write(text)
        return
    buffer.write(text.encode("utf-8"))
    buffer.flush()
