"""Voice quality assurance: held on its date (Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    VOICE,
    VOICE_ID,
    WARNING,
    Case,
    assert_breach,
)

BREACHES = {
    "voice.held.due": Case(
        files={VOICE: record("voice", VOICE_ID, status="planned", date="2025-07-01")},
        as_of="2025-07-02", path=VOICE, line=8, severity=WARNING, words="step 'held'",
        fix=((VOICE, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: held, date: 2025-07-01}\n"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])
