"""Early years audits: each provider's return and the composite for the Board (Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    BOARD_2,
    BOARD_2_ID,
    EYA,
    EYA_ID,
    WARNING,
    Case,
    assert_breach,
    check,
    of_rule,
    planted,
    where,
)

BREACHES = {
    "early-years-audit.returned.due": Case(
        files={EYA: record("early-years-audit", EYA_ID, status="issued", agency="tots", due="2025-07-01")},
        as_of="2025-07-02", path=EYA, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((EYA, "due: 2025-07-01\n", "due: 2025-07-01\nreturned: 2025-06-30\n"),)),
    "early-years-audit.composite-to-board": Case(
        files={
            EYA: record("early-years-audit", EYA_ID, status="returned", agency="tots", due="2025-07-01",
                        returned="2025-06-30"),
            BOARD_2: record("board-meeting", BOARD_2_ID, "2025-04-01", status="held", date="2025-10-16")},
        # The Board has no `reports:` at all: the finding points at its `date:` (line 8).
        as_of="2025-10-17", path=BOARD_2, line=8, severity=WARNING,
        words=("the composite of the early years audits was due at the Children's MARS Board meeting on "
               "16 October 2025"),
        fix=((BOARD_2, "date: 2025-10-16\n", "date: 2025-10-16\nreports: [early-years-composite]\n"),)),
    "early-years-audit.every-provider": Case(
        files={EYA: record("early-years-audit", EYA_ID, status="draft", agency="tots", cycle="2024-25")},
        as_of="2025-10-01", path="mars.yaml", line=39, severity=WARNING, words="Tiny Tots Nursery has no",
        fix=((EYA, "cycle: 2024-25", "cycle: 2025-26"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_early_years_audit__composite_not_asked_for_while_an_audit_is_still_out(workspace_with, mars):
    case = BREACHES["early-years-audit.composite-to-board"]
    files = {**case.files, EYA: case.files[EYA].replace("due: 2025-07-01\nreturned: 2025-06-30", "due: 2025-07-01")}
    assert "returned:" not in files[EYA]
    findings = check(mars, planted(workspace_with, files), "2025-10-17")
    assert of_rule(findings, "early-years-audit.composite-to-board") == []
    assert where(of_rule(findings, "early-years-audit.returned.due")) == [(EYA, 9, WARNING)]  # it is still out
