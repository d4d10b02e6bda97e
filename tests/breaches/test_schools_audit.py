"""Schools, colleges and alternative provision audits: each setting's return, its outcomes recorded
by governors and the senior leadership team, and the composite for the Board (Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    BOARD_2,
    BOARD_2_ID,
    SCH,
    SCH_ID,
    WARNING,
    Case,
    assert_breach,
    setting_signoffs,
)

BREACHES = {
    "schools-audit.returned.due": Case(
        files={SCH: record("schools-audit", SCH_ID, status="issued", agency="hill-primary", kcsie_edition='"2025"',
                           due="2025-07-01")},
        as_of="2025-07-02", path=SCH, line=10, severity=WARNING, words="was due on 1 July 2025",
        fix=((SCH, "due: 2025-07-01\n", "due: 2025-07-01\nreturned: 2025-06-30\n"),)),
    "schools-audit.recorded.due": Case(
        files={SCH: record("schools-audit", SCH_ID, status="returned", agency="hill-primary",
                           kcsie_edition='"2025"', due="2025-07-01", returned="2025-06-30")},
        as_of="2025-07-02", path=SCH, line=10, severity=WARNING,
        words="(Outcomes recorded by governors and the senior leadership team) was due on 1 July 2025",
        fix_run=setting_signoffs("2025-06-30")),
    "schools-audit.reviewed.needs": Case(
        files={SCH: record("schools-audit", SCH_ID, status="returned", agency="hill-primary",
                           kcsie_edition='"2025"', due="2025-07-01", returned="2025-06-30", more="""
            steps:
              - step: reviewed
                date: 2025-07-10
            """)},
        as_of="2025-07-15", path=SCH, line=13, severity=WARNING, words="without sign-off 'outcomes'",
        fix_run=setting_signoffs("2025-06-30")),
    "schools-audit.composite-to-board": Case(
        files={
            SCH: record("schools-audit", SCH_ID, status="returned", agency="hill-primary", kcsie_edition='"2025"',
                        due="2025-07-01", returned="2025-06-30"),
            BOARD_2: record("board-meeting", BOARD_2_ID, "2025-04-01", status="held", date="2025-10-16",
                            reports="[section11-summary]")},
        # The Board received the Section 11 summary, another report: the finding is about the composite only.
        as_of="2025-10-17", path=BOARD_2, line=9, severity=WARNING, not_words=("section11",),
        words=("the composite of the schools, colleges and alternative provision audits was due at the Children's "
               "MARS Board meeting on 16 October 2025"),
        fix=((BOARD_2, "reports: [section11-summary]", "reports: [section11-summary, schools-composite]"),)),
    "schools-audit.every-setting": Case(
        files={SCH: record("schools-audit", SCH_ID, status="draft", agency="hill-primary", kcsie_edition='"2025"',
                           cycle="2024-25")},
        as_of="2025-10-01", path="mars.yaml", line=36, severity=WARNING, words="Hill Primary School has no",
        fix=((SCH, "cycle: 2024-25", "cycle: 2025-26"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])
