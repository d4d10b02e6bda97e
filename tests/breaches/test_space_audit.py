"""SPACE Service audits: allocated to a lead, and the findings on their date (Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    ERROR,
    SPACE,
    SPACE_ID,
    WARNING,
    Case,
    assert_breach,
)

BREACHES = {
    "space-audit.allocated.needs": Case(
        files={SPACE: record("space-audit", SPACE_ID, status="requested", theme="Neglect", date="2025-09-30",
                             more="""
            steps:
              - step: requested
                date: 2025-07-01
              - step: allocated
                date: 2025-07-05
            """)},
        as_of="2025-07-10", path=SPACE, line=13, severity=ERROR, words="without `lead`",
        fix=((SPACE, "date: 2025-09-30\n", "date: 2025-09-30\nlead: space-1\n"),)),
    "space-audit.findings.due": Case(
        files={SPACE: record("space-audit", SPACE_ID, status="requested", theme="Neglect", date="2025-07-01")},
        as_of="2025-07-02", path=SPACE, line=9, severity=WARNING, words="step 'findings'",
        fix=((SPACE, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: findings, date: 2025-07-01}\n"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])
