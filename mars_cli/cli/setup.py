"""Commands that set things up and keep them tidy: init, kinds, doctor, tidy."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from mars_cli.cli.app import State, app
from mars_cli.cli.options import hold_write_lock, processes_here, progress
from mars_cli.framework import kinds

if TYPE_CHECKING:
    from mars_cli.framework.describe import KindWords, ProcessWords


@app.command()
def init(directory: Path = typer.Argument(Path("."), metavar="[DIR]", help="Folder to create the workspace in.")) -> None:
    """Create a workspace: a commented mars.yaml, the folders, a .gitignore, and git.

    Example: mars init nl-mars
    """
    from mars_cli.write.scaffold import scaffold

    created = scaffold(directory)
    typer.echo(f"Created a mars workspace in {created.root}")
    if created.git_initialised:
        typer.echo("Started a git repository there (git init).")
    else:
        typer.echo(f"It is inside the git repository at {created.repository}, so git init was not needed.")
    typer.echo("Next: edit mars.yaml (partners, agencies, people), then `mars check`.")


@app.command()
def tidy(dry_run: bool = typer.Option(False, "--dry-run", help="List the files without deleting them.")) -> None:
    """Delete the temporary files left by writes that were stopped before they finished (`check` reports
    each as workspace.leftover-temp-file). Each is a copy of a record as the stopped write would have
    left it; the record itself was not changed. Waits until no other mars command is writing.

    Example: mars tidy --dry-run
    """
    from mars_cli.outputs.escape import terminal_line
    from mars_cli.store import files

    root = hold_write_lock()
    found = [files.relpath(root, p) for p in files.leftovers(root)] if dry_run else files.remove_leftovers(root)
    for rel in found:
        typer.echo(f"{'would delete' if dry_run else 'deleted'} {terminal_line(rel)}")
    count = f"{len(found)} temporary file{'' if len(found) == 1 else 's'}"
    progress(f"{'Found' if dry_run else 'Deleted'} {count}." if found else "No temporary files left by stopped writes.")


@app.command("kinds")
def kinds_command(kind: str = typer.Argument(None, metavar="[KIND]", help="Show one kind's fields and statuses.")) -> None:
    """List the record kinds, one line each; with a KIND, its fields.

    Example: mars kinds agency-event
    """
    if kind is None:
        _list_kinds()
        return
    from mars_cli.framework.describe import describe, process_words

    words = describe(kind)
    _show_kind(words)
    process = process_words(words.kind, processes_here()[0])
    if process is not None:
        _show_process(process)


def _list_kinds() -> None:
    registry = kinds.registry()
    width = max(len(k) for k in registry)
    for k in registry.values():
        typer.echo(f"{k.name:<{width}}  {k.label}")


def _show_kind(words: KindWords) -> None:
    from mars_cli.framework.describe import entry_shape

    spec = words.kind
    part = f" (part of {words.part_of})" if words.part_of else ""
    typer.echo(f"{spec.name}: {spec.label}{part}")
    typer.echo(f"  from: {spec.framework}")
    typer.echo(f"  statuses: {' -> '.join(spec.statuses)}")
    typer.echo(f"  --date sets: {spec.date_field}")
    typer.echo("  fields:")
    for field in spec.fields.values():
        values = f" ({', '.join(field.values)})" if field.values else ""
        required = " required" if field.required else ""
        typer.echo(f"    {field.name}: {field.type}{values}{required}" + (f"  - {field.help}" if field.help else ""))
        shape = entry_shape(field)
        if shape is not None:
            typer.echo(f"      {shape.keys}; for example:")
            for line in shape.example:
                typer.echo(f"        {line}")


def _show_process(words: ProcessWords) -> None:
    typer.echo(f"  process (led by {words.led_by}); steps, for `mars step ID STEP --done`:")
    for step in words.steps:
        status = f" -> {step.status}" if step.status else ""
        typer.echo(f"    {step.name}: {step.label}{status}" + (f"  [{'; '.join(step.notes)}]" if step.notes else ""))
    if words.signoffs:
        typer.echo("  sign-offs, for `mars signoff ID --for NAME --by PERSON --as ROLE`:")
        for signoff in words.signoffs:
            typer.echo(f"    {signoff.name}: {signoff.what}, by {signoff.signers}")


@app.command()
def doctor() -> None:
    """Check that mars can run here: Python, git, pandoc, Typst and the fonts the papers use, then the
    workspace (mars.yaml loads, build/ can be written, it is in git, what is not yet committed). Each
    problem says how to fix it. Exit 1 when something mars needs fails; warnings alone exit 0.

    Example: mars doctor
    """
    from mars_cli.cli.layout import wrap
    from mars_cli.cli.render import screen
    from mars_cli.documents.doctor import check_tools
    from mars_cli.framework import doctor as checks
    from mars_cli.model.errors import MarsError
    from mars_cli.store.settings import find_root

    results = [*checks.check_machine(), *check_tools()]
    try:
        results += checks.check_workspace(find_root(State.workspace))
    except MarsError as exc:
        results.append(checks.no_workspace(exc.message, exc.hint))
    columns, under = screen().width, " " * len("warning  ")
    for result in results:  # wrapped under its text, not under the state (paths whole, to be copied)
        typer.echo("\n".join(wrap(f"{result.name}: {result.found}", columns, f"{result.state:<{len(under)}}", under,
                                  split_long=False)))
        if result.fix and result.state != checks.OK:
            typer.echo("\n".join(wrap(f"fix: {result.fix}", columns, under, under + "     ", split_long=False)))
    problems = [r for r in results if r.state != checks.OK]
    typer.echo("All is well." if not problems else
               f"{sum(r.state == 'error' for r in problems)} failure(s), "
               f"{sum(r.state == 'warning' for r in problems)} warning(s).", err=True)
    if checks.failed(results):
        raise typer.Exit(1)
