"""`mars init`, finding the workspace, `list` and `show`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from conftest import git, record, snapshot

# --------------------------------------------------------------------------- init

def test_init__scaffolds_a_clean_git_workspace(tmp_path, mars):
    target = tmp_path / "nl-mars"
    result = mars("init", target)
    assert result.code == 0, result.text
    assert "Started a git repository there" in result.out
    assert (target / ".git").is_dir()
    config = (target / "mars.yaml").read_text()
    assert config.startswith("# mars.yaml")  # commented for officers
    assert "partners:" in config and "standards:" in config
    assert "build/" in (target / ".gitignore").read_text()
    assert (target / "records" / "agency-event").is_dir()
    assert (target / "templates").is_dir()
    check = mars("-w", target, "check")
    assert check.code == 0 and "No problems found" in check.out, check.text


def test_init__inside_a_repository_does_not_nest_git(tmp_path, mars):
    git(tmp_path, "init", "--quiet")
    result = mars("init", tmp_path / "workspace")
    assert result.code == 0
    assert not (tmp_path / "workspace" / ".git").exists()
    assert "inside the git repository at" in result.out and "git init was not needed" in result.out


def test_init__refuses_to_overwrite_a_workspace(workspace_with, mars):
    root = workspace_with()
    before = snapshot(root)
    result = mars("init", root)
    assert result.code == 1
    assert "already a mars workspace" in result.err
    assert snapshot(root) == before


# --------------------------------------------------------------------------- finding the workspace

CALLIN = {"records/call-in/2025-26/ci-2025-06-01-test-aaaa.md":
          record("call-in", "ci-2025-06-01-test-aaaa", status="held", agency="trust")}


def test_workspace__found_by_walking_up_like_git(workspace_with, mars):
    root = workspace_with(CALLIN)
    result = mars("list", "--format", "csv", cwd=root / "records" / "call-in")
    assert "ci-2025-06-01-test-aaaa" in result.out


def test_workspace__from_environment(workspace_with, mars, monkeypatch, tmp_path):
    root = workspace_with(CALLIN)
    monkeypatch.setenv("MARS_WORKSPACE", str(root))
    assert "ci-2025-06-01-test-aaaa" in mars("list", "--format", "csv", cwd=tmp_path).out


def test_workspace__flag_beats_environment(workspace_with, mars, monkeypatch, tmp_path):
    root = workspace_with(CALLIN)
    monkeypatch.setenv("MARS_WORKSPACE", str(tmp_path))
    assert mars("-w", root, "list", "--format", "csv").code == 0


def test_workspace__flag_pointing_nowhere_exits_2(tmp_path, mars):
    result = mars("-w", tmp_path, "list")
    assert result.code == 2
    assert "has no mars.yaml (from -w/--workspace)" in result.err


# --------------------------------------------------------------------------- list

LISTED = {
    "records/call-in/2025-26/ci-2025-06-01-trust-aaaa.md":
        record("call-in", "ci-2025-06-01-trust-aaaa", status="held", agency="trust", date="2025-07-01",
               steps="[{step: scheduled, date: 2025-06-02}, {step: meeting, date: 2025-07-01}]"),
    "records/call-in/2025-26/ci-2025-09-01-housing-bbbb.md":
        record("call-in", "ci-2025-09-01-housing-bbbb", created="2025-09-01", status="proposed", agency="housing",
               date="2026-04-20"),
    "records/voice/2024-25/voice-2025-01-10-forum-cccc.md":
        record("voice", "voice-2025-01-10-forum-cccc", created="2025-01-10", status="held", date="2025-01-10",
               steps="[{step: held, date: 2025-01-10}]"),
}


def test_list__filters_and_formats(workspace_with, mars):
    root = workspace_with(LISTED)
    rows = list(csv.DictReader(io.StringIO(mars("-w", root, "list", "--format", "csv").out)))
    assert [r["id"] for r in rows] == ["voice-2025-01-10-forum-cccc", "ci-2025-06-01-trust-aaaa",
                                       "ci-2025-09-01-housing-bbbb"]
    assert rows[1]["date"] == "2025-07-01" and rows[1]["path"].startswith("records/call-in/")

    def ids(*args):
        doc = json.loads(mars("-w", root, "list", *args, "--format", "json").out)
        assert doc["schema_version"] == 2 and doc["kind"] == "list"
        return [r["id"] for r in doc["records"]]

    assert ids("call-in") == ["ci-2025-06-01-trust-aaaa", "ci-2025-09-01-housing-bbbb"]
    assert ids("--status", "held") == ["voice-2025-01-10-forum-cccc", "ci-2025-06-01-trust-aaaa"]
    assert ids("--year", "2025-26") == ["ci-2025-06-01-trust-aaaa"]  # the housing call-in is dated 2026-27
    assert ids("--agency", "housing") == ["ci-2025-09-01-housing-bbbb"]


def test_list__table_at_a_terminal(workspace_with, mars):
    result = mars("-w", workspace_with(LISTED), "list", "call-in")
    assert result.code == 0
    assert "ci-2025-06-01-trust-aaaa" in result.out and "2 record(s)" in result.out


def test_list__bad_filters_exit_2(workspace_with, mars):
    root = workspace_with(LISTED)
    assert "Write it like 2025-26" in mars("-w", root, "list", "--year", "2025").err
    assert "Did you mean 'call-in'?" in mars("-w", root, "list", "cal-in").err
    assert mars("-w", root, "list", "--agency", "nope").code == 2


# --------------------------------------------------------------------------- show

def test_show__by_id_or_unique_part(workspace_with, mars):
    root = workspace_with(LISTED)
    result = mars("-w", root, "show", "trust-aaaa")
    assert result.code == 0
    lines = result.out.strip().splitlines()
    assert lines[0] == "OFFICIAL" and lines[-1] == "OFFICIAL"  # the marking top and bottom
    assert "file: records/call-in/2025-26/ci-2025-06-01-trust-aaaa.md" in result.out
    assert "date: 1 July 2025" in result.out


def test_show__json(workspace_with, mars):
    doc = json.loads(mars("-w", workspace_with(LISTED), "show", "ci-2025-06-01-trust-aaaa", "--format", "json").out)
    assert doc["fields"]["date"] == "2025-07-01" and doc["body"].startswith("\n# Test")


def test_show__ambiguous_or_unknown(workspace_with, mars):
    root = workspace_with(LISTED)
    ambiguous = mars("-w", root, "show", "ci-2025")
    assert ambiguous.code == 2 and "matches 2 records" in ambiguous.err
    assert "no record has the ID" in mars("-w", root, "show", "zzz").err
    many = {f"records/voice/2025-26/voice-2025-06-0{n}-forum-{n}aaa.md":
            record("voice", f"voice-2025-06-0{n}-forum-{n}aaa", f"2025-06-0{n}", status="planned") for n in range(1, 8)}
    shown = mars("-w", workspace_with(many), "show", "forum").err
    assert "'forum' matches 7 records: " in shown and shown.count("voice-2025-06-0") == 5 and "and 2 more" in shown


def test_console_script_runs(workspace_with):
    root = workspace_with(LISTED)
    script = Path(sys.executable).with_name("mars")  # the console script pip installed
    result = subprocess.run([str(script), "-w", str(root), "check", "--as-of", "2025-08-01"], capture_output=True,
                            text=True)
    assert result.returncode == 0 and "No problems found in 3 records" in result.stdout


def test_init__refuses_inside_another_workspace(workspace_with, mars):
    root = workspace_with()
    before = snapshot(root)
    result = mars("init", root / "records" / "nested")
    assert result.code == 1 and "is inside the mars workspace at" in result.err
    assert snapshot(root) == before and not (root / "records" / "nested").exists()


def test_config__empty_mars_yaml_cannot_run(workspace_with, mars):
    result = mars("-w", workspace_with(config=""), "check")
    assert result.code == 2
    assert "mars.yaml:1: mars.yaml has no settings" in result.err


def test_init__refuses_before_writing_anything(tmp_path, mars):
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "records").write_text("not a folder\n")
    result = mars("init", blocked)
    assert result.code == 2 and "records is a file, but mars needs a folder" in result.err
    assert sorted(p.name for p in blocked.iterdir()) == ["records"]
    dangling = tmp_path / "dangling"
    dangling.mkdir()
    (dangling / "mars.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = mars("init", dangling)
    assert result.code == 1 and "already a mars workspace" in result.err
    assert sorted(p.name for p in dangling.iterdir()) == ["mars.yaml"]


def test_new__records_folder_that_is_a_file_is_a_clear_error(workspace_with, mars):
    root = workspace_with({"records": "oops\n"})
    result = mars("-w", root, "new", "voice", "--title", "Forum")
    assert result.code == 2 and "cannot write" in result.err and "Traceback" not in result.text


def test_check__pipes_and_broken_links_are_reported_not_waited_on(workspace_with, mars):
    import os
    root = workspace_with()
    folder = root / "records" / "voice" / "2025-26"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.md")
    (folder / "link.md").symlink_to(folder / "gone.md")
    result = mars("-w", root, "check")
    assert result.code == 1
    assert "records/voice/2025-26/pipe.md:1: error not-a-file" in result.out
    assert "records/voice/2025-26/link.md:1: error broken-link" in result.out


def test_list__narrow_screen_keeps_ids_whole(workspace_with, mars, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = mars("-w", workspace_with(LISTED), "list").out
    assert "ci-2025-06-01-trust-aaaa  call-in  held  2025-07-01  trust\n    Test call-in\n" in out


def test_show__control_characters_cannot_drive_the_terminal(workspace_with, mars):
    text = record("voice", "voice-2025-06-01-forum-dddd", status="held").replace("# Test", "# Test \x1b]0;x\x07")
    out = mars("-w", workspace_with({"records/voice/2025-26/voice-2025-06-01-forum-dddd.md": text}),
               "show", "dddd").out
    assert "\x1b" not in out and "\x07" not in out and "\ufffd" in out


def test_a_pinned_day_that_is_not_a_date_is_refused_not_replaced_by_today(workspace_with, mars):
    """`overdue`, `list` and the papers as of today would look right and be wrong: they refuse, saying
    where the bad day is; `check` reports it among its findings; --as-of still works."""
    from conftest import CONFIG
    root = workspace_with(config=CONFIG + "as_of: 2026-13-45\n")
    line = (CONFIG + "as_of").count("\n") + 1
    for command in (["overdue"], ["list"], ["pack", "--next", "board"], ["status"]):
        result = mars("-w", root, *command)
        assert result.code == 2, (command, result.text)
        assert f"mars.yaml:{line}: as_of: '2026-13-45' is not a real date" in result.err
        assert "--as-of YYYY-MM-DD" in result.err
    checked = mars("-w", root, "check", "--format", "json")
    assert checked.code == 1
    assert any(f["path"] == "mars.yaml" and f["line"] == line for f in json.loads(checked.out)["findings"])
    assert mars("-w", root, "overdue", "--as-of", "2026-01-05").code == 0
