"""Agency call-ins: the meeting on its date (Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    CI,
    CI_ID,
    WARNING,
    Case,
    assert_breach,
    check,
    of_rule,
    planted,
)

BREACHES = {
    "call-in.meeting.due": Case(
        files={CI: record("call-in", CI_ID, status="proposed", agency="trust", date="2025-07-01")},
        as_of="2025-07-02", path=CI, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((CI, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: meeting, date: 2025-07-01}\n"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_due_on_a_date_is_late_from_the_next_day(workspace_with, mars):
    case = BREACHES["call-in.meeting.due"]  # due on 2025-07-01
    root = planted(workspace_with, case.files)
    assert of_rule(check(mars, root, "2025-07-01"), "call-in.meeting.due") == []
    late = of_rule(check(mars, root, "2025-07-02"), "call-in.meeting.due")
    assert [(f["path"], f["line"], f["code"]) for f in late] == [(CI, 9, "step-overdue")]
    assert "was due on 1 July 2025 (on `date`), 1 day ago" in late[0]["message"]
