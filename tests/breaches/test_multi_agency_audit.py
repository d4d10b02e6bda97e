"""Multi Agency Audit Group audits: reported on their date (Framework §1)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    MAA,
    MAA_ID,
    WARNING,
    Case,
    assert_breach,
)

BREACHES = {
    "multi-agency-audit.reported.due": Case(
        files={MAA: record("multi-agency-audit", MAA_ID, status="planned", date="2025-07-01")},
        as_of="2025-07-02", path=MAA, line=8, severity=WARNING, words="step 'reported'",
        fix=((MAA, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: reported, date: 2025-07-01}\n"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])
