"""`mars action add|update|extend`: each action its own file; edits change only the lines they must.

Records are written inline, in real temporary git repositories; every refusal is checked to write nothing.
"""

from __future__ import annotations

import difflib
import json

from conftest import git, snapshot

TE_ID = "te-2025-06-01-neglect-aaaa"
AP_ID = "ap-2025-07-01-neglect-plan-aaaa"
AP = f"records/action-plan/2025-26/{AP_ID}.md"
ACT_ID = "act-2025-07-01-hand-edited-aaaa"
ACT = f"records/action-plan/2025-26/{AP_ID}/{ACT_ID}.md"

# Written by hand: comments, quoting, a four-space list, a body with Markdown.
HAND_EDITED = f"""\
---
id: {ACT_ID}
kind: action
title: 'Embed the graded care profile: early help'   # agreed wording
status: in-progress
marking: OFFICIAL
created: 2025-07-01
owner: council-cs   # the council owns it
due: 2026-02-06
completed:
evidence: []
updates:
    - date: 2025-09-01     # first update
      by: officer-1
      note: "Training booked"
extensions: []
---

Complete when **all four** teams are trained.
"""

FILES = {
    f"records/thematic-event/2025-26/{TE_ID}.md": f"""\
---
id: {TE_ID}
kind: thematic-event
title: Neglect thematic event
status: proposed
marking: OFFICIAL
created: 2025-06-01
theme: neglect
---

# Neglect
""",
    AP: f"""\
---
id: {AP_ID}
kind: action-plan
title: Neglect action plan
status: draft
marking: OFFICIAL-SENSITIVE
created: 2025-07-01
source: {TE_ID}
lead_partner: council
---

## Purpose
Improve the response to neglect.
""",
    ACT: HAND_EDITED,
}
AS_OF = ("--as-of", "2026-02-16")


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a diff shows as removed (-) or added (+)."""
    return [line[0] + line[2:] for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def test_add__writes_a_new_file_in_the_plans_folder_and_changes_nothing_else(workspace_with, mars):
    root = workspace_with(FILES)
    before = snapshot(root)
    result = mars("-w", root, "action", "add", "neglect-plan", "--action", "Audit graded care profile use",
                  "--owner", "police-force", "--due", "2026-06-30", "--details", "Twenty assessments.",
                  "--evidence", "Audit plan, February 2026", *AS_OF)
    assert result.code == 0, result.text
    path = root / result.out.strip().removeprefix(str(root) + "/")
    assert path.parent == root / f"records/action-plan/2025-26/{AP_ID}"
    assert path.name.startswith("act-2026-02-16-audit-graded-care-profile-use-") and path.suffix == ".md"
    text = path.read_text()
    for line in ("kind: action", "title: Audit graded care profile use", "status: not-started",
                 "marking: OFFICIAL-SENSITIVE",  # the plan's marking
                 "created: 2026-02-16", "owner: police-force", "lead_partner: police",  # the owner's partner
                 "due: 2026-06-30", "updates: []", "extensions: []", "  - Audit plan, February 2026"):
        assert f"\n{line}\n" in text, line
    assert text.endswith("---\n\nTwenty assessments.\n")
    after = snapshot(root)
    assert {k: v for k, v in after.items() if k != path.relative_to(root).as_posix()} == before
    assert mars("-w", root, "check", *AS_OF).code == 0
    shown = json.loads(mars("-w", root, "overdue", "--format", "json", "--plan", AP_ID, "--as-of", "2026-07-01").out)
    assert path.stem in [i["id"] for i in shown["items"]]


def test_add__refusals_write_nothing(workspace_with, mars):
    root = workspace_with(FILES)
    before = snapshot(root)
    for args, words in (
        (("--action", "X", "--owner", "nobody", "--due", "2026-06-30"), "--owner 'nobody' is neither a person nor an agency"),
        (("--action", "X", "--owner", "trust", "--due", "30/06/2026"), "is not an ISO date"),
        (("--action", "  ", "--owner", "trust", "--due", "2026-06-30"), "--action is empty"),
        (("--action", "X", "--owner", "trust", "--due", "2026-06-30", "--lead-partner", "polic"), "Did you mean 'police'?"),
    ):
        result = mars("-w", root, "action", "add", AP_ID, *args, *AS_OF)
        assert result.code == 2 and words in result.err, (args, result.err)
    not_a_plan = mars("-w", root, "action", "add", TE_ID, "--action", "X", "--owner", "trust", "--due", "2026-06-30")
    assert not_a_plan.code == 2 and "not an action plan" in not_a_plan.err
    assert snapshot(root) == before


def test_add__two_officers_on_two_branches_merge_without_a_conflict(workspace_with, mars):
    root = workspace_with(FILES, commit=True)
    main = git(root, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(root, "checkout", "--quiet", "-b", "officer-a")
    assert mars("-w", root, "action", "add", AP_ID, "--action", "First officer's action", "--owner", "trust",
                "--due", "2026-05-01", *AS_OF).code == 0
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "a")
    git(root, "checkout", "--quiet", main)
    git(root, "checkout", "--quiet", "-b", "officer-b")
    assert mars("-w", root, "action", "add", AP_ID, "--action", "Second officer's action", "--owner", "trust",
                "--due", "2026-05-01", *AS_OF).code == 0
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "b")
    git(root, "merge", "--quiet", "--no-edit", "officer-a")  # raises if it conflicts
    actions = sorted(p.name for p in (root / f"records/action-plan/2025-26/{AP_ID}").glob("*.md"))
    assert len(actions) == 3
    assert mars("-w", root, "check", *AS_OF).code == 0


def test_update__appends_the_note_and_changes_only_those_lines(workspace_with, mars):
    root = workspace_with(FILES)
    result = mars("-w", root, "action", "update", "hand-edited", "--note", "Three of four teams trained",
                  "--by", "dsp-council", "--date", "2026-02-10", *AS_OF)
    assert result.code == 0, result.text
    after = (root / ACT).read_text()
    assert changed_lines(HAND_EDITED, after) == [
        "+    - date: 2026-02-10",
        "+      by: dsp-council",
        "+      note: Three of four teams trained",
    ]
    assert "status in-progress" in result.err


def test_update__complete_sets_the_completion_date_and_evidence(workspace_with, mars):
    root = workspace_with(FILES)
    result = mars("-w", root, "action", "update", ACT_ID, "--status", "complete", "--note", "All teams trained",
                  "--by", "dsp-council", "--evidence", "Training register", *AS_OF)
    assert result.code == 0, result.text
    assert "completed 10 days after its due date" in result.err
    assert changed_lines(HAND_EDITED, (root / ACT).read_text()) == [
        "-status: in-progress",
        "+status: complete",
        "-completed:",
        "+completed: 2026-02-16",
        "-evidence: []",
        "+evidence:",
        "+  - Training register",
        "+    - date: 2026-02-16",
        "+      by: dsp-council",
        "+      note: All teams trained",
        "+      status: complete",
    ]
    overdue = json.loads(mars("-w", root, "overdue", "--format", "json", *AS_OF).out)["items"]
    assert overdue == []


def test_update__refusals_write_nothing(workspace_with, mars):
    closed = HAND_EDITED.replace("status: in-progress", "status: dropped")
    root = workspace_with({**FILES, ACT: closed})
    before = snapshot(root)
    for args, code, words in (
        (("--status", "dropped", "--note", "again", "--by", "officer-1"), 1, "is already dropped"),
        (("--status", "complet", "--note", "x", "--by", "officer-1"), 2, "Did you mean"),
        (("--note", "x", "--by", "someone"), 2, "--by 'someone' is not a person"),
        (("--note", "x", "--by", "officer-1", "--date", "2026-03-01"), 2, "is after today"),
        (("--status", "in-progress", "--note", "x", "--by", "officer-1"), 1, "is already dropped"),
    ):
        result = mars("-w", root, "action", "update", ACT_ID, *args, *AS_OF)
        assert result.code == code and words in result.err, (args, result.err)
    inline = mars("-w", root, "action", "update", "s11-2025-06-01-trust-aaaa#1", "--note", "x", "--by", "officer-1")
    assert inline.code == 2 and "inside an audit" in inline.err
    assert snapshot(root) == before


def test_extend__keeps_the_original_date_reason_and_who_agreed(workspace_with, mars):
    root = workspace_with(FILES)
    first = mars("-w", root, "action", "extend", ACT_ID, "--to", "2026-03-31", "--reason", "Waiting for housing",
                 "--agreed-by", "dsp-police", "--date", "2026-02-01", *AS_OF)
    assert first.code == 0, first.text
    assert changed_lines(HAND_EDITED, (root / ACT).read_text()) == [
        "-due: 2026-02-06",
        "+due: 2026-03-31",
        "-extensions: []",
        "+extensions:",
        "+  - from: 2026-02-06",
        "+    to: 2026-03-31",
        "+    reason: Waiting for housing",
        "+    agreed_by: dsp-police",
        "+    date: 2026-02-01",
    ]
    second = mars("-w", root, "action", "extend", ACT_ID, "--to", "2026-05-29", "--reason", "National framework",
                  "--agreed-by", "dsp-police", *AS_OF)
    assert second.code == 0 and "(originally 6 February 2026)" in second.err
    text = (root / ACT).read_text()
    assert "  - from: 2026-03-31\n    to: 2026-05-29\n" in text and "due: 2026-05-29\n" in text
    assert "  - from: 2026-02-06\n    to: 2026-03-31\n" in text  # the first stays
    # Looking back to before the second extension, the action was due on 31 March.
    on_day = json.loads(mars("-w", root, "due", "--within", "60d", "--format", "json", "--as-of", "2026-02-10").out)
    assert [(i["id"], i["due"]) for i in on_day["items"]] == [(ACT_ID, "2026-03-31")]
    assert mars("-w", root, "check", *AS_OF).code == 0


def test_extend__refusals_write_nothing(workspace_with, mars):
    root = workspace_with({**FILES, ACT: HAND_EDITED.replace("owner: council-cs", "owner: officer-1")})
    before = snapshot(root)
    for args, code, words in (
        (("--to", "2026-02-06", "--reason", "x", "--agreed-by", "dsp-police"), 2, "is the current due date already"),
        (("--to", "2026-03-31", "--reason", "x", "--agreed-by", "officer-1"), 1, "cannot agree its own extension"),
        (("--to", "2026-03-31", "--reason", " ", "--agreed-by", "dsp-police"), 2, "--reason is empty"),
        (("--to", "2026-03-31", "--reason", "x", "--agreed-by", "dsp-polic"), 2, "Did you mean 'dsp-police'?"),
    ):
        result = mars("-w", root, "action", "extend", ACT_ID, *args, *AS_OF)
        assert result.code == code and words in result.err, (args, result.err)
    assert snapshot(root) == before


def test_edits__keep_crlf_line_endings_and_a_byte_order_mark(workspace_with, mars):
    windows = "\ufeff" + HAND_EDITED.replace("\n", "\r\n")
    root = workspace_with({**FILES, ACT: windows.encode("utf-8")})
    assert mars("-w", root, "action", "update", ACT_ID, "--note", "Saved on Windows", "--by", "officer-1",
                *AS_OF).code == 0
    assert mars("-w", root, "action", "extend", ACT_ID, "--to", "2026-04-30", "--reason", "x", "--agreed-by",
                "dsp-police", *AS_OF).code == 0
    raw = (root / ACT).read_bytes().decode("utf-8")
    assert raw.startswith("\ufeff---\r\n") and "\n" not in raw.replace("\r\n", "")
    assert changed_lines(windows, raw) == [
        "-due: 2026-02-06",
        "+due: 2026-04-30",
        "+    - date: 2026-02-16",
        "+      by: officer-1",
        "+      note: Saved on Windows",
        "-extensions: []",
        "+extensions:",
        "+  - from: 2026-02-06",
        "+    to: 2026-04-30",
        "+    reason: x",
        "+    agreed_by: dsp-police",
        "+    date: 2026-02-16",
    ]


def test_plan__complete_when_its_last_action_closes_not_by_mars_step(workspace_with, mars):
    root = workspace_with(FILES)
    refused = mars("-w", root, "step", AP_ID, "complete", "--done", *AS_OF)
    assert refused.code == 1 and "done when every action of the plan is complete or dropped" in refused.err
    shown = mars("-w", root, "show", AP_ID, *AS_OF).out
    assert "to do     complete:" in shown and ACT_ID in shown and "Actions, as of 16 February 2026: 1" in shown
    assert mars("-w", root, "action", "update", ACT_ID, "--status", "complete", "--note", "Done", "--by", "officer-1",
                "--date", "2026-02-12", *AS_OF).code == 0
    shown = mars("-w", root, "show", AP_ID, "--format", "json", *AS_OF).out
    steps = json.loads(shown)["process"]["steps"]
    assert [(s["step"], s["done"]) for s in steps if s["step"] == "complete"] == [("complete", "2026-02-12")]
    assert json.loads(shown)["actions"][0]["status"] == "complete"
    # Looking back to before it closed, the plan was not complete.
    before = json.loads(mars("-w", root, "show", AP_ID, "--format", "json", "--as-of", "2026-02-11").out)
    assert [s["done"] for s in before["process"]["steps"] if s["step"] == "complete"] == [None]


def test_extend__a_date_brought_forward_and_back_dated_entries_are_recorded_with_warnings(workspace_with, mars):
    root = workspace_with(FILES)
    forward = mars("-w", root, "action", "extend", ACT_ID, "--to", "2026-01-31", "--reason", "Needed for the Board",
                   "--agreed-by", "dsp-police", "--date", "2025-06-01", *AS_OF)
    assert forward.code == 0, forward.text
    assert "brings the due date forward, from 6 February 2026" in forward.err
    assert "before the action was created (1 July 2025)" in forward.err
    assert "  - from: 2026-02-06\n    to: 2026-01-31\n" in (root / ACT).read_text()
    early = mars("-w", root, "action", "update", ACT_ID, "--note", "Late entry", "--by", "officer-1",
                 "--date", "2025-08-01", *AS_OF)
    assert early.code == 0 and "before the latest one (1 September 2025)" in early.err
    assert mars("-w", root, "check", *AS_OF).code == 0  # brought forward: the extensions still add up


def test_show__an_action_names_its_plan_and_how_late_it_is(workspace_with, mars):
    root = workspace_with(FILES)
    out = mars("-w", root, "show", ACT_ID, *AS_OF).out
    assert f"Action of {AP_ID} (Neglect action plan), as of 16 February 2026:" in out
    assert "due 6 February 2026, 10 days overdue" in out


def test_add__warns_about_the_same_action_twice_and_refuses_empty_evidence(workspace_with, mars):
    root = workspace_with(FILES)
    again = mars("-w", root, "action", "add", AP_ID, "--action", "Embed the graded care profile:  early help",
                 "--owner", "trust", "--due", "2026-06-30", *AS_OF)
    assert again.code == 0 and f"the plan already has an action with this text ({ACT_ID})" in again.err
    empty = mars("-w", root, "action", "update", ACT_ID, "--note", "x", "--by", "officer-1", "--evidence", " ", *AS_OF)
    assert empty.code == 2 and "--evidence is empty" in empty.err


def test_two_files_with_one_id_stop_every_write_to_it(workspace_with, mars):
    """After a bad merge or a copied file, which of two files an officer meant is not for mars to guess:
    update, extend and add refuse, name both files and write nothing."""
    copy = ACT.replace(".md", "-copy.md")
    plan_copy = AP.replace(".md", "-copy.md")
    root = workspace_with({**FILES, copy: HAND_EDITED, plan_copy: FILES[AP]})
    before = snapshot(root)
    for args in (("action", "update", ACT_ID, "--note", "Trained", "--by", "officer-1"),
                 ("action", "extend", ACT_ID, "--to", "2026-05-01", "--reason", "Vacancies", "--agreed-by", "lsp-police"),
                 ("action", "add", AP_ID, "--action", "Audit", "--owner", "trust", "--due", "2026-06-30")):
        result = mars("-w", root, *args, *AS_OF)
        assert result.code == 1, (args, result.text)
        held = ACT_ID if args[1] != "add" else AP_ID
        assert f"ID '{held}' is carried by 2 files" in result.err
        assert (copy if args[1] != "add" else plan_copy) in result.err
        assert snapshot(root) == before
