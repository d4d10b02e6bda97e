"""Leftovers and merges are named (issue 13, point 5): a temporary file a killed write left is reported
by `check` and deleted by `mars tidy`; a temporary file is private until it is renamed into place, then
has the record's own mode; git's conflict markers are an unresolved merge conflict at their line, not a
YAML error. (Two actions of one plan with the same text: the breach case action.same-title.)"""

from __future__ import annotations

import os
import stat

from conftest import record, snapshot
from test_unreadable import AS_OF, BROKEN_ACTION, BROKEN_ID, GOOD, GOOD_ID, PLAN_DIR

from mars_cli.store import files

LEFTOVER = f"{PLAN_DIR}/.{GOOD_ID}.md.k3j_9xqa.tmp"


def test_leftover__check_names_each_temporary_file_a_stopped_write_left(workspace_with, mars):
    root = workspace_with({**GOOD, LEFTOVER: GOOD[f"{PLAN_DIR}/{GOOD_ID}.md"].replace("Good and late", "Changed")})
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert f"{LEFTOVER}:1: warning leftover-temp-file a temporary file left by a write that was stopped before " \
           f"it finished: a copy of {PLAN_DIR}/{GOOD_ID}.md as that write would have left it" in result.out, result.out
    assert "Run `mars tidy` to delete such files" in result.out


def test_tidy__deletes_the_leftovers_and_nothing_else(workspace_with, mars):
    root = workspace_with({**GOOD, LEFTOVER: "a copy\n", "records/notes.tmp": "mine\n"})
    before = snapshot(root)
    listed = mars("-w", root, "tidy", "--dry-run")
    assert listed.code == 0 and listed.out == f"would delete {LEFTOVER}\n", listed.text
    assert snapshot(root) == before
    result = mars("-w", root, "tidy")
    assert result.code == 0 and result.out == f"deleted {LEFTOVER}\n", result.text
    assert "Deleted 1 temporary file." in result.err
    del before[LEFTOVER]
    assert snapshot(root) == before
    again = mars("-w", root, "tidy")
    assert again.out == "" and "No temporary files left by stopped writes." in again.err
    assert "leftover-temp-file" not in mars("-w", root, "check", "--as-of", AS_OF).out


def test_write_atomic__the_temporary_file_is_private_until_it_is_in_place(tmp_path, monkeypatch):
    target = tmp_path / "record.md"
    target.write_text("old\n")
    target.chmod(0o640)
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append(stat.S_IMODE(os.stat(src).st_mode))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    files.write_atomic(target, "new\n")
    assert seen == [0o600]  # nobody else could read the copy before the rename
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "new\n"  # the record's own mode
    assert files.leftovers(tmp_path) == []


def test_write_atomic__a_new_file_gets_the_usual_mode_after_its_private_copy(tmp_path, monkeypatch):
    seen = []
    real_link = os.link

    def link(src, dst):
        seen.append(stat.S_IMODE(os.stat(src).st_mode))
        real_link(src, dst)

    monkeypatch.setattr(os, "link", link)
    umask = os.umask(0o022)
    try:
        files.write_atomic(tmp_path / "new.md", "text\n", exclusive=True)
    finally:
        os.umask(umask)
    assert seen == [0o600] and stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644


CONFLICTED = record("action", BROKEN_ID, "2025-07-01", status="in-progress", owner="council-cs", due="2025-12-01",
                    title="Conflicted").replace("due: 2025-12-01\n", (
                        "<<<<<<< HEAD\ndue: 2025-12-01\n=======\ndue: 2026-01-15\n>>>>>>> officer-2-branch\n"))


def test_merge_conflict__markers_in_the_front_matter_are_named_at_their_line(workspace_with, mars):
    root = workspace_with({**GOOD, BROKEN_ACTION: CONFLICTED})
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert result.code == 1
    assert f"{BROKEN_ACTION}:9: error merge-conflict the file has an unresolved merge conflict" in result.out, result.out
    assert "yaml-syntax" not in result.out and "not valid YAML" not in result.out
    overdue = mars("-w", root, "overdue", "--as-of", AS_OF)
    assert f"{BROKEN_ACTION}:9: the file has an unresolved merge conflict" in overdue.err


def test_merge_conflict__markers_in_the_body_are_named_too(workspace_with, mars):
    text = record("action", BROKEN_ID, "2025-07-01", status="in-progress", owner="council-cs", due="2026-12-01",
                  body="# Notes\n\n<<<<<<< HEAD\nOurs.\n=======\nTheirs.\n>>>>>>> other\n")
    root = workspace_with({**GOOD, BROKEN_ACTION: text})
    result = mars("-w", root, "check", "--as-of", AS_OF)
    line = text.splitlines().index("<<<<<<< HEAD") + 1
    assert f"{BROKEN_ACTION}:{line}: error merge-conflict" in result.out, result.out


def test_merge_conflict__a_lone_row_of_angle_brackets_is_not_a_conflict(workspace_with, mars):
    text = record("action", BROKEN_ID, "2025-07-01", status="in-progress", owner="council-cs", due="2026-12-01",
                  body="# Notes\n\n<<<<<<< this line alone is just text\n")
    root = workspace_with({**GOOD, BROKEN_ACTION: text})
    assert "merge-conflict" not in mars("-w", root, "check", "--as-of", AS_OF).out


def test_merge_conflict__in_mars_yaml_stops_every_command_naming_the_line(workspace_with, mars):
    from conftest import CONFIG

    lines = CONFIG.splitlines(keepends=True)
    config = "".join(lines[:3]) + "<<<<<<< HEAD\n" + lines[3] + "=======\n" + lines[3] + ">>>>>>> theirs\n" + \
        "".join(lines[4:])
    root = workspace_with(GOOD, config=config)
    result = mars("-w", root, "list")
    assert result.code == 2
    assert "mars.yaml:4: mars.yaml has an unresolved merge conflict" in result.err, result.text
