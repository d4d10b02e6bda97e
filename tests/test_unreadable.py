"""A record file `mars` cannot read never disappears silently (issue 11, point 1).

Each workspace holds a good overdue action (in its action plan) and one record file broken as a
hand edit breaks it. Every command names the broken file on stderr; JSON lists it under
`problems`, JUnit fails a case for it, GitHub gets an `::error` annotation, the Markdown digests
start with a warning; CSV and iCalendar stay clean and say it on stderr only; `--fail-on overdue`
exits 1 whatever the filters; `show` of the broken ID names the file and its first problem.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import icalendar
import pytest
from conftest import git, record, write_files

AS_OF = "2026-02-16"
PLAN_ID = "ap-2025-07-01-neglect-plan-aaaa"
PLAN_DIR = f"records/action-plan/2025-26/{PLAN_ID}"
GOOD_ID = "act-2025-07-01-good-and-late-aaaa"  # owned by council-cs, due 31 January 2026: overdue
GOOD = {
    f"records/action-plan/2025-26/{PLAN_ID}.md": record(
        "action-plan", PLAN_ID, "2025-07-01", status="draft", title="Neglect action plan", owner="officer-1"),
    f"{PLAN_DIR}/{GOOD_ID}.md": record(
        "action", GOOD_ID, "2025-07-01", status="in-progress", title="Good and late", owner="council-cs",
        due="2026-01-31"),
}

# The ways a hand edit breaks a record: (its path, its bytes or text, the line named, words of the problem).
BROKEN_ID = "act-2025-07-01-broken-by-hand-bbbb"
BROKEN_ACTION = f"{PLAN_DIR}/{BROKEN_ID}.md"
BROKEN = {
    "yaml": (BROKEN_ACTION, record("action", BROKEN_ID, "2025-07-01", status="in-progress", title="[unclosed",
                                   owner="council-cs", due="2025-12-01"), 5, "not valid YAML"),
    "no-front-matter": (BROKEN_ACTION, "# Broken by hand\n\nThe fields were deleted.\n", 1, "no front matter"),
    "unclosed": (BROKEN_ACTION, f"---\nid: {BROKEN_ID}\nkind: action\ntitle: Broken\n", 1, "never closed"),
    "not-utf8": (BROKEN_ACTION, f"---\nid: {BROKEN_ID}\nkind: action\ntitle: Caf\xe9\n---\n".encode("latin-1"),
                 4, "not UTF-8"),
    "no-id": (BROKEN_ACTION, record("action", "x", status="in-progress", owner="council-cs",
                                    due="2025-12-01").replace("id: x\n", ""), 1, "has no `id:`"),
    "no-kind": (BROKEN_ACTION, record("action", BROKEN_ID, status="in-progress", owner="council-cs",
                                      due="2025-12-01").replace("kind: action\n", ""), 2, "has no `kind:`"),
    "unknown-kind": (BROKEN_ACTION, record("acton", BROKEN_ID, status="in-progress", owner="council-cs",
                                           due="2025-12-01"), 3, "'acton' is not a kind"),
}
YAML_BROKEN = BROKEN["yaml"]


def broken_workspace(workspace_with, how: str = "yaml", commit: bool = True):
    path, text, _, _ = BROKEN[how]
    return workspace_with({**GOOD, path: text}, commit=commit)


def run(mars, root, *args):
    return mars("-w", root, *args, "--as-of", AS_OF)


def assert_named_on_stderr(err: str, how: str = "yaml") -> None:
    path, _, line, words = BROKEN[how]
    assert "warning: 1 file could not be read as a record, so what follows may be incomplete:" in err, err
    assert f"  {path}:{line}: " in err and words in err, err
    assert "`mars check` lists them all and says how to fix each." in err


# --- what the user sees at the terminal ---------------------------------------------------------------

@pytest.mark.parametrize("how", sorted(BROKEN))
def test_unreadable__overdue_names_the_broken_file_on_stderr_and_still_lists_the_rest(workspace_with, mars, how):
    root = broken_workspace(workspace_with, how)
    result = run(mars, root, "overdue")
    assert result.code == 0, result.text
    assert_named_on_stderr(result.err, how)
    assert GOOD_ID in result.out and BROKEN_ID not in result.out


def test_unreadable__a_workspace_read_whole_says_nothing_about_it(workspace_with, mars):
    root = workspace_with(GOOD)
    for args in (("overdue",), ("due",), ("status",), ("list",), ("show", GOOD_ID)):
        result = run(mars, root, *args)
        assert result.code == 0 and "could not be read" not in result.text, (args, result.text)


@pytest.mark.parametrize("args", [("due", "--within", "30d"), ("status",), ("list",), ("list", "action"),
                                  ("show", GOOD_ID), ("show", PLAN_ID), ("list", "--format", "csv"),
                                  ("overdue", "--format", "csv"), ("overdue", "--format", "ics"),
                                  ("due", "--format", "csv"), ("due", "--format", "ics")])
def test_unreadable__every_read_command_names_the_broken_file_on_stderr(workspace_with, mars, args):
    root = broken_workspace(workspace_with)
    result = run(mars, root, *args)
    assert result.code == 0, result.text
    assert_named_on_stderr(result.err)


def test_unreadable__writing_commands_name_the_broken_file_too(workspace_with, mars):
    root = broken_workspace(workspace_with)
    result = run(mars, root, "action", "update", GOOD_ID, "--note", "Guidance drafted", "--by", "officer-1")
    assert result.code == 0, result.text
    assert_named_on_stderr(result.err)


def test_unreadable__the_first_five_files_are_named_then_how_many_more(workspace_with, mars):
    broken = {f"records/voice/2025-26/voice-2025-06-0{n}-forum-bbbb.md": "---\ntitle: [\n---\n" for n in range(1, 8)}
    root = workspace_with({**GOOD, **broken})
    err = run(mars, root, "overdue").err
    assert "warning: 7 files could not be read as records" in err
    named = [path for path in broken if f"  {path}:3: the front matter is not valid YAML" in err]
    assert named == sorted(broken)[:5]
    assert "  ...and 2 more." in err


def test_unreadable__a_file_name_cannot_drive_the_terminal(workspace_with, mars):
    root = workspace_with({**GOOD, "records/voice/2025-26/evil\x1b]0;owned\x07.md": "no front matter\n"})
    err = run(mars, root, "overdue").err
    assert "could not be read" in err and "\x1b" not in err and "\x07" not in err


def test_unreadable__check_reports_the_file_once_in_its_findings_not_in_a_note(workspace_with, mars):
    root = broken_workspace(workspace_with)
    result = run(mars, root, "check")
    assert result.code == 1 and result.out.count(f"{BROKEN_ACTION}:5: error yaml-syntax") == 1
    assert "could not be read as a record" not in result.err


# --- --fail-on overdue --------------------------------------------------------------------------------

@pytest.mark.parametrize("how", sorted(BROKEN))
def test_unreadable__fail_on_overdue_exits_1_whatever_the_filters(workspace_with, mars, how):
    root = broken_workspace(workspace_with, how)
    for command in ("overdue", "due"):
        # --owner dsp-police and --type step each leave out the good overdue action
        for filters in (("--owner", "dsp-police"), ("--type", "step")):
            result = run(mars, root, command, "--fail-on", "overdue", *filters)
            assert result.code == 1, (command, filters, result.text)
            assert "could not be read (named above), so what is overdue is not known: this exits 1" in result.err
        assert run(mars, root, command, "--fail-on", "overdue").code == 1  # and the good action is overdue


def test_unreadable__fail_on_overdue_still_passes_when_everything_was_read(workspace_with, mars):
    root = workspace_with(GOOD)  # the same filters on a workspace read whole: nothing of theirs is overdue
    for command in ("overdue", "due"):
        assert run(mars, root, command, "--fail-on", "overdue", "--owner", "dsp-police").code == 0


# --- the formats that carry the problems ---------------------------------------------------------------

@pytest.mark.parametrize("args", [("overdue",), ("due",), ("status",), ("list",), ("show", GOOD_ID)])
def test_unreadable__json_lists_the_file_under_problems(workspace_with, mars, args):
    root = broken_workspace(workspace_with)
    result = run(mars, root, *args, "--format", "json")
    assert result.code == 0, result.text
    doc = json.loads(result.out)
    assert doc["schema_version"] == 1
    [problem] = doc["problems"]
    assert problem["path"] == BROKEN_ACTION and problem["line"] == 5 and problem["severity"] == "error"
    assert problem["code"] == "yaml-syntax" and "not valid YAML" in problem["message"] and problem["hint"]
    assert_named_on_stderr(result.err)


def test_unreadable__json_problems_is_empty_when_everything_was_read(workspace_with, mars):
    root = workspace_with(GOOD)
    for args in (("overdue",), ("due",), ("status",), ("list",), ("show", GOOD_ID)):
        assert json.loads(run(mars, root, *args, "--format", "json").out)["problems"] == [], args


@pytest.mark.parametrize("command", ["overdue", "due"])
def test_unreadable__junit_fails_a_case_for_the_broken_file(workspace_with, mars, command):
    root = broken_workspace(workspace_with)
    result = run(mars, root, command, "--format", "junit")
    suites = ET.fromstring(result.out.encode())
    cases = suites.findall("./testsuite/testcase")
    broken = [c for c in cases if c.get("classname") == "unreadable"]
    assert len(broken) == 1 and broken[0].get("file") == BROKEN_ACTION and broken[0].get("line") == "5"
    failure = broken[0].find("failure")
    assert failure.get("type") == "unreadable" and "not valid YAML" in failure.get("message")
    overdue_items = 1 if command == "overdue" else 0  # `due` lists nothing here: the good action is late
    assert suites.get("failures") == str(1 + overdue_items) and suites.get("tests") == str(len(cases))
    assert_named_on_stderr(result.err)


def test_unreadable__github_has_an_error_annotation_from_the_repository_root(workspace_with, mars, tmp_path):
    root = broken_workspace(workspace_with)
    lines = run(mars, root, "overdue", "--format", "github").out.splitlines()
    assert lines[0].startswith(f"::error file={BROKEN_ACTION},line=5,title=mars could not read this record::"
                               "the front matter is not valid YAML")
    assert any(line.startswith("::warning ") and GOOD_ID in line for line in lines)
    # The workspace as a subfolder of a bigger repository: the path starts at the repository's root.
    repo = tmp_path / "repo"
    (repo / "safeguarding").mkdir(parents=True)
    git(repo, "init", "--quiet")
    write_files(repo / "safeguarding", {"mars.yaml": (root / "mars.yaml").read_text(), **GOOD,
                                        BROKEN_ACTION: YAML_BROKEN[1]})
    nested = run(mars, repo / "safeguarding", "due", "--format", "github").out.splitlines()
    assert nested[0].startswith(f"::error file=safeguarding/{BROKEN_ACTION},line=5,")


def test_unreadable__github_and_junit_escape_a_hostile_file_name(workspace_with, mars):
    name = "records/voice/2025-26/a,b::error x\n%0A.md"
    root = workspace_with({**GOOD, name: "no front matter\n"})
    lines = run(mars, root, "overdue", "--format", "github").out.splitlines()
    assert lines[0].startswith("::error file=records/voice/2025-26/a%2Cb%3A%3Aerror x%0A%250A.md,line=1,")
    assert len([line for line in lines if line.startswith("::error")]) == 1
    suites = ET.fromstring(run(mars, root, "overdue", "--format", "junit").out.encode())
    assert suites.find("./testsuite/testcase[@classname='unreadable']").get("file") == name


@pytest.mark.parametrize("command", ["overdue", "due", "status"])
def test_unreadable__markdown_digests_start_with_a_warning_banner(workspace_with, mars, command):
    root = broken_workspace(workspace_with)
    result = run(mars, root, command, "--format", "markdown")
    lines = result.out.splitlines()
    assert lines[0] == "**OFFICIAL**" and lines[1] == ""
    assert lines[2] == "> **Warning: 1 record file could not be read, so what follows may be incomplete.**"
    assert f"> - `{BROKEN_ACTION}:5`: the front matter is not valid YAML" in result.out
    banner_end = lines.index("> `mars check` lists them all and says how to fix each.")
    assert banner_end < next(n for n, line in enumerate(lines) if line.startswith("## "))
    assert_named_on_stderr(result.err)


def test_unreadable__markdown_banner_escapes_the_file_name(workspace_with, mars):
    root = workspace_with({**GOOD, "records/voice/2025-26/[click](http:x)`<b>.md": "no front matter\n"})
    out = run(mars, root, "overdue", "--format", "markdown").out
    assert "> - ``records/voice/2025-26/[click](http:x)`<b>.md:1``: the file has no front matter" in out


def test_unreadable__csv_and_ics_stay_clean_and_say_it_on_stderr_only(workspace_with, mars):
    root = broken_workspace(workspace_with)
    for command in ("overdue", "due"):
        result = run(mars, root, command, "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(result.out)))
        assert all(row["path"] != BROKEN_ACTION for row in rows) and "could not" not in result.out
        assert_named_on_stderr(result.err)
        result = run(mars, root, command, "--format", "ics")
        icalendar.Calendar.from_ical(result.out)
        assert BROKEN_ACTION not in result.out and "could not" not in result.out
        assert_named_on_stderr(result.err)
    listed = run(mars, root, "list", "--format", "csv")
    assert BROKEN_ACTION not in listed.out
    assert_named_on_stderr(listed.err)


# --- show (and the commands that name a record) --------------------------------------------------------

@pytest.mark.parametrize("how", sorted(BROKEN))
def test_unreadable__show_of_a_broken_id_names_the_file_and_its_first_problem(workspace_with, mars, how):
    path, _, line, words = BROKEN[how]
    root = broken_workspace(workspace_with, how)
    for ref in (BROKEN_ID, "broken-by-hand"):  # the whole ID, or a part only that file's name has
        result = run(mars, root, "show", ref)
        assert result.code == 2, result.text
        assert f"mars: '{ref}' is in {path}, which mars cannot read as a record: line {line}: " in result.err
        assert words in result.err and "no record has the ID" not in result.err
        assert "    hint: " in result.err
    if how == "unknown-kind":
        assert "Did you mean 'action'?" in result.err


def test_unreadable__step_on_a_broken_id_names_the_file_and_changes_nothing(workspace_with, mars):
    root = broken_workspace(workspace_with)
    before = (root / BROKEN_ACTION).read_bytes()
    result = run(mars, root, "action", "update", BROKEN_ID, "--note", "Done", "--by", "officer-1")
    assert result.code == 2 and f"is in {BROKEN_ACTION}, which mars cannot read as a record" in result.err
    assert (root / BROKEN_ACTION).read_bytes() == before


def test_unreadable__show_of_a_good_id_still_shows_it(workspace_with, mars):
    root = broken_workspace(workspace_with)
    result = run(mars, root, "show", GOOD_ID)
    assert result.code == 0 and "Good and late" in result.out
    assert_named_on_stderr(result.err)


# --- the papers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [("marpf-overview",), ("iso-report", "2025-26")])
def test_unreadable__document_commands_say_files_were_skipped(workspace_with, mars, args):
    root = broken_workspace(workspace_with)
    result = run(mars, root, *args, "--format", "html")
    assert result.code == 0, result.text
    assert result.out.strip().endswith(".html")
    assert_named_on_stderr(result.err)
