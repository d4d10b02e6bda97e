"""Actions, one file each in their plan's folder: due dates, completion and extensions (Framework §5)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    ACT,
    ACT_ID,
    AP,
    AP_ID,
    ERROR,
    MARS_YAML,
    WARNING,
    Case,
    assert_breach,
)

ISO_2 = "  - {id: iso-2, name: Mo Scrutineer, email: mo@example.org, roles: [iso]}\n"
ACT_2_ID = "act-2025-06-02-audit-bbbb"
ACT_2 = f"records/action-plan/2025-26/{AP_ID}/{ACT_2_ID}.md"
NURSE = "  - {id: nurse-trust, name: Nia Nurse, email: nia@example.org, agency: trust}\n"  # from the trust, no role
assert ISO_2 in MARS_YAML

BREACHES = {
    "action.overdue": Case(
        files={ACT: record("action", ACT_ID, status="in-progress", owner="trust", due="2025-09-30",
                           completed=None)},
        # Due on 30 September: overdue from 1 October (the end of the due day is still on time).
        as_of="2025-10-01", path=ACT, line=9, severity=WARNING, words="was due on 30 September 2025, 1 day ago",
        fix=((ACT, "due: 2025-09-30", "due: 2025-10-01"),)),
    "action.completion": Case(
        files={ACT: record("action", ACT_ID, status="complete", owner="trust", due="2025-09-30", completed=None)},
        as_of="2025-10-01", path=ACT, line=5, severity=WARNING, words="is complete but has no completion date",
        fix=((ACT, "completed:", "completed: 2025-09-20"),)),
    "action.extensions": Case(
        files={ACT: record("action", ACT_ID, status="in-progress", owner="trust", due="2025-12-31", completed=None,
                           more="""
            extensions:
              - from: 2025-09-30
                to: 2025-11-30
                reason: Staff vacancies
                agreed_by: dsp-police
            """)},
        # The due date was changed by hand after the extension: the two disagree.
        as_of="2025-10-01", path=ACT, line=9, severity=WARNING,
        words="is due on 31 December 2025, but its last extension moved it to 30 November 2025",
        fix=((ACT, "to: 2025-11-30", "to: 2025-12-31"),)),
    "action.extension-agreed": Case(
        files={"mars.yaml": MARS_YAML.replace(ISO_2, ISO_2 + NURSE),
               ACT: record("action", ACT_ID, status="in-progress", owner="trust", due="2025-11-30", completed=None,
                           more="""
            extensions:
              - from: 2025-09-30
                to: 2025-11-30
                reason: Staff vacancies
                agreed_by: nurse-trust
                date: 2025-09-20
            """)},
        # A nurse from the trust agreed the trust's own extension: only the SPLIG chair, the portfolio lead
        # or someone from outside the trust may.
        as_of="2025-10-01", path=ACT, line=15, severity=ERROR,
        words="Nia Nurse is from Testshire Hospitals NHS Trust, which owns this action, so cannot agree its extension",
        fix=((ACT, "agreed_by: nurse-trust", "agreed_by: pl-trust"),)),
    "action.same-title": Case(
        # Two officers added the same action on two branches; the merge kept both files.
        files={AP: record("action-plan", AP_ID, status="draft", title="Neglect plan", owner="officer-1"),
               ACT: record("action", ACT_ID, status="in-progress", owner="trust", due="2026-03-31",
                           title="Audit the use of the neglect toolkit"),
               ACT_2: record("action", ACT_2_ID, "2025-06-02", status="not-started", owner="trust", due="2026-03-31",
                             title="Audit the use of the  Neglect toolkit")},
        as_of="2025-10-01", path=ACT, line=4, severity=WARNING,
        words=f"has the same text as {ACT_2} in records/action-plan/2025-26/{AP_ID}.md",
        fix=((ACT_2, "the  Neglect toolkit", "the neglect toolkit in schools"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])
