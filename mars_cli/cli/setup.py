"""Commands that set things up: init, kinds."""

from __future__ import annotations

from pathlib import Path

import typer

from mars_cli.cli.app import app
from mars_cli.cli.options import processes_here
from mars_cli.framework import kinds


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
    spec = kinds.lookup(kind, parts_too=True)
    part = f" (part of {kinds.get(spec.part_of).a})" if spec.part_of else ""
    typer.echo(f"{spec.name}: {spec.label}{part}")
    typer.echo(f"  from: {spec.framework}")
    typer.echo(f"  statuses: {' -> '.join(spec.statuses)}")
    typer.echo(f"  --date sets: {spec.date_field}")
    typer.echo("  fields:")
    for field in spec.fields.values():
        values = f" ({', '.join(field.values)})" if field.values else ""
        required = " required" if field.required else ""
        typer.echo(f"    {field.name}: {field.type}{values}{required}" + (f"  - {field.help}" if field.help else ""))
    from mars_cli.framework.processes import signer_words as process_words

    process = processes_here()[0].get(spec.name)
    if process is None or not process.steps:
        return
    typer.echo(f"  process (led by {process.lead or 'the MARS team'}); steps, for `mars step ID STEP --done`:")
    for step in process.steps.values():
        notes = [f"due {step.due}" + (" (should)" if step.strength == "should" else "")] if step.due else []
        notes += [f"needs {', '.join(step.needs)}"] if step.needs else []
        notes += [f"done by sign-off '{step.approval}'"] if step.approval else []
        notes += [f"sets {step.field}"] if step.field else []
        notes += ["optional"] if step.optional else []
        status = f" -> {step.status}" if step.status else ""
        typer.echo(f"    {step.name}: {step.label}{status}" + (f"  [{'; '.join(notes)}]" if notes else ""))
    if process.approvals:
        typer.echo("  sign-offs, for `mars signoff ID --for NAME --by PERSON --as ROLE`:")
        for approval in process.approvals.values():
            signers = " and ".join(process_words(s) for s in approval.signers)
            typer.echo(f"    {approval.name}: {approval.what}, by {signers}")
