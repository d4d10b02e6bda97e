"""Every command: help with an example, and the exit-code contract."""

from __future__ import annotations

import pytest

from mars_cli.cli.main import app, register_commands

register_commands()

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
GROUPS = {g.name: sorted(c.name for c in g.typer_instance.registered_commands) for g in app.registered_groups}


def test_commands_are_the_documented_ones():
    assert COMMANDS == ["check", "composite", "due", "highlights", "init", "iso-report", "kinds", "letter", "list", "marpf-overview", "new",
                        "olir", "overdue", "overview", "pack",
                        "report",
                        "rules", "scan", "show", "signoff",
                        "status", "step"]
    assert GROUPS == {"action": ["add", "extend", "update"]}


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
