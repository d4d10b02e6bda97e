"""Case-specific line of sight events: requested by the three delegated representatives, partners
notified, case audits before the meeting, and the next available SPLIG (Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    CLOS,
    CLOS_ID,
    ERROR,
    SPLIG,
    SPLIG_ID,
    WARNING,
    Case,
    assert_breach,
    endorse,
)

BREACHES = {
    "case-line-of-sight.agreed.latest": Case(
        files={CLOS: record("case-line-of-sight", CLOS_ID, status="requested", date="2025-07-10")},
        # The partners are notified the day before the meeting, once the request is agreed: agreed by then.
        as_of="2025-07-10", path=CLOS, line=8, severity=WARNING,
        words="step 'agreed' (Agreed by the three delegated representatives) should have been done by 9 July 2025",
        fix_run=endorse(CLOS_ID, "request", "2025-07-01")),
    "case-line-of-sight.partners-notified.due": Case(
        files={CLOS: record("case-line-of-sight", CLOS_ID, status="requested", date="2025-07-10")},
        # Not yet done: the deadline counts from `date:` (line 8).
        as_of="2025-07-10", path=CLOS, line=8, severity=WARNING,
        words=("step 'partners-notified' (The three safeguarding partners notified that an event is being held) "
               "was due on 9 July 2025 (1 day before `date`), 1 day ago"),
        fix=((CLOS, "date: 2025-07-10\n",
              "date: 2025-07-10\nsteps:\n  - {step: partners-notified, date: 2025-07-09}\n"),)),
    "case-line-of-sight.partners-notified.needs": Case(
        files={CLOS: record("case-line-of-sight", CLOS_ID, status="requested", date="2025-09-30", more="""
            steps:
              - step: partners-notified
                date: 2025-08-01
            """)},
        as_of="2025-08-15", path=CLOS, line=10, severity=ERROR, words="without sign-off 'request'",
        fix_run=endorse(CLOS_ID, "request", "2025-07-20")),
    "case-line-of-sight.case-audits.due": Case(
        files={CLOS: record("case-line-of-sight", CLOS_ID, status="requested", date="2025-07-10", more="""
            steps:
              - step: case-audits
                date: 2025-07-10
            """)},
        as_of="2025-07-11", path=CLOS, line=10, severity=WARNING,
        words=("done on 10 July 2025, 1 day late", "by 9 July 2025 (1 day before `date`)"),
        fix=((CLOS, "    date: 2025-07-10", "    date: 2025-07-09"),)),
    "case-line-of-sight.meeting.due": Case(
        files={CLOS: record("case-line-of-sight", CLOS_ID, status="requested", date="2025-07-10")},
        as_of="2025-07-11", path=CLOS, line=8, severity=WARNING, words="step 'meeting'",
        fix=((CLOS, "date: 2025-07-10\n", "date: 2025-07-10\nsteps:\n  - {step: meeting, date: 2025-07-10}\n"),)),
    "case-line-of-sight.meeting.needs": Case(
        files={CLOS: record("case-line-of-sight", CLOS_ID, status="requested", date="2025-09-30", more="""
            steps:
              - step: meeting
                date: 2025-09-30
            """)},
        as_of="2025-10-01", path=CLOS, line=10, severity=ERROR, words="without sign-off 'request'",
        fix_run=endorse(CLOS_ID, "request", "2025-07-20")),
    "case-line-of-sight.to-splig.due": Case(
        files={
            CLOS: record("case-line-of-sight", CLOS_ID, status="requested", date="2025-09-30", more="""
                steps:
                  - step: meeting
                    date: 2025-09-30
                """),
            SPLIG: record("splig-meeting", SPLIG_ID, "2025-04-01", status="held", date="2025-10-14", papers="[]")},
        # The deadline counts from step 'meeting', recorded on line 10.
        as_of="2025-10-15", path=CLOS, line=10, severity=WARNING, words="was due on 14 October 2025",
        fix=((SPLIG, "papers: []", f"papers: [{CLOS_ID}]"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])
