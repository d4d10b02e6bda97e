"""Rapid reviews: the partners notified within 5 working days of becoming aware, and the decision
within 15 working days of the notification, bank holidays skipped (Working Together 2023)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    RR,
    RR_ID,
    WARNING,
    Case,
    assert_breach,
    check,
    of_rule,
    planted,
)

BREACHES = {
    "rapid-review.notified.due": Case(
        files={RR: record("rapid-review", RR_ID, "2025-12-19", status="notified", aware_date="2025-12-19",
                          notification_date="2026-01-02")},
        # 5 working days after Friday 19 December 2025, skipping Christmas Day and Boxing Day.
        as_of="2026-01-05", path=RR, line=9, severity=WARNING, code="step-late",
        words=("done on 2 January 2026, 3 days late", "by 30 December 2025 (5 working days after `aware_date`)"),
        fix=((RR, "notification_date: 2026-01-02", "notification_date: 2025-12-30"),)),
    "rapid-review.decided.due": Case(
        files={RR: record("rapid-review", RR_ID, "2025-12-19", status="notified", notification_date="2025-12-19")},
        # 15 working days after 19 December 2025, skipping 25 and 26 December and 1 January.
        as_of="2026-01-15", path=RR, line=8, severity=WARNING, code="step-overdue",
        words="was due on 14 January 2026 (15 working days after `notification_date`), 1 day ago",
        fix=((RR, "notification_date: 2025-12-19\n",
              "notification_date: 2025-12-19\nsteps:\n  - {step: decided, date: 2026-01-14}\n"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_rapid_review__decided_is_not_late_on_the_day_it_is_due_over_christmas(workspace_with, mars):
    case = BREACHES["rapid-review.decided.due"]
    root = planted(workspace_with, case.files)
    assert of_rule(check(mars, root, "2026-01-14"), "rapid-review.decided.due") == []
