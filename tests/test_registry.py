"""`mars --help` lists the commands without importing them (cli/registry.py): the registry's lines are
the commands' own help, and a command's module is imported only when that command is asked for."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer.main
from typer.core import TyperGroup

from mars_cli.cli import registry
from mars_cli.cli.main import command

COMMAND_MODULES = {f"mars_cli.cli.{name}" for name in
                   ("agenda", "check", "steps", "records", "documents", "setup", "actions")}
# all that `mars --help` may import of mars: the app, its options, the registry and the exit codes
HELP_ONLY = {"mars_cli", "mars_cli.cli", "mars_cli.cli.main", "mars_cli.cli.app", "mars_cli.cli.registry",
             "mars_cli.model", "mars_cli.model.errors"}
LIBRARIES = ("yaml", "ruamel", "frontmatter", "rich", "pypandoc", "typst")


def defined() -> dict[str, str]:
    """Every command the command modules define (each module imported): name -> the module defining it."""
    from mars_cli.cli.app import app

    for load, _ in registry.COMMANDS.values():
        load()
    found = {info.name or typer.main.get_command_name(info.callback.__name__): info.callback.__module__
             for info in app.registered_commands}
    for group in app.registered_groups:
        found[group.name] = group.typer_instance.registered_commands[0].callback.__module__
    return found


def test_registry__names_each_command_once_with_the_module_that_defines_it():
    """A command added to a module but not to the registry (or the other way round) fails here."""
    listed = {name: load().__name__ for name, (load, _) in registry.COMMANDS.items()}
    assert listed == defined()
    assert "check" in listed and "action" in listed and len(listed) > 20


def test_registry__each_line_is_the_command_s_own_help():
    differ = [f"{name}: the registry says {line!r}, its help {command().commands[name].get_short_help_str(10**6)!r}"
              for name, (_, line) in registry.COMMANDS.items()
              if command().commands[name].get_short_help_str(10**6) != line]
    assert not differ, "correct COMMANDS in mars_cli/cli/registry.py:\n" + "\n".join(differ)


@pytest.mark.parametrize("width", [40, 80, 200])
def test_registry__the_listing_is_the_one_the_commands_themselves_give(width):
    """At any width: the registry's lines shortened as click shortens each command's own help."""
    root = command()

    def listing(format_commands) -> str:
        ctx = type(root).context_class(root, info_name="mars", terminal_width=width, max_content_width=width)
        formatter = ctx.make_formatter()
        format_commands(ctx, formatter)
        return formatter.getvalue()

    from_registry = listing(root.format_commands)
    assert from_registry.startswith("Commands:\n  overdue ")
    assert from_registry == listing(lambda ctx, formatter: TyperGroup.format_commands(root, ctx, formatter))


SCRIPT = """
import json, sys
from mars_cli.cli.main import main
code = main(sys.argv[1:])
sys.stderr.write("\\nexit " + json.dumps([code, sorted(sys.modules)]))
"""


def imported(*args: str) -> tuple[int, str, set[str]]:
    """Run `mars ARGS` in a fresh Python: its exit code, what it printed and every module it imported."""
    result = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=60)
    err, outcome = result.stderr.rsplit("\nexit ", 1)
    code, modules = json.loads(outcome)
    return code, result.stdout + err, set(modules)


@pytest.mark.parametrize("args,code", [(["--help"], 0), (["-h"], 0), ([], 2), (["--version"], 0)])
def test_help__imports_no_command_nor_yaml_nor_mars_s_core(args, code):
    exit_code, out, modules = imported(*args)
    assert exit_code == code and ("Commands:\n  overdue " in out or out.startswith("mars "))
    mars = {m for m in modules if m.split(".")[0] == "mars_cli"}
    assert mars <= HELP_ONLY, f"imported: {sorted(mars - HELP_ONLY)}"
    assert not [m for m in modules if m.split(".")[0] in LIBRARIES]


@pytest.mark.parametrize("args,module", [(["list", "--help"], "mars_cli.cli.records"),
                                         (["action", "add", "--help"], "mars_cli.cli.actions"),
                                         (["-w", "nowhere", "check"], "mars_cli.cli.check")])
def test_a_command__imports_its_own_module_only(args, module):
    _, _, modules = imported(*args)
    assert modules & COMMAND_MODULES == {module}


def test_a_mistyped_command__still_gets_did_you_mean(mars):
    result = mars("chek")
    assert result.code == 2 and "No such command 'chek'. Did you mean 'check'?" in result.err
    result = mars("action", "ad")
    assert result.code == 2 and "No such command 'ad'. Did you mean 'add'?" in result.err


def test_the_options_of_mars_itself_name_nothing_to_complete():
    """Completion is given to each command as it is built, not to `mars` itself: nothing there needs it."""
    from mars_cli.cli.complete import completer_for

    assert [p.name for p in command().params if completer_for(p)] == []
