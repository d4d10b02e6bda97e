"""`mars` stays inside the workspace (issue 13, point 3): a symbolic link in records/ or templates/ is
never followed, for reading or writing, and each is a finding naming it, reported like any file that
could not be read (so `overdue --fail-on overdue` fails too); a write whose target or any folder above
it (up to the workspace) is a link is refused with nothing written anywhere."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import record, snapshot
from test_unreadable import AS_OF, GOOD, GOOD_ID, PLAN_DIR, PLAN_ID

VOICE_ID = "voice-2025-07-01-outside-forum-cccc"
OUTSIDE_RECORD = record("voice", VOICE_ID, "2025-07-01", status="planned", title="Outside forum")
SYMLINK_WORDS = "is a symbolic link; mars does not follow links in records/ or templates/"


def outside_folder(tmp_path, files: dict[str, str]):
    """A folder beside the workspace (not in it), holding these files."""
    folder = tmp_path / "outside"
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def check_json(mars, root):
    result = mars("-w", root, "check", "--format", "json", "--as-of", AS_OF)
    return result, json.loads(result.out)


def test_symlink__a_linked_folder_under_records_is_named_and_not_read(workspace_with, mars, tmp_path):
    outside = outside_folder(tmp_path, {f"{VOICE_ID}.md": OUTSIDE_RECORD})
    root = workspace_with(GOOD)
    (root / "records/voice").mkdir(parents=True)
    os.symlink(outside, root / "records/voice/2025-26")
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert result.code == 1, result.text
    assert f"records/voice/2025-26:1: error symlink this {SYMLINK_WORDS}" in result.out
    assert "in 2 records" in result.out  # the plan and its action; nothing from outside
    _, doc = check_json(mars, root)
    assert [f["path"] for f in doc["findings"] if f["code"] == "symlink"] == ["records/voice/2025-26"]
    listed = mars("-w", root, "list", "--as-of", AS_OF)
    assert VOICE_ID not in listed.out and "records/voice/2025-26:1:" in listed.err
    overdue = mars("-w", root, "overdue", "--fail-on", "overdue", "--owner", "police-force", "--as-of", AS_OF)
    assert overdue.code == 1 and "records/voice/2025-26:1:" in overdue.err, overdue.text


def test_symlink__records_itself_linked_reads_nothing_and_says_so(workspace_with, mars, tmp_path):
    outside = outside_folder(tmp_path, {f"voice/2025-26/{VOICE_ID}.md": OUTSIDE_RECORD})
    root = workspace_with({})
    os.symlink(outside, root / "records")
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert result.code == 1, result.text
    assert f"records:1: error symlink this {SYMLINK_WORDS}" in result.out
    assert "in 0 records" in result.out


def test_symlink__a_linked_record_file_pulls_nothing_in_and_an_edit_leaves_it(workspace_with, mars, tmp_path):
    outside = outside_folder(tmp_path, {"secret.md": record("action", "act-2025-07-01-linked-dddd", "2025-07-01",
                                                            status="in-progress", title="Outside secret",
                                                            owner="council-cs", due="2026-01-31")})
    root = workspace_with(GOOD)
    link = root / PLAN_DIR / "act-2025-07-01-linked-dddd.md"
    os.symlink(outside / "secret.md", link)
    before = (outside / "secret.md").read_bytes()
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert f"{PLAN_DIR}/act-2025-07-01-linked-dddd.md:1: error symlink" in result.out
    assert "Outside secret" not in result.text
    shown = mars("-w", root, "show", "act-2025-07-01-linked-dddd", "--as-of", AS_OF)
    assert shown.code != 0 and "Outside secret" not in shown.text
    update = mars("-w", root, "action", "update", "act-2025-07-01-linked-dddd", "--note", "Progress",
                  "--by", "officer-1", "--as-of", AS_OF)
    assert update.code != 0, update.text
    assert link.is_symlink() and (outside / "secret.md").read_bytes() == before


def test_symlink__a_linked_template_is_named_and_never_used(workspace_with, mars, tmp_path):
    outside = outside_folder(tmp_path, {"passwd": "root:x:0:0:root:/root:/bin/bash\n"})
    root = workspace_with({})
    (root / "templates").mkdir()
    os.symlink(outside / "passwd", root / "templates/voice.md")
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert f"templates/voice.md:1: error symlink this {SYMLINK_WORDS}" in result.out
    made = mars("-w", root, "new", "voice", "--title", "Young people's forum", "--date", "2026-03-01",
                "--as-of", AS_OF)
    assert made.code == 0, made.text
    written = (root / made.out.strip().removeprefix(str(root) + "/")).read_text(encoding="utf-8")
    assert "root:x:0:0" not in written and "Young people's forum" in written


def test_symlink__new_refuses_to_write_through_a_linked_folder(workspace_with, mars, tmp_path):
    outside = outside_folder(tmp_path, {"keep.txt": "untouched\n"})
    root = workspace_with({})
    (root / "records").mkdir()
    os.symlink(outside, root / "records/voice")
    before, inside = snapshot(outside), snapshot(root)
    result = mars("-w", root, "new", "voice", "--title", "Forum", "--date", "2026-03-01", "--as-of", AS_OF)
    assert result.code == 1, result.text
    assert "records/voice is a symbolic link, and mars writes only inside the workspace; nothing was written" \
        in result.err
    assert snapshot(outside) == before and snapshot(root) == inside


def test_symlink__action_add_refuses_when_the_plans_folder_is_a_link(workspace_with, mars, tmp_path):
    outside = outside_folder(tmp_path, {"keep.txt": "untouched\n"})
    plan = {k: v for k, v in GOOD.items() if GOOD_ID not in k}
    root = workspace_with(plan)
    os.symlink(outside, root / PLAN_DIR)
    before = snapshot(outside)
    result = mars("-w", root, "action", "add", PLAN_ID, "--action", "Audit the audits", "--owner", "council-cs",
                  "--due", "2026-06-30", "--as-of", AS_OF)
    assert result.code == 1, result.text
    assert f"{PLAN_DIR} is a symbolic link" in result.err
    assert snapshot(outside) == before


def test_symlink__papers_are_not_written_through_a_linked_build_folder(mars, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(Path(__file__).resolve().parent.parent / "example-workspace", root,
                    ignore=shutil.ignore_patterns("build", ".mars"))  # papers built here earlier are not the example
    outside = outside_folder(tmp_path, {"keep.txt": "untouched\n"})
    os.symlink(outside, root / "build")
    before = snapshot(outside)
    result = mars("-w", root, "letter", "ae-2025-09-25-nlag-agency-assurance-event-9bv9", "--format", "html")
    assert result.code == 1 and "build is a symbolic link, and mars writes only inside the workspace" in result.err, \
        result.text
    assert snapshot(outside) == before
    elsewhere = tmp_path / "papers"  # -o is the user's own choice: written there
    result = mars("-w", root, "letter", "ae-2025-09-25-nlag-agency-assurance-event-9bv9", "--format", "html",
                  "-o", elsewhere)
    assert result.code == 0 and len(list(elsewhere.glob("*.html"))) == 1, result.text


def test_symlink__a_linked_markdown_file_outside_records_is_not_opened(workspace_with, mars, tmp_path):
    outside = outside_folder(tmp_path, {"elsewhere.md": OUTSIDE_RECORD})
    root = workspace_with(GOOD)
    os.symlink(outside / "elsewhere.md", root / "notes.md")
    opened = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(self)
        return real_open(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "open", spy)
        result = mars("-w", root, "check", "--as-of", AS_OF)
    assert root / "notes.md" not in opened and "outside-records" not in result.out, result.out


def test_symlink__a_linked_mars_yaml_or_processes_yaml_is_refused(workspace_with, mars, tmp_path):
    """The settings are workspace content too: a link to a file elsewhere is not read."""
    from conftest import CONFIG

    root = workspace_with(GOOD)
    outside = outside_folder(tmp_path, {"mars.yaml": CONFIG, "processes.yaml": "processes: {}\n"})
    for name in ("processes.yaml", "mars.yaml"):
        (root / name).unlink(missing_ok=True)
        os.symlink(outside / name, root / name)
        result = mars("-w", root, "check")
        assert result.code == 2 and f"{name} is a symbolic link, and mars reads only the workspace's own files" in \
            result.err, result.text
        (root / name).unlink()
        if name == "mars.yaml":
            (root / name).write_text(CONFIG, encoding="utf-8")
