"""Shell completion: record IDs from file names, people, agencies and kinds from mars.yaml, installed
by `mars --install-completion`; fast on ten thousand records because no record is read."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import record

from mars_cli.model.errors import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE

MARS = Path(sys.executable).with_name("mars")  # the console script pip installed
AE = "ae-2025-06-10-police-event-2bwp"
PLAN = "ap-2025-07-01-plan-k7rt"
ACTION = "act-2025-07-01-train-staff-33e9"
FILES = {
    f"records/agency-event/2025-26/{AE}.md": record("agency-event", AE, status="proposed", agency="police-force"),
    f"records/action-plan/2025-26/{PLAN}.md": record("action-plan", PLAN, status="open", source=AE),
    f"records/action-plan/2025-26/{PLAN}/{ACTION}.md": "---\nid: x\n---\n",
    "records/board-meeting/2025-26/bm-2025-09-01-board-m3n4.md": "not even front matter\n",
}


def complete(mars, monkeypatch, line: str, cwd: Path | None = None) -> list[str]:
    """What bash is offered for the last word of `line` (completed in-process, as bash asks mars)."""
    words = line.split(" ")
    monkeypatch.setenv("_MARS_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    result = mars(*words[1:], cwd=cwd)
    monkeypatch.delenv("_MARS_COMPLETE")
    assert result.code == 0, result.text
    return result.out.split()


def test_completion__record_ids_from_file_names(workspace_with, mars, monkeypatch):
    root = workspace_with(FILES)
    assert complete(mars, monkeypatch, f"mars -w {root} show ae-") == [AE]
    assert complete(mars, monkeypatch, f"mars -w {root} show 33e") == [ACTION]  # the distinctive part
    assert complete(mars, monkeypatch, f"mars -w {root} step ") == sorted(
        [AE, PLAN, ACTION, "bm-2025-09-01-board-m3n4"])  # by name: an unreadable file is still offered
    assert complete(mars, monkeypatch, f"mars -w {root} action update ") == [ACTION]
    assert complete(mars, monkeypatch, f"mars -w {root} action add ") == [PLAN]
    assert complete(mars, monkeypatch, "mars letter ", cwd=root / "records") == [AE]  # the workspace above
    assert complete(mars, monkeypatch, f"mars show -w {root} ae-") == [AE]  # -w after the command, as mars takes it
    assert complete(mars, monkeypatch, "mars pack ", cwd=root) == ["bm-2025-09-01-board-m3n4"]


def test_completion__people_agencies_and_kinds_from_mars_yaml(workspace_with, mars, monkeypatch):
    root = workspace_with()
    assert complete(mars, monkeypatch, f"mars -w {root} new agency-event --agency t") == ["trust", "tots"]
    assert complete(mars, monkeypatch, f"mars -w {root} signoff x --by dsp-") == [
        "dsp-council", "dsp-health", "dsp-police"]
    assert complete(mars, monkeypatch, f"mars -w {root} overdue --partner ") == ["council", "health", "police"]
    assert complete(mars, monkeypatch, f"mars -w {root} overdue --owner h") == ["housing", "hill-primary"]
    assert complete(mars, monkeypatch, f"mars -w {root} new agency") == ["agency-event"]
    assert "action" in complete(mars, monkeypatch, f"mars -w {root} list ac")
    assert "action" not in complete(mars, monkeypatch, f"mars -w {root} new ac")


def test_completion__says_nothing_outside_a_workspace(mars, monkeypatch, tmp_path):
    assert complete(mars, monkeypatch, "mars show ae-", cwd=tmp_path) == []


def test_completion__ten_thousand_records_listed_without_reading_one(workspace_with, mars, monkeypatch):
    root = workspace_with()
    folder = root / "records" / "agency-event" / "2025-26"
    folder.mkdir(parents=True)
    for n in range(10_000):
        (folder / f"ae-2025-06-10-event-{n:05d}.md").touch()

    def no_reading(*args, **kwargs):
        raise AssertionError("completion read a record")

    monkeypatch.setattr("mars_cli.store.files.read_record", no_reading)
    monkeypatch.setattr("mars_cli.store.files.parse_record", no_reading)
    started = time.perf_counter()
    offered = complete(mars, monkeypatch, f"mars -w {root} show ae-2025-06-10-event-0999")
    took = time.perf_counter() - started
    assert offered == [f"ae-2025-06-10-event-0999{n}" for n in range(10)]
    assert took < 2.0, f"completion on 10,000 records took {took:.2f} s"


def test_completion__install_and_show_for_bash(workspace_with, tmp_path):
    root = workspace_with(FILES)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "PATH": f"{MARS.parent}{os.pathsep}{os.environ['PATH']}"}
    shown = subprocess.run(["bash", "-c", f"'{MARS}' --show-completion"], env=env, capture_output=True, text=True)
    assert shown.returncode == 0 and "_MARS_COMPLETE=complete_bash" in shown.stdout, shown.stderr
    installed = subprocess.run(["bash", "-c", f"'{MARS}' --install-completion"], env=env, capture_output=True,
                               text=True)
    assert installed.returncode == 0 and "bash completion installed" in installed.stdout, installed.stderr
    assert "source " in (home / ".bashrc").read_text()
    # bash itself, with what was installed, completing the four characters an officer remembers
    script = (f"source ~/.bash_completions/mars.sh; COMP_WORDS=(mars -w {root} show 2bwp); COMP_CWORD=4; "
              "_mars_completion mars; printf '%s\\n' \"${COMPREPLY[@]}\"")
    offered = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert offered.stdout.split() == [AE], offered.stderr


def test_help_gives_the_exit_codes(mars):
    text = mars("--help").out
    codes = [line.split()[0] for line in text.split("Exit codes, for every command:")[1].splitlines()[1:6]]
    assert codes == [str(c) for c in (EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNEXPECTED, EXIT_INTERRUPTED)]
    assert "mars --install-completion" in text


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion__each_shell_gets_record_ids(workspace_with, shell):
    root = workspace_with(FILES)
    env = {**os.environ, "_MARS_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": f"mars -w {root} show ae-",
           "COMP_WORDS": f"mars -w {root} show ae-", "COMP_CWORD": "4", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = subprocess.run([str(MARS)], env=env, capture_output=True, text=True)
    assert result.returncode == 0 and AE in result.stdout, result.stderr
