"""docs/guide.md is a story that runs: every command in it, in order, on a copy of example-workspace/,
with the output the guide shows.

The guide's commands are in ```console blocks: a line starting `$ ` is a command, the lines under it
are what it prints (stdout, then stderr, then `[exit N]` when N is not 0). `cd` changes the folder
the next commands run in; `mars ...` runs in-process; anything else (`cp`, `git`, `sed`, a
pipe) runs in bash. What differs from one run to the next is shown as a placeholder: `<folder>` for the folder
the guide starts in, `XXXX` for the random part of an ID the guide created, `<commit>` for a git
commit's hash. After an intended change (a table drawn differently, a new warning), rewrite the
outputs shown in the guide, keeping its prose and commands, and read the diff:

    MARS_UPDATE_EXPECTED=1 python -m pytest tests/test_guide.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

from mars_cli.model import dates

GUIDE = ROOT / "docs" / "guide.md"
TODAY = dt.date(2026, 2, 16)  # the example's pinned day; only a new workspace without as_of reads it
BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.S | re.M)

# The tasks the guide must walk through (issue 12): each is a `## ` section whose title starts so.
TASKS = [
    "Set up a workspace for your partnership",
    "Record endorsements",
    "Run an agency assurance event",
    "Run a thematic event and its SPLIG action plan",
    "Track, update and extend actions",
    "Prepare the Board pack",
    "Produce, check and publish the yearly report",
    "Change a rule when the framework is republished",
    "When `check` reports an error",
]


@dataclass
class Step:
    command: str
    shown: str  # the output the guide shows


def parse(text: str) -> list[list[Step]]:
    """The guide's console blocks, each a list of commands with the output shown under each."""
    blocks = []
    for match in BLOCK.finditer(text):
        steps: list[Step] = []
        for line in match.group(1).splitlines(keepends=True):
            if line.startswith("$ "):
                steps.append(Step(line[2:].rstrip("\n"), ""))
            else:
                assert steps, f"docs/guide.md: output before any command in a console block: {line!r}"
                steps[-1].shown += line
        blocks.append(steps)
    return blocks


def render(text: str, blocks: list[list[Step]], outputs: list[list[str]]) -> str:
    """The guide with each block's outputs replaced: prose and commands kept as they are."""
    pairs = iter(zip(blocks, outputs))

    def replace(match: re.Match) -> str:
        steps, outs = next(pairs)
        return "```console\n" + "".join(f"$ {step.command}\n{out}" for step, out in zip(steps, outs)) + "```\n"

    return BLOCK.sub(replace, text)


class Story:
    """Runs the guide's commands in order in a folder holding a copy of example-workspace/."""

    def __init__(self, home: Path, mars):
        self.home = home
        self.cwd = home
        self.mars = mars
        self.new_ids: set[str] = set()
        self.known = self._record_files()

    def run(self, command: str) -> str:
        args = shlex.split(command)
        if args[0] == "cd":
            self.cwd = (self.cwd / args[1]).resolve()
            assert self.cwd.is_dir(), f"docs/guide.md: cd to a folder that is not there: {command}"
            return ""
        if args[0] == "mars" and not set("|<>;&") & set(command):
            result = self.mars(*args[1:], cwd=self.cwd)
            code, out = result.code, result.out + result.err
        else:
            path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # this mars, in a pipe
            done = subprocess.run(["bash", "-c", command], cwd=self.cwd, capture_output=True, text=True,
                                  env={**os.environ, "PATH": path})
            code, out = done.returncode, done.stdout + done.stderr
        self._learn_new_ids()
        if out and not out.endswith("\n"):
            out += "\n"
        return self.placeholders(out + (f"[exit {code}]\n" if code else ""))

    def _record_files(self) -> set[str]:
        """The IDs of the record files below the guide's folder (a copied workspace's are not new)."""
        return {path.stem for path in self.home.rglob("records/**/*.md")}

    def _learn_new_ids(self) -> None:
        now = self._record_files()
        self.new_ids |= now - self.known
        self.known |= now

    def _commits(self) -> list[str]:
        found = []
        for git_dir in self.home.rglob(".git"):
            done = subprocess.run(["git", "rev-list", "--all"], cwd=git_dir.parent, capture_output=True, text=True)
            found += done.stdout.split()
        return found

    def placeholders(self, text: str) -> str:
        """What changes from run to run as placeholders; trailing spaces dropped (editors drop them)."""
        text = "".join(line.rstrip() + "\n" for line in text.splitlines())
        text = text.replace(str(self.home), "<folder>")
        for commit in self._commits():
            text = re.sub(rf"\b{commit[:7]}[0-9a-f]*\b", "<commit>", text)
        for new_id in sorted(self.new_ids, key=len, reverse=True):  # whole IDs: no word is touched by chance
            text = text.replace(new_id, new_id[:-4] + "XXXX")
        return text


def test_the_guide_has_a_section_for_each_task():
    titles = re.findall(r"^## (.+)$", GUIDE.read_text(encoding="utf-8"), re.M)
    missing = [task for task in TASKS if not any(title.startswith(task) for title in titles)]
    assert not missing, f"docs/guide.md has no section for: {missing}"


def test_the_guide_names_the_exit_codes():
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## When `check` reports an error", 1)[1]
    for code in ("0", "1", "2", "3", "130"):
        assert re.search(rf"^\| `{code}` \|", section, re.M), f"exit code {code} is not in the guide's table"


def test_every_command_in_the_guide_prints_what_the_guide_shows(tmp_path, mars, monkeypatch):
    """The story, run: a newcomer following the guide sees what it shows, without an error it does
    not explain."""
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    monkeypatch.setenv("COLUMNS", "160")  # as piped output is drawn; a terminal fits its own width
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))  # no developer's settings
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    home = tmp_path / "mars"
    home.mkdir()
    shutil.copytree(ROOT / "example-workspace", home / "example-workspace", ignore=shutil.ignore_patterns("build", ".mars"))
    text = GUIDE.read_text(encoding="utf-8")
    blocks = parse(text)
    assert sum(len(steps) for steps in blocks) >= 40, "the guide's commands were not found"
    story = Story(home, mars)
    outputs = [[story.run(step.command) for step in steps] for steps in blocks]
    if os.environ.get("MARS_UPDATE_EXPECTED"):
        GUIDE.write_text(render(text, blocks, outputs), encoding="utf-8")
        return
    differ = [(step.command, step.shown, out) for steps, outs in zip(blocks, outputs)
              for step, out in zip(steps, outs) if step.shown != out]
    assert not differ, ("docs/guide.md shows other output than its commands print (after an intended change, "
                        "MARS_UPDATE_EXPECTED=1 python -m pytest tests/test_guide.py rewrites it: read the diff).\n"
                        + "\n".join(f"$ {c}\n--- the guide shows\n{s}--- it prints\n{o}" for c, s, o in differ[:3]))


def test_placeholders_cover_what_changes_between_runs(tmp_path, mars):
    """An ID the story created, a commit and the folder become placeholders; other words stay."""
    home = tmp_path / "h"
    (home / "ws" / "records" / "x").mkdir(parents=True)
    story = Story(home, mars)
    (home / "ws" / "records" / "x" / "ae-2026-02-16-rdash-k7f2.md").write_text("x")
    story._learn_new_ids()
    subprocess.run(["git", "init", "-q", str(home / "ws")], check=True)
    subprocess.run(["git", "-C", str(home / "ws"), "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    commit = subprocess.run(["git", "-C", str(home / "ws"), "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    shown = story.placeholders(f"{home}/ws ae-2026-02-16-rdash-k7f2 k7f2x commit {commit[:9]} and {commit}\n")
    assert shown == "<folder>/ws ae-2026-02-16-rdash-XXXX k7f2x commit <commit> and <commit>\n"
