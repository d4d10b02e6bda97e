"""The README's Quick start stays true: exactly two commands, and CI runs the test one."""

from __future__ import annotations

import re

from conftest import ROOT


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_quick_start_has_exactly_two_one_line_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "example-workspace" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = quick_start_commands()[1].replace("pip install '.[test]'", "pip install --quiet '.[test]'")
    assert test_command in ci


def test_readme_tour_commands_all_work(tmp_path, mars):
    """Every `mars` line of the tour runs on a copy of example-workspace/ (docs that cannot drift)."""
    import shlex
    import shutil

    from conftest import git

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A tour of the commands", 1)[1]
    block = re.search(r"```sh\n(.*?)```", tour, re.S).group(1)
    lines = [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith("mars ")]
    assert len(lines) >= 12
    copy = tmp_path / "example-workspace"
    shutil.copytree(ROOT / "example-workspace", copy, ignore=shutil.ignore_patterns("build", ".mars"))
    git(tmp_path, "init", "--quiet")
    for line in lines:
        args = shlex.split(line)[1:]
        if args[0] == "init":
            args[1] = str(tmp_path / args[1])
        result = mars(*args, cwd=copy)
        assert result.code == 0, f"{line}\n{result.text}"
