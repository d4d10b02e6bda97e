"""Section 11 joint self-assessments: each duty agency's return, and the summary and progress reports
the Boards receive (Framework §2, Section 11 process)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    BOARD,
    BOARD_2,
    BOARD_2_ID,
    BOARD_ID,
    MARS_YAML,
    S11,
    S11_COUNCIL,
    S11_COUNCIL_ID,
    S11_ID,
    S11_POLICE,
    S11_POLICE_ID,
    TRUST_ONLY_DUTY,
    WARNING,
    Case,
    assert_breach,
    check,
    of_rule,
    planted,
    where,
)

BREACHES = {
    "section11.returned.due": Case(
        files={S11: record("section11", S11_ID, status="draft", agency="trust", due="2025-07-01")},
        as_of="2025-07-02", path=S11, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((S11, "due: 2025-07-01\n", "due: 2025-07-01\nreturned: 2025-07-01\n"),)),
    "section11.summary-to-boards": Case(
        files={
            "mars.yaml": TRUST_ONLY_DUTY,
            S11: record("section11", S11_ID, status="draft", agency="trust", due="2025-07-01", returned="2025-06-30"),
            BOARD_2: record("board-meeting", BOARD_2_ID, "2025-04-01", status="held", date="2025-10-16",
                            reports="[]")},
        # The year's only return is back (30 June 2025); the next Board after it (16 October) did not receive
        # the summary: the finding points at that Board's `reports:` (line 9).
        as_of="2025-10-17", path=BOARD_2, line=9, severity=WARNING, code="yearly-report-when-complete",
        words=("the summary of Section 11 outcomes and composite of agency action plans was due at the Children's "
               "MARS Board meeting on 16 October 2025, the next available after the last Section 11 joint "
               "self-assessment of 2025-26 (30 June 2025)"),
        fix=((BOARD_2, "reports: []", "reports: [section11-summary]"),)),
    "section11.every-duty-agency": Case(
        files={
            S11: record("section11", S11_ID, status="draft", agency="trust"),
            S11_COUNCIL: record("section11", S11_COUNCIL_ID, status="draft", agency="council-cs"),
            S11_POLICE: record("section11", S11_POLICE_ID, status="draft", agency="police-force", cycle="2024-25")},
        # The police force's return is for last year: the finding points at its agency in mars.yaml.
        as_of="2025-10-01", path="mars.yaml", line=23, severity=WARNING, code="yearly-every-agency",
        words="Testshire Police has no Section 11 joint self-assessment for 2025-26",
        fix=((S11_POLICE, "cycle: 2024-25", "cycle: 2025-26"),)),
    "section11.progress-to-boards": Case(
        files={
            S11: record("section11", S11_ID, status="draft", agency="trust"),
            BOARD: record("board-meeting", BOARD_ID, "2025-04-01", status="held", date="2025-04-10",
                          reports="[section11-summary]"),
            BOARD_2: record("board-meeting", BOARD_2_ID, "2025-04-01", status="held", date="2025-10-16",
                            reports="[]")},
        # The summary went to the Board of 10 April; the Board six months on did not hear of progress.
        as_of="2025-11-01", path=BOARD, line=9, severity=WARNING,
        words="was due at the Children's MARS Board meeting on 16 October 2025",
        fix=((BOARD_2, "reports: []", "reports: [section11-progress]"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_section11__progress_with_no_board_scheduled_six_months_after_the_summary(workspace_with, mars):
    case = BREACHES["section11.progress-to-boards"]
    root = planted(workspace_with, {S11: case.files[S11], BOARD: case.files[BOARD]})
    found = of_rule(check(mars, root, "2025-11-01"), "section11.progress-to-boards")
    assert where(found) == [(BOARD, 9, WARNING)]
    assert "no Children's MARS Board meeting is scheduled from 10 October 2025" in found[0]["message"]


def test_section11__summary_not_asked_for_while_a_return_of_the_year_is_still_out(workspace_with, mars):
    case = BREACHES["section11.summary-to-boards"]
    council = record("section11", S11_COUNCIL_ID, status="draft", agency="council-cs", due="2025-09-01")
    root = planted(workspace_with, {**case.files, S11_COUNCIL: council})
    assert of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards") == []
    # Once it is back (1 September), the same Board is the next available one.
    root = planted(workspace_with, {
        **case.files, S11_COUNCIL: council.replace("due: 2025-09-01", "due: 2025-09-01\nreturned: 2025-09-01")})
    found = of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards")
    assert where(found) == [(BOARD_2, 9, WARNING)]
    assert "the last Section 11 joint self-assessment of 2025-26 (1 September 2025)" in found[0]["message"]


def test_section11__summary_not_due_before_the_next_board_meets(workspace_with, mars):
    case = BREACHES["section11.summary-to-boards"]
    root = planted(workspace_with, case.files)
    assert of_rule(check(mars, root, "2025-10-16"), "section11.summary-to-boards") == []


def test_section11__summary_with_no_board_after_the_last_return_points_at_the_newest_return(workspace_with, mars):
    """A Board before the last return (even one that received the summary) is not the next available one."""
    case = BREACHES["section11.summary-to-boards"]
    root = planted(workspace_with, {
        "mars.yaml": MARS_YAML.replace("    section11: true\n    partner: police", "    section11: false\n    partner: police"),
        S11: case.files[S11],
        S11_COUNCIL: record("section11", S11_COUNCIL_ID, status="draft", agency="council-cs", due="2025-08-01",
                            returned="2025-07-20"),
        BOARD: record("board-meeting", BOARD_ID, "2025-04-01", status="held", date="2025-07-10",
                      reports="[section11-summary]")})
    found = of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards")
    assert where(found) == [(S11_COUNCIL, 9, WARNING)]  # its `due:`, the main date of the newest return
    assert found[0]["message"].startswith("every Section 11 joint self-assessment of 2025-26 is back (")
    assert found[0]["message"].endswith(
        "the last on 20 July 2025), but no Children's MARS Board meeting is scheduled to receive the summary of "
        "Section 11 outcomes and composite of agency action plans")
    assert "mars new board-meeting" in found[0]["hint"]


def test_section11__summary_with_no_board_names_the_step_as_written(workspace_with, mars):
    case = BREACHES["section11.summary-to-boards"]
    root = planted(workspace_with, {"mars.yaml": TRUST_ONLY_DUTY, S11: case.files[S11]})
    [finding] = of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards")
    assert "(completed return back with the MARS team, the last on 30 June 2025)" in finding["message"]


def test_section11__summary_with_no_board_points_at_the_created_line_of_a_return_without_due(workspace_with, mars):
    """A return with no `due:` is dated by its `created:` (line 7): that is its main date line."""
    root = planted(workspace_with, {
        "mars.yaml": TRUST_ONLY_DUTY,
        S11: record("section11", S11_ID, status="draft", agency="trust", returned="2025-06-30")})
    found = of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards")
    assert where(found) == [(S11, 7, WARNING)]


def test_section11__summary_missed_at_the_first_board_of_the_next_year_is_still_reported(workspace_with, mars):
    """The year's last return is back in February 2026; the next Board (14 May 2026) is in 2026-27."""
    board = "records/board-meeting/2026-27/board-2026-05-14-cccc.md"
    root = planted(workspace_with, {
        "mars.yaml": TRUST_ONLY_DUTY,
        S11: record("section11", S11_ID, status="draft", agency="trust", due="2026-03-01", returned="2026-02-20"),
        board: record("board-meeting", "board-2026-05-14-cccc", "2026-04-01", status="held", date="2026-05-14",
                      reports="[]")})
    found = of_rule(check(mars, root, "2026-05-15"), "section11.summary-to-boards")
    assert where(found) == [(board, 9, WARNING)]


def test_section11__agency_without_the_duty_is_not_asked_for_a_return(workspace_with, mars):
    case = BREACHES["section11.every-duty-agency"]
    root = planted(workspace_with, {S11: case.files[S11]})
    found = of_rule(check(mars, root, case.as_of), "section11.every-duty-agency")
    assert sorted(f["line"] for f in found) == [18, 23]  # council-cs and police-force; not housing (line 32)
