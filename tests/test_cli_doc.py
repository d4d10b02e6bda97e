"""docs/cli.md is the reference of every command and option, generated from the app itself (its
click command tree, as `mars --help` reads it), so it cannot drift. Regenerate it with:

    python tests/test_cli_doc.py

A test fails when it is stale, and when a command has no help, an option no help, or a command's
help no `Example: mars <the command>` line.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

HEADER = """\
# The `mars` command reference

Generated from the app by `python tests/test_cli_doc.py`; a test fails when this file is out of
date, and when a command lacks help or an example naming itself. `mars COMMAND --help` (or `-h`)
prints the same at a terminal. For the tasks these commands serve, step by step, see the
[task guide](guide.md); for what the records and rules mean, the [README](../README.md).

`-w PATH` (the workspace), `--width`, `--no-color` and `-q` may come before or after the command.
Every command ends with one of these exit codes: 0 ok, 1 findings or refused (nothing written), 2
usage or configuration, 3 an unexpected error (a bug in `mars`: a short message, and the details in
a log file whose path it prints), 130 interrupted.
"""


def commands():
    """(words, click command, click context) for `mars` and every command and subcommand under it,
    in the order `mars --help` lists them."""
    from mars_cli.cli.main import command

    root = command()
    found = []

    def walk(cmd, ctx, words):
        found.append((words, cmd, ctx))
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, type(ctx)(sub, info_name=name, parent=ctx), [*words, name])

    walk(root, type(root).context_class(root, info_name="mars"), [])
    return found


def _split_help(text: str) -> tuple[str, str]:
    """The help's description and its example (the paragraph starting `Example:`, as one line)."""
    paragraphs = [p.strip() for p in (text or "").strip().split("\n\n")]
    examples = [p for p in paragraphs if p.startswith("Example:")]
    description = "\n\n".join(p for p in paragraphs if not p.startswith("Example:"))
    example = " ".join(examples[0].removeprefix("Example:").split()) if examples else ""
    return description, example


def _params(cmd, ctx) -> list[tuple[str, str]]:
    """(the option as `--help` shows it, its help) for each argument and option but --help."""
    rows = []
    for param in cmd.get_params(ctx):
        if param.name == "help":
            continue
        record = param.get_help_record(ctx)
        if record:
            rows.append((record[0], record[1]))
    return rows


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def section(words: list[str], cmd, ctx) -> str:
    name = " ".join(["mars", *words])
    description, example = _split_help(cmd.help)
    usage = cmd.get_usage(ctx).removeprefix("Usage: ")
    lines = [f"## `{name}`", "", description, "", f"Usage: `{usage}`", ""]
    rows = _params(cmd, ctx)
    if rows:
        lines += ["| option | what it is |", "| --- | --- |"]
        lines += [f"| `{_cell(opts)}` | {_cell(text)} |" for opts, text in rows]
        lines.append("")
    subcommands = getattr(cmd, "commands", None) or {}
    if subcommands:
        lines += ["Commands: " + ", ".join(f"[`{name} {sub}`](#{_anchor([*words, sub])})" for sub in subcommands), ""]
    lines += ["Example:", "", "```sh", example, "```", ""]
    return "\n".join(lines)


def generate() -> str:
    found = commands()
    contents = ["## Contents", ""] + [f"- [`{' '.join(['mars', *w])}`](#{_anchor(w)})" for w, _, _ in found]
    return "\n".join([HEADER, *contents, "", *(section(w, c, x) for w, c, x in found)]).rstrip("\n") + "\n"


def _anchor(words: list[str]) -> str:
    """GitHub's anchor for a `## `mars x y`` heading."""
    return "-".join(["mars", *words])


def test_cli_reference_is_current():
    assert DOC.read_text(encoding="utf-8") == generate(), "docs/cli.md is stale: run `python tests/test_cli_doc.py`"


def test_the_reference_covers_every_command_and_option():
    doc = DOC.read_text(encoding="utf-8")
    found = commands()
    assert len(found) > 25 and any(w == ["action", "add"] for w, _, _ in found)  # the walk found subcommands
    for words, cmd, ctx in found:
        assert f"## `{' '.join(['mars', *words])}`" in doc
        for opts, _ in _params(cmd, ctx):
            assert f"`{_cell(opts)}`" in doc


def help_problems(words: list[str], cmd, ctx) -> list[str]:
    """What the command's help lacks: a description, an example naming it, help for each option."""
    name = " ".join(["mars", *words])
    description, example = _split_help(cmd.help)
    problems = [] if description else [f"{name}: no help"]
    if not (example + " ").startswith(f"{name} "):
        problems.append(f"{name}: no `Example: {name} ...` line in its help")
    return problems + [f"{name} {opts}: no help" for opts, text in _params(cmd, ctx)
                       if not text.strip() or text.strip().startswith("[")]


def test_every_command_has_help_and_an_example_naming_itself():
    problems = [problem for found in commands() for problem in help_problems(*found)]
    assert not problems, "\n".join(problems)


def test_a_missing_example_or_option_help_is_named():
    """The check above can fail: no help, an example of another command, an option without help."""
    import typer
    import typer.main

    def problems(help_text, year_help="The reporting year."):
        app = typer.Typer()

        def list_(year: str = typer.Option(None, "--year", help=year_help)) -> None:
            pass

        list_.__doc__ = help_text
        app.command("list")(list_)
        cmd = typer.main.get_command(app)
        return help_problems(["list"], cmd, type(cmd).context_class(cmd, info_name="list"))

    assert problems("List records.\n\nExample: mars list --year 2025-26") == []
    assert problems("List records.\n\nExample: mars check") == ["mars list: no `Example: mars list ...` line in its help"]
    assert problems("\n\nExample: mars list") == ["mars list: no help"]
    assert problems("List records.\n\nExample: mars list", year_help="") == ["mars list --year <str>: no help"]


if __name__ == "__main__":
    DOC.write_text(generate(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
