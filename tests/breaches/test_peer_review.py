"""Peer reviews: scoped, terms of reference agreed, then held (Framework §4)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    ERROR,
    PEER,
    PEER_ID,
    WARNING,
    Case,
    assert_breach,
)

BREACHES = {
    "peer-review.terms-agreed.latest": Case(
        files={PEER: record("peer-review", PEER_ID, status="proposed", date="2025-07-01")},
        # Held on `date:` (line 8), after the terms of reference are agreed (and they after the scope).
        as_of="2025-07-02", path=PEER, line=8, severity=WARNING,
        words="step 'terms-agreed' (Terms of reference agreed) should have been done by 1 July 2025",
        fix=((PEER, "date: 2025-07-01\n", "date: 2025-07-01\nterms_agreed: 2025-06-20\n"),)),
    "peer-review.scoped.latest": Case(
        files={PEER: record("peer-review", PEER_ID, status="proposed", date="2025-07-01")},
        # Needed by the terms of reference, which the review needs: through the chain, due by the review.
        as_of="2025-07-02", path=PEER, line=8, severity=WARNING,
        words="step 'scoped' (Scope clarified) should have been done by 1 July 2025, 1 day ago: step 'held'",
        fix=((PEER, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: scoped, date: 2025-06-01}\n"),)),
    "peer-review.terms-agreed.needs": Case(
        files={PEER: record("peer-review", PEER_ID, status="proposed", date="2025-09-30",
                            terms_agreed="2025-07-01")},
        as_of="2025-07-10", path=PEER, line=9, severity=ERROR, words="without step 'scoped'",
        fix=((PEER, "terms_agreed: 2025-07-01\n",
              "terms_agreed: 2025-07-01\nsteps:\n  - {step: scoped, date: 2025-06-20}\n"),)),
    "peer-review.held.due": Case(
        files={PEER: record("peer-review", PEER_ID, status="proposed", date="2025-07-01")},
        as_of="2025-07-02", path=PEER, line=8, severity=WARNING, words="step 'held'",
        fix=((PEER, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: held, date: 2025-07-01}\n"),)),
    "peer-review.held.needs": Case(
        files={PEER: record("peer-review", PEER_ID, status="proposed", date="2025-09-30", more="""
            steps:
              - step: scoped
                date: 2025-06-20
              - step: held
                date: 2025-09-30
            """)},
        as_of="2025-10-01", path=PEER, line=12, severity=ERROR, words="without step 'terms-agreed'",
        fix=((PEER, "date: 2025-09-30\nsteps:", "date: 2025-09-30\nterms_agreed: 2025-07-01\nsteps:"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])
