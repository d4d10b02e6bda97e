"""Action plans: agreed before progress goes to SPLIG, and monitored until every action is done
(Framework §5)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    ACT,
    ACT_ID,
    AP,
    AP_ID,
    CI,
    CI_ID,
    WARNING,
    Case,
    assert_breach,
)

BREACHES = {
    "action-plan.monitoring.needs": Case(
        files={
            AP: record("action-plan", AP_ID, status="draft", source=CI_ID, more="""
                steps:
                  - step: monitoring
                    date: 2025-09-01
                """, body="""
                # Action plan

                ## Purpose
                Make supervision consistent.
                """),
            CI: record("call-in", CI_ID, status="proposed", agency="trust")},
        # Progress reported to SPLIG on a plan nobody agreed: a "should" gate, so a warning at the step (line 10).
        as_of="2025-09-02", path=AP, line=10, severity=WARNING,
        words="without sign-off 'plan' from splig-chair or portfolio-lead",
        fix_run=(f"signoff {AP_ID} --for plan --by dsp-police --as splig-chair --date 2025-06-10",)),
    "action-plan.complete.needs": Case(
        files={
            AP: record("action-plan", AP_ID, status="draft", source=CI_ID, body="""
                # Action plan
                """),
            ACT: record("action", ACT_ID, status="complete", owner="trust", due="2025-09-30",
                        completed="2025-09-20")},
        # Its only action closed on 20 September, but SPLIG never heard of its progress: a "should"
        # gate, reported where the plan begins (line 2).
        as_of="2025-10-01", path=AP, line=2, severity=WARNING, words="step 'monitoring'",
        fix_run=(f"step {AP_ID} monitoring --done --date 2025-09-10",)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])
