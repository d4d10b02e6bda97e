"""Output cannot forge CI commands or drive the terminal: one hostile title, owner, note and file name
pushed through every read command in every format.

The title and the note hold escape sequences (clear the screen, retitle the window), a bell and a line
break followed by a GitHub workflow command; the owner is the one of the issue
(`nobody\\n::error file=mars.yaml,line=1::Forged`); the file name holds an escape sequence, a
command substitution and a backtick. No output may drive a terminal, and no line of it may start with
`::` unless `--format github` wrote it (one well-formed command per item or finding).
"""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
from conftest import record

AS_OF = "2026-02-16"
PLAN_ID = "ap-2025-07-01-hostile-plan-aaaa"
PLAN_DIR = f"records/action-plan/2025-26/{PLAN_ID}"
ACTION_ID = "act-2025-07-01-hostile-aaaa"
FORGED = "::error file=mars.yaml,line=1::Forged"
TITLE_YAML = '"Late \\e[2J\\e]0;pwned\\a\\n' + FORGED + ' `tick`"'
OWNER_YAML = '"nobody\\n' + FORGED + '"'
NOTE_YAML = '"half done\\e[31m\\n' + FORGED + '"'
HOSTILE_FILE = "records/voice/2025-26/voice-$(touch PWNED)-\x1b[2J`x`.md"
DRIVES_A_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
GITHUB_COMMAND = re.compile(r"^::(error|warning|notice) file=[^,:\n]+(,line=\d+)?,title=[^:\n]*::[^\n]*$")


def hostile_workspace(workspace_with):
    plan = record("action-plan", PLAN_ID, "2025-07-01", status="draft", title=TITLE_YAML, owner=OWNER_YAML)
    action = record("action", ACTION_ID, "2025-07-01", status="in-progress", title=TITLE_YAML, owner="council-cs",
                    due="2026-01-01", more=f"""\
                        updates:
                          - {{date: 2025-09-01, by: officer-1, note: {NOTE_YAML}}}
                        """)
    voice = record("voice", "voice-2025-06-01-forum-aaaa", status="held", title=TITLE_YAML, owner=OWNER_YAML)
    return workspace_with({f"records/action-plan/2025-26/{PLAN_ID}.md": plan, f"{PLAN_DIR}/{ACTION_ID}.md": action,
                           HOSTILE_FILE: voice})


FEEDS = ("table", "json", "csv", "markdown", "github", "junit", "ics")
COMMANDS = [
    ["check"], ["check", "--format", "json"], ["check", "--format", "github"], ["check", "--format", "junit"],
    ["list"], ["list", "--format", "json"], ["list", "--format", "csv"],
    *(["overdue", "--format", f] for f in FEEDS), *(["due", "--within", "400d", "--format", f] for f in FEEDS),
    ["status"], ["status", "--format", "json"], ["status", "--format", "markdown"],
    ["show", PLAN_ID], ["show", ACTION_ID], ["show", "forum-aaaa"], ["show", ACTION_ID, "--format", "json"],
]


@pytest.mark.parametrize("at_a_terminal", [False, True], ids=["piped", "terminal"])
def test_hostile_values__no_output_drives_a_terminal_or_forges_a_workflow_command(
        at_a_terminal, workspace_with, mars, monkeypatch):
    root = hostile_workspace(workspace_with)
    if at_a_terminal:
        monkeypatch.setenv("TTY_COMPATIBLE", "1")
        monkeypatch.setenv("COLUMNS", "100")
    for args in COMMANDS:
        result = mars("-w", root, *args, "--as-of", AS_OF)
        shown = f"mars {' '.join(args)} -> {result.code}\n{result.text}"
        assert result.code in (0, 1), shown
        for stream in (result.out, result.err):
            assert not DRIVES_A_TERMINAL.search(stream.replace("\r\n", "\n")), shown
            commands = [line for line in stream.splitlines() if line.lstrip().startswith("::")]
            if "github" in args and stream is result.out:
                assert all(GITHUB_COMMAND.match(line) for line in commands), shown
                assert len(commands) == len(stream.splitlines()), shown
            else:
                assert not commands, shown


def test_hostile_values__the_github_check_step_writes_one_command_per_finding(workspace_with, mars):
    root = hostile_workspace(workspace_with)
    result = mars("-w", root, "check", "--verify-signoffs", "--format", "github", "--as-of", AS_OF)
    lines = result.out.splitlines()
    assert lines and all(GITHUB_COMMAND.match(line) for line in lines), result.out
    properties = [line.split("::")[1] for line in lines]  # `error file=...,line=...,title=...`
    assert not any("mars.yaml" in p for p in properties), result.out


def test_hostile_values__the_text_check_of_the_weekly_workflow_prints_no_command(workspace_with, mars):
    root = hostile_workspace(workspace_with)
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert "Forged" in result.out  # it is shown, as text on the line of its finding
    assert not [line for line in result.out.splitlines() if line.startswith("::")], result.out


def test_git_mv_hint__quotes_the_paths_so_pasting_it_runs_nothing(workspace_with, mars, tmp_path):
    root = hostile_workspace(workspace_with)
    result = mars("-w", root, "check", "--format", "json", "--as-of", AS_OF)
    import json

    hints = [f["hint"] for f in json.loads(result.out)["findings"] if f["code"] == "wrong-place"]
    assert hints, result.out
    command = re.search(r"`(git mv .*)` \(its kind", hints[0]).group(1)
    assert shlex.split(command)[3] == HOSTILE_FILE  # the path, whole, as one word
    scratch = tmp_path / "paste"
    scratch.mkdir()
    subprocess.run(["sh", "-c", command.replace("git mv", "echo", 1)], cwd=scratch, capture_output=True)
    assert not (scratch / "PWNED").exists()


def test_hostile_file_name__text_check_shows_it_inert(workspace_with, mars):
    root = hostile_workspace(workspace_with)
    out = mars("-w", root, "check", "--as-of", AS_OF).out
    assert "voice-$(touch PWNED)-\ufffd[2J`x`.md" in out and "\x1b" not in out


HOSTILE_ARG = "Late \x1b[2J\x1b]0;pwned\x07\n" + FORGED


@pytest.mark.parametrize("args", [
    ["new", "voice", "--title", HOSTILE_ARG, "--owner", "officer-1", "--date", "2026-01-10"],
    ["new", "voice", "--title", "Fine", "--owner", HOSTILE_ARG],
    ["action", "update", ACTION_ID, "--note", HOSTILE_ARG, "--by", "officer-1"],
    ["action", "update", ACTION_ID, "--note", "ok", "--by", HOSTILE_ARG],
    ["action", "add", PLAN_ID, "--action", HOSTILE_ARG, "--owner", "council-cs", "--due", "2026-06-30"],
    ["set", PLAN_ID, f"owner={HOSTILE_ARG}"],
    ["show", HOSTILE_ARG],
    ["step", PLAN_ID, "agreed", "--done", "--note", HOSTILE_ARG],
], ids=["new-title", "new-owner", "update-note", "update-by", "add-title", "set-owner", "show-id", "step-note"])
def test_hostile_arguments__what_writing_commands_say_is_inert(args, workspace_with, mars):
    root = hostile_workspace(workspace_with)
    result = mars("-w", root, *args, "--as-of", AS_OF)
    assert result.code in (0, 1, 2), result.text
    for stream in (result.out, result.err):
        assert not DRIVES_A_TERMINAL.search(stream), result.text
        assert not [line for line in stream.splitlines() if line.lstrip().startswith("::")], result.text
