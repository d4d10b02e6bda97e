"""Every command: help with an example, and the exit-code contract."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from mars_cli.cli.main import command


def registered() -> dict[str, list[str]]:
    """The commands the app itself has: name -> its subcommands (a group) or []."""
    return {name: sorted(getattr(sub, "commands", {})) for name, sub in sorted(command().commands.items())}


COMMANDS = [name for name, subs in registered().items() if not subs]
GROUPS = {name: subs for name, subs in registered().items() if subs}
MARS = re.compile(r"(?<![\w.-])mars\s+(?:(?:-w|--workspace)\s+\S+\s+)?([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?")


def documented() -> set[str]:
    """Every `mars COMMAND` (or `mars GROUP COMMAND`) in the README's code: its fenced blocks (the tour
    among them) and its `inline code`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", readme, re.DOTALL)
    inline = re.findall(r"`([^`\n]+(?:\n[^`\n]+)?)`", re.sub(r"```.*?```", "", readme, flags=re.DOTALL))
    found = set()
    for code in [*blocks, *inline]:
        for first, second in MARS.findall(code):
            found.add(f"{first} {second}" if first in GROUPS and second else first)
    return found


def test_commands_are_the_documented_ones():
    """Every command the app registers is in the README, and every `mars X` the README shows is one
    (`mars action` names the group of `mars action add`, `extend` and `update`)."""
    commands = {*COMMANDS, *GROUPS} | {f"{group} {name}" for group, names in GROUPS.items() for name in names}
    assert "check" in commands and "action add" in commands  # the walk found the app's commands
    assert commands - documented() == set(), "registered but not in the README"
    assert documented() - commands == set(), "in the README but not a command"


@pytest.mark.parametrize("words", [f"{group} {name}" for group, names in GROUPS.items() for name in names])
def test_every_subcommand_has_help_with_an_example(mars, words):
    result = mars(*words.split(), "--help")
    assert result.code == 0 and f"Example: mars {words} " in result.out


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(mars, name):
    result = mars(name, "--help")
    assert result.code == 0
    assert "Example: mars " in result.out


def test_top_level_help_and_version(mars):
    assert "Example: mars -w example-workspace check" in mars("--help").out
    assert mars("--version").out.startswith("mars ")


def test_usage_errors_exit_2(mars):
    result = mars("check", "--bogus")
    assert result.code == 2 and "No such option: --bogus" in result.err
    result = mars("check", "--format", "jsn")
    assert result.code == 2
    assert "--format 'jsn' is not one of: text, json" in result.err and "Did you mean 'json'?" in result.err


def test_workspace_option_is_accepted_after_the_command(workspace_with, mars):
    root = workspace_with()
    assert mars("check", "-w", root).code == 0
    assert mars("check", f"--workspace={root}").code == 0


def test_unexpected_error_exits_3_with_log_and_no_traceback(workspace_with, mars, monkeypatch, tmp_path):
    root = workspace_with()

    def boom(*args, **kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr("mars_cli.rules.run_rules", boom)
    result = mars("-w", root, "check")
    assert result.code == 3
    assert "Traceback" not in result.text
    assert "unexpected error (RuntimeError: simulated fault)" in result.err
    logs = list((tmp_path / "state" / "mars" / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in result.err
    assert logs[0].stat().st_mode & 0o777 == 0o600  # it may quote sensitive titles: this user only
    assert "Traceback" in logs[0].read_text() and "simulated fault" in logs[0].read_text()


def test_ctrl_c_exits_130(workspace_with, mars, monkeypatch):
    root = workspace_with()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("mars_cli.rules.run_rules", interrupted)
    result = mars("-w", root, "check")
    assert result.code == 130
    assert "Traceback" not in result.text


def test_impossible_paths_exit_2_not_3(mars, tmp_path):
    long_name = tmp_path / ("x" * 300)
    for args in (["init", long_name], ["-w", long_name, "check"]):
        result = mars(*args)
        assert result.code == 2 and "Traceback" not in result.text
        assert "File name too long" in result.err or "cannot use" in result.err or "not a mars" in result.err
