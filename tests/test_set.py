"""`mars set ID FIELD=VALUE ... --unset FIELD`: fields changed without an editor, checked first, only
their lines touched; fields other commands keep are refused naming the command; sign-offs made stale
are named.

Records are written inline, in real temporary git repositories; every refusal is checked to write nothing.
"""

from __future__ import annotations

import difflib

from conftest import snapshot

AE_ID = "ae-2026-01-10-trust-event-aaaa"
AE = f"records/agency-event/2025-26/{AE_ID}.md"
ACT_ID = "act-2025-07-01-hand-edited-aaaa"
AP_ID = "ap-2025-07-01-neglect-plan-aaaa"
ACT = f"records/action-plan/2025-26/{AP_ID}/{ACT_ID}.md"

# Written by hand: comments, quoting, a four-space list, a body with Markdown.
HAND_EDITED = f"""\
---
id: {AE_ID}
kind: agency-event
title: 'Hospital trust: assurance event'   # agreed wording
status: proposed
marking: OFFICIAL
created: 2026-01-10
owner: officer-1   # the officer
agency: trust
date: 2026-06-16    # proposed at SPLIG
lead_iso:
scrutineers:
    - dsp-council   # first
    - lsp-council
young_scrutineers:
---

## Findings

To be written **after** the event.
"""

FILES = {
    AE: HAND_EDITED,
    f"records/action-plan/2025-26/{AP_ID}.md": f"""\
---
id: {AP_ID}
kind: action-plan
title: Neglect action plan
status: draft
marking: OFFICIAL
created: 2025-07-01
source: {AE_ID}
lead_partner: council
---

## Purpose
Improve the response to neglect.
""",
    ACT: f"""\
---
id: {ACT_ID}
kind: action
title: Embed the graded care profile
status: in-progress
marking: OFFICIAL
created: 2025-07-01
owner: council-cs
due: 2026-06-30
completed:
evidence: []
updates: []
extensions: []
---
""",
}
AS_OF = ("--as-of", "2026-02-16")


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a diff shows as removed (-) or added (+)."""
    return [line[0] + line[2:] for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def test_set__a_date_an_owner_and_a_person_change_only_their_lines(workspace_with, mars):
    root = workspace_with(FILES)
    result = mars("-w", root, "set", "trust-event", "date=2026-06-23", "owner=dsp-health", "lead_iso=iso-1", *AS_OF)
    assert result.code == 0, result.text
    assert result.out.strip() == str(root / AE)
    assert "date = 2026-06-23; owner = dsp-health; lead_iso = iso-1" in result.err
    assert changed_lines(HAND_EDITED, (root / AE).read_text()) == [
        "-owner: officer-1   # the officer", "+owner: dsp-health   # the officer",
        "-date: 2026-06-16    # proposed at SPLIG", "+date: 2026-06-23    # proposed at SPLIG",
        "-lead_iso:", "+lead_iso: iso-1"]
    assert mars("-w", root, "check", *AS_OF).code == 0
    action = mars("-w", root, "set", ACT_ID, "owner=police-force", "completed=2026-02-01", *AS_OF)  # an action too
    assert action.code == 0, action.text
    assert "\nowner: police-force\ndue: 2026-06-30\ncompleted: 2026-02-01\n" in (root / ACT).read_text()


def test_set__a_list_replaced_added_to_and_unset(workspace_with, mars):
    root = workspace_with(FILES)
    assert mars("-w", root, "set", AE_ID, "scrutineers=iso-1, officer-1", *AS_OF).code == 0
    text = (root / AE).read_text()
    assert "\nscrutineers:\n    - iso-1\n    - officer-1\nyoung_scrutineers:\n" in text  # its four-space layout kept
    assert mars("-w", root, "set", AE_ID, "scrutineers+=dsp-council", "young_scrutineers=2", *AS_OF).code == 0
    text = (root / AE).read_text()
    assert "\nscrutineers:\n    - iso-1\n    - officer-1\n    - dsp-council\nyoung_scrutineers: 2\n" in text
    result = mars("-w", root, "set", AE_ID, "--unset", "scrutineers", "--unset", "young_scrutineers", *AS_OF)
    assert result.code == 0, result.text
    assert changed_lines(HAND_EDITED, (root / AE).read_text()) == [
        "-    - dsp-council   # first", "-    - lsp-council"]
    assert (root / AE).read_text().endswith("---\n\n## Findings\n\nTo be written **after** the event.\n")


def test_set__unset_removes_a_key_the_kind_does_not_have(workspace_with, mars):
    root = workspace_with({**FILES, AE: HAND_EDITED.replace("lead_iso:\n", "lead_iso:\nlead_isso: iso-1   # typo\n")})
    result = mars("-w", root, "set", AE_ID, "lead_iso=iso-1", "--unset", "lead_isso", *AS_OF)
    assert result.code == 0, result.text
    assert "lead_iso = iso-1; lead_isso removed" in result.err
    assert changed_lines(HAND_EDITED, (root / AE).read_text()) == ["-lead_iso:", "+lead_iso: iso-1"]
    again = mars("-w", root, "set", AE_ID, "--unset", "lead_isso", *AS_OF)
    assert again.code == 2 and "Did you mean 'lead_iso'?" in again.err


def test_set__managed_fields_are_refused_naming_the_command(workspace_with, mars):
    root = workspace_with(FILES)
    before = snapshot(root)
    for ref, assignment, command in (
        (AE_ID, "steps=x", f"mars step {AE_ID} STEP --done"),
        (AE_ID, "signoffs=x", f"mars signoff {AE_ID} --for WHAT"),
        (AE_ID, "status=held", f"mars step {AE_ID} STEP --done"),
        (AE_ID, "id=ae-other", "mars new agency-event"),
        (AE_ID, "kind=call-in", "mars new agency-event"),
        (AE_ID, "created=2026-01-11", "mars new agency-event"),
        (ACT_ID, "updates=x", f"mars action update {ACT_ID}"),
        (ACT_ID, "status=complete", f"mars action update {ACT_ID}"),
        (ACT_ID, "extensions=x", f"mars action extend {ACT_ID}"),
        (ACT_ID, "due=2026-12-31", f"mars action extend {ACT_ID}"),
    ):
        result = mars("-w", root, "set", ref, assignment, *AS_OF)
        assert result.code == 1 and "not by `mars set`" in result.err and command in result.err, (assignment, result.err)
    unset = mars("-w", root, "set", AE_ID, "--unset", "signoffs", *AS_OF)
    assert unset.code == 1 and "mars signoff" in unset.err
    entries = mars("-w", root, "set", AE_ID, "iso_days=iso-1", *AS_OF)
    assert entries.code == 1 and "iso_days is a list of entries" in entries.err
    assert "`mars kinds agency-event` shows its shape" in entries.err
    assert snapshot(root) == before


def test_set__did_you_mean_for_a_misspelt_field_and_an_unknown_person(workspace_with, mars):
    root = workspace_with(FILES)
    before = snapshot(root)
    field = mars("-w", root, "set", AE_ID, "lead_isso=iso-1", *AS_OF)
    assert field.code == 2 and "has no field 'lead_isso'" in field.err and "Did you mean 'lead_iso'?" in field.err
    person = mars("-w", root, "set", AE_ID, "lead_iso=iso-2", *AS_OF)
    assert person.code == 1 and "'iso-2' is not a person in mars.yaml" in person.err, person.err
    assert "Did you mean 'iso-1'?" in person.err and "nothing was changed" in person.err
    main_date = mars("-w", root, "set", AP_ID, "date=2026-03-01", *AS_OF)
    assert main_date.code == 2 and "Its main date is `review`." in main_date.err
    assert snapshot(root) == before


def test_set__what_check_would_newly_warn_about_is_said(workspace_with, mars):
    root = workspace_with(FILES)
    result = mars("-w", root, "set", AE_ID, "date=2026-03-01", *AS_OF)  # the return was due 6 weeks before
    assert result.code == 0, result.text
    assert "warning: step-overdue: step 'return-sent' (Section 11 return sent to the agency to update) was due on " \
           "18 January 2026" in result.err


def test_set__bad_values_are_refused_and_nothing_changes(workspace_with, mars):
    root = workspace_with(FILES)
    before = snapshot(root)
    for args, code, words in (
        (("date=16/06/2026",), 2, "for 16 June 2026 write 2026-06-16"),
        (("lead_iso=iso-1", "date=2026-13-01"), 2, "date"),  # the second is bad: the first is not written either
        (("young_scrutineers=two",), 2, "is not a number"),
        (("marking=SECRET",), 1, "'SECRET' is not allowed here"),
        (("lead_iso=dsp-council",), 1, "does not have the iso role"),
        (("agency=",), 2, "--unset agency"),
        (("--unset", "agency"), 1, "required field 'agency' is missing"),
        (("date+=2026-06-23",), 2, "date is not a list"),
        (("date",), 2, "is not FIELD=VALUE"),
        ((), 2, "nothing to change"),
    ):
        result = mars("-w", root, "set", AE_ID, *args, *AS_OF)
        assert result.code == code and words in result.err, (args, result.err)
    assert snapshot(root) == before


def test_set__sign_offs_that_cover_a_changed_field_are_named_as_stale(workspace_with, mars):
    root = workspace_with(FILES)
    for by, role in (("dsp-council", "dsp:council"), ("dsp-health", "dsp:health")):
        assert mars("-w", root, "signoff", AE_ID, "--for", "agency", "--by", by, "--as", role,
                    "--date", "2026-01-20", *AS_OF).code == 0
    unrelated = mars("-w", root, "set", AE_ID, "date=2026-06-30", *AS_OF)  # the endorsement does not cover the date
    assert unrelated.code == 0 and "stale" not in unrelated.err
    result = mars("-w", root, "set", AE_ID, "agency=police-force", "scrutineers=iso-1", *AS_OF)
    assert result.code == 0, result.text
    assert ("warning: the sign-off of 'agency' (the agency identified for scrutiny) by Bob Delegate (dsp-council) as "
            "dsp:council on 20 January 2026 is now stale: it covers agency, which changed. Re-approval is needed: "
            f"`mars signoff {AE_ID} --for agency --by dsp-council --as dsp:council`") in result.err
    assert "by Dan Delegate (dsp-health) as dsp:health" in result.err
    check = mars("-w", root, "check", *AS_OF)
    assert check.out.count("signoff-stale") == 2


def test_set__waits_for_another_writer(workspace_with):
    """Like every writing command, `set` holds the workspace's write lock from before it reads."""
    import subprocess
    import sys

    from test_concurrency import ENV, hold_lock

    root = workspace_with(FILES)
    holder = hold_lock(root)
    writer = subprocess.Popen([sys.executable, "-m", "mars_cli", "-w", str(root), "set", AE_ID, "young_scrutineers=4",
                               *AS_OF], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stderr.readline().startswith("Another mars command is writing in this workspace: waiting")
    assert "young_scrutineers: 4" not in (root / AE).read_text()
    holder.communicate("go\n")
    assert writer.wait(timeout=60) == 0, writer.stderr.read()
    assert "\nyoung_scrutineers: 4\n" in (root / AE).read_text()
