"""`mars doctor`: each check on a real machine and a real workspace, and each failure with its fix."""

from __future__ import annotations

import os
import sys

import mars_cli.documents.pandoc


def lines(result) -> dict[str, str]:
    """Each check's line by its name (its wrapped lines joined again), with the fix line under it joined on."""
    out: dict[str, str] = {}
    last = ""
    for line in result.out.splitlines():
        if line.startswith(" "):
            out[last] += ("\n" if line.strip().startswith("fix:") else " ") + line.strip()
            continue
        state, rest = line.split(None, 1)
        last = rest.split(":", 1)[0]
        out[last] = f"{state} {rest}"
    return out


def test_doctor__passes_in_a_committed_workspace(workspace_with, mars):
    root = workspace_with(commit=True)
    result = mars("-w", root, "doctor")
    assert result.code == 0, result.text
    found = lines(result)
    assert list(found) == ["Python", "git", "second processor", "pandoc", "Typst", "fonts", "mars.yaml",
                           "build folder", "cache", "git repository", "uncommitted changes"]
    assert all(line.startswith("ok ") for line in found.values()), result.out
    assert found["pandoc"].startswith("ok pandoc: pandoc 3.") and "pypandoc" in found["pandoc"]
    assert "typst 0.15.2" in found["Typst"] and "DejaVu Sans" in found["fonts"]
    assert "All is well." in result.err


def test_doctor__lines_wrap_under_their_text_at_80_columns(workspace_with, mars, monkeypatch, tmp_path):
    """At 80 columns a long line goes on under its text (9 columns in), not under `ok`, and never past
    80 but for a path that is longer than the room left (kept whole, to be copied)."""
    monkeypatch.setenv("COLUMNS", "80")
    for result in (mars("-w", workspace_with(commit=True), "doctor"), mars("doctor", cwd=tmp_path)):
        wrapped = [line for line in result.out.splitlines() if line.startswith(" ")]
        assert wrapped, result.out  # the fonts', the cache's, the workspace's lines are longer than 80
        assert all(line.startswith(" " * 9) and line[9] != " " or line.startswith(" " * 9 + "     ")
                   for line in wrapped), result.out
        assert all(len(line) <= 80 or len(line.split()) == 1 or "/" in line.split()[-1] for line in
                   result.out.splitlines()), result.out
    assert "fix: Run the command inside a workspace" in result.out


def test_doctor__passes_outside_a_workspace_with_a_warning(mars, tmp_path):
    result = mars("doctor", cwd=tmp_path)
    assert result.code == 0, result.text
    assert lines(result)["workspace"].startswith("warning workspace: not checked: no mars workspace here")
    assert "`mars init`" in lines(result)["workspace"]


def test_doctor__warns_outside_git_and_on_uncommitted_changes(workspace_with, mars, tmp_path):
    root = workspace_with()  # files not committed
    result = mars("-w", root, "doctor")
    found = lines(result)
    assert found["uncommitted changes"].startswith("warning uncommitted changes: 1 file(s) with changes not yet "
                                                   "committed (mars.yaml)"), result.text
    assert "fix: See them with `git status`" in found["uncommitted changes"]
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "mars.yaml").write_text((root / "mars.yaml").read_text())
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path)  # not the repository the tests run in
    try:
        result = mars("-w", plain, "doctor")
    finally:
        del os.environ["GIT_CEILING_DIRECTORIES"]
    assert result.code == 0, result.text
    assert lines(result)["git repository"].startswith("warning git repository: ")
    assert f"fix: Run `git init` in {plain.resolve()}" in lines(result)["git repository"]


def test_doctor__fails_when_mars_yaml_has_errors(workspace_with, mars):
    root = workspace_with(config="partnership: [unclosed\n")
    result = mars("-w", root, "doctor")
    assert result.code == 1
    assert lines(result)["mars.yaml"].startswith("error mars.yaml: ")
    assert "fix: " in lines(result)["mars.yaml"]
    root = workspace_with(config="partnership: X\npartners:\n  - id: a\nagencies: []\npeople: []\n")
    result = mars("-w", root, "doctor")
    assert result.code == 1 and "fix: Run `mars check`" in lines(result)["mars.yaml"]


def test_doctor__fails_when_build_cannot_be_written(workspace_with, mars):
    root = workspace_with({"build": "a file where the folder should be\n"}, commit=True)
    result = mars("-w", root, "doctor")
    assert result.code == 1
    assert lines(result)["build folder"].startswith(f"error build folder: {root / 'build'} cannot be written")
    assert "1 failure(s), 0 warning(s)." in result.err


def test_doctor__fails_when_git_is_missing(workspace_with, mars, monkeypatch, tmp_path):
    root = workspace_with(commit=True)
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = mars("-w", root, "doctor")
    assert result.code == 1
    assert "error git: git is not installed" in lines(result)["git"]
    assert "fix: Install git" in lines(result)["git"]


def test_doctor__fails_when_pandoc_does_not_run(workspace_with, mars, monkeypatch, tmp_path):
    broken = tmp_path / "pandoc"
    broken.write_text("not a program\n")
    monkeypatch.setattr(mars_cli.documents.pandoc, "executable", lambda: str(broken))
    result = mars("-w", workspace_with(commit=True), "doctor")
    assert result.code == 1
    assert lines(result)["pandoc"].startswith(f"error pandoc: pandoc at {broken} does not run")
    assert "fix: Reinstall mars" in lines(result)["pandoc"]


def test_doctor__fails_when_a_font_the_papers_use_is_missing(workspace_with, mars, monkeypatch, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "paper.typ").write_text('#set text(font: "DejaVu Sans")\n#set text(font: "No Such Sans")\n')
    monkeypatch.setattr(mars_cli.documents.pandoc, "TEMPLATES", templates)
    result = mars("-w", workspace_with(commit=True), "doctor")
    assert result.code == 1
    assert lines(result)["fonts"].startswith("error fonts: No Such Sans not found in ")
    assert "fix: Reinstall mars" in lines(result)["fonts"]



def test_doctor__says_whether_the_cache_works_and_why_not(workspace_with, mars, monkeypatch, tmp_path):
    root = workspace_with(commit=True)
    result = mars("-w", root, "doctor")
    assert f"ok       cache: on: {root / '.mars' / 'cache'}" in result.out
    monkeypatch.setenv("MARS_NO_CACHE", "1")
    assert "warning  cache: off (MARS_NO_CACHE is set)" in mars("-w", root, "doctor").out
    monkeypatch.delenv("MARS_NO_CACHE")
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    result = mars("-w", root, "doctor")
    assert "warning  cache: off: mars cannot keep the key that signs it" in result.out
    assert result.code == 0  # a warning: every command still works


def test_doctor__says_whether_a_second_process_shares_a_first_check(workspace_with, mars, monkeypatch):
    from mars_cli.store import parallel

    root = workspace_with(commit=True)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(parallel, "_cgroup_quota", lambda: None)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv(parallel.ON, raising=False)
    assert lines(mars("-w", root, "doctor"))["second processor"].startswith("ok second processor: on: 2 processors")
    monkeypatch.setenv(parallel.ON, "0")
    assert "off: MARS_PARALLEL is set to '0'" in lines(mars("-w", root, "doctor"))["second processor"]
    monkeypatch.delenv(parallel.ON)
    monkeypatch.setattr(parallel, "_cgroup_quota", lambda: 1.0)  # a container given one CPU's time
    assert "off: this machine (or container) gives mars one processor" in lines(mars("-w", root, "doctor"))["second processor"]
    monkeypatch.setattr(sys, "platform", "darwin")
    assert "off: only on Linux" in lines(mars("-w", root, "doctor"))["second processor"]
