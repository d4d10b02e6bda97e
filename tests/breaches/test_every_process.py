"""The rules every process shares: sign-offs by the right role, independent and still fresh; steps
that exist and are not after today; a written status that agrees with the steps; the next available
meeting."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import record

from breaches.harness import (
    AE,
    AE_ID,
    BOARD_2,
    BOARD_2_ID,
    CI,
    CI_ID,
    ERROR,
    TE,
    TE_ID,
    WARNING,
    Case,
    assert_breach,
    endorse,
)

BREACHES = {
    "status.steps-recorded": Case(
        files={TE: record("thematic-event", TE_ID, status="scheduled", theme="Neglect", date="2025-09-30", more="""
            steps:
              - step: event
                date: 2025-09-30
            """)},
        # Held (the event is recorded) though the dates step, which brings 'scheduled', never was: the status
        # is 'held' all the same, and the missing step is named at `status:` (line 5).
        as_of="2025-10-01", path=TE, line=5, severity=WARNING, code="step-not-recorded",
        words=("the record is 'held' by its steps", "'dates' (Dates identified) was never recorded"),
        not_words=("format-endorsed",),
        run=(*endorse(TE_ID, "theme", "2025-07-01"), *endorse(TE_ID, "format", "2025-07-01")),
        fix=((TE, "steps:\n", "steps:\n  - {step: dates, date: 2025-07-02}\n"),)),
    "steps.date-agrees": Case(
        files={TE: record("thematic-event", TE_ID, status="scheduled", theme="Neglect", date="2025-09-30", more="""
            steps:
              - step: event
                date: 2025-09-26
            """)},
        # Held four days before `date:` says: earlier, so never late, but the two disagree.
        as_of="2025-10-01", path=TE, line=11, severity=WARNING, code="date-disagrees",
        words=("recorded as done on 26 September 2025, but `date:` says 30 September 2025: the two disagree",),
        hint="set `date: 2025-09-26`",
        run=(*endorse(TE_ID, "theme", "2025-07-01"), *endorse(TE_ID, "format", "2025-07-01")),
        fix=((TE, "date: 2025-09-26", "date: 2025-09-30"),)),
    "signoff.role": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            signoffs:
              - for: agency
                by: dsp-council
                as: dsp:police
                date: 2025-08-01
            """)},
        # Signed by the council's DSP as the police's DSP.
        as_of="2025-08-10", path=AE, line=11, severity=ERROR, code="signoff-wrong-role",
        words="the sign-off of 'agency' by dsp-council: Bob Delegate does not hold the role dsp:police in mars.yaml",
        fix=((AE, "by: dsp-council", "by: dsp-police"),)),
    "signoff.independent": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            signoffs:
              - for: letter
                by: pl-trust
                as: portfolio-lead
                date: 2025-10-05
            """)},
        # An independent approval (the portfolio lead's) from someone who works for the trust under scrutiny.
        as_of="2025-10-10", path=AE, line=11, severity=ERROR, code="signoff-conflict",
        words="Lee Trust works for Testshire Hospitals NHS Trust, the agency under scrutiny",
        fix=((AE, "by: pl-trust", "by: dsp-health"),)),
    "signoff.stale": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30",
                          steps="[{step: letter-drafted, date: 2025-10-01}]", body="""
            # Agency event

            ## Findings

            Supervision is not yet consistent.
            """)},
        # `mars signoff` adds `signoffs:` after line 10: the list on line 11, its first entry on line 12.
        as_of="2025-10-10", path=AE, line=12, severity=WARNING,
        words=("the sign-off of 'letter' by dsp-health (as portfolio-lead) is stale: what it covers "
               "('## Findings') has changed since it was given"),
        run=(f"signoff {AE_ID} --for letter --by dsp-health --as portfolio-lead --date 2025-10-05",),
        edit=((AE, "Supervision is not yet consistent.", "Supervision is consistent."),)),
    "progress.not-after-today": Case(
        files={CI: record("call-in", CI_ID, status="proposed", agency="trust", date="2025-07-01", more="""
            steps:
              - step: meeting
                date: 2999-07-01
            """)},
        # A typing slip for 2025: the finding points at the entry's date (line 12).
        as_of="2025-07-10", path=CI, line=12, severity=ERROR,
        words="the step 'meeting' is recorded as done on 1 July 2999, which is after today",
        fix=((CI, "date: 2999-07-01", "date: 2025-07-01"),)),
    "steps.recorded": Case(
        files={CI: record("call-in", CI_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: meetnig
                date: 2025-07-01
            """)},
        as_of="2025-07-10", path=CI, line=11, severity=ERROR, words="'meetnig' is not a step of an agency call-in",
        fix=((CI, "step: meetnig", "step: scheduled"),)),
    "meeting.next-available": Case(
        files={
            AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30",
                       letter_sent="2025-10-10"),
            BOARD_2: record("board-meeting", BOARD_2_ID, "2025-04-01", status="held", date="2025-10-02")},
        # The only Board is before the letter; the step waits on `letter_sent:` (line 10).
        as_of="2025-10-20", path=AE, line=10, severity=WARNING, code="no-next-meeting", hint="mars new board-meeting",
        words="no Children's MARS Board meeting is scheduled after 10 October 2025",
        fix=((BOARD_2, "date: 2025-10-02", "date: 2025-10-30"),)),
    "status.from-steps": Case(
        files={CI: record("call-in", CI_ID, status="held", agency="trust")},
        as_of="2025-07-01", path=CI, line=5, severity=WARNING,
        words="status says 'held', but its steps say 'proposed'",
        fix=((CI, "status: held", "status: proposed"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_signoff__stale_after_the_covered_section_changes_and_another_approval_stays_fresh(workspace_with, mars):
    # The agency endorsements are entries 1 to 3 (lines 12, 17, 22): the letter's is entry 4, line 27, and the
    # only stale one.
    case = dataclasses.replace(
        BREACHES["signoff.stale"], line=27, words="the sign-off of 'letter' by dsp-health (as portfolio-lead) is stale",
        run=(*endorse(AE_ID, "agency", "2025-08-01"),
             f"signoff {AE_ID} --for letter --by dsp-health --as portfolio-lead --date 2025-10-05"))
    assert_breach(workspace_with, mars, "signoff.stale", case, only=True)
