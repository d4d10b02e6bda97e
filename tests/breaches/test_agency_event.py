"""Agency-specific assurance events: endorsed by the three partners, the Section 11 return before
the event, the findings letter agreed by the portfolio lead, and the next available Board (Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    AE,
    AE_ID,
    AE_POLICE,
    AE_POLICE_ID,
    BOARD_2,
    BOARD_2_ID,
    ERROR,
    WARNING,
    Case,
    assert_breach,
    check,
    endorse,
    of_rule,
    planted,
    run_commands,
    where,
)

BREACHES = {
    "agency-event.endorsed.latest": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30")},
        # No deadline of its own: the selection letter needs it, and the Section 11 return (due six weeks
        # before the event, 19 August) needs the letter, so it is due by then; counted from `date:` (line 9).
        as_of="2025-08-25", path=AE, line=9, severity=WARNING, code="step-overdue",
        words=("step 'endorsed' (Agency endorsed by the three safeguarding partners) should have been done by "
               "19 August 2025, 6 days ago: step 'return-sent'", "(6 weeks before `date`)"),
        hint=f"mars signoff {AE_ID} --for agency",
        fix_run=endorse(AE_ID, "agency", "2025-06-20")),
    "agency-event.selection-letter.latest": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30")},
        as_of="2025-08-25", path=AE, line=9, severity=WARNING,
        words="step 'selection-letter' (Letter to the agency confirming its selection and proposing the date) "
              "should have been done by 19 August 2025",
        hint=f"mars step {AE_ID} selection-letter --done",
        run=endorse(AE_ID, "agency", "2025-06-20"),
        fix=((AE, "date: 2025-09-30\n", "date: 2025-09-30\nsteps:\n  - {step: selection-letter, date: 2025-07-01}\n"),)),
    "agency-event.return-sent.needs": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: return-sent
                date: 2025-08-10
            """)},
        # The Section 11 return went out before the agency was told it had been selected.
        as_of="2025-08-15", path=AE, line=11, severity=WARNING, code="gate-breached",
        words="without step 'selection-letter'",
        run=endorse(AE_ID, "agency", "2025-06-20"),
        fix=((AE, "steps:\n", "steps:\n  - {step: selection-letter, date: 2025-07-01}\n"),)),
    "agency-event.selection-letter.needs": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: selection-letter
                date: 2025-07-01
            """)},
        as_of="2025-07-15", path=AE, line=11, severity=WARNING, words="without sign-off 'agency'",
        fix_run=endorse(AE_ID, "agency", "2025-06-20")),
    "agency-event.return-sent.due": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: return-sent
                date: 2025-08-26
            """)},
        as_of="2025-09-01", path=AE, line=11, severity=WARNING, code="step-late",
        words="7 days late: it should have been done by 19 August 2025 (6 weeks before `date`)",
        fix=((AE, "date: 2025-08-26", "date: 2025-08-19"),)),
    "agency-event.return-received.due": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: return-sent
                date: 2025-08-19
              - step: return-received
                date: 2025-09-16
            """)},
        as_of="2025-09-20", path=AE, line=13, severity=WARNING, code="step-late",
        words="7 days late: it should have been done by 9 September 2025 (3 weeks before `date`)",
        fix=((AE, "date: 2025-09-16", "date: 2025-09-09"),)),
    "agency-event.event.due": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-07-01")},
        as_of="2025-07-02", path=AE, line=9, severity=WARNING,
        words="step 'event' (Event held) was due on 1 July 2025",
        fix=((AE, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: event, date: 2025-07-01}\n"),)),
    "agency-event.event.needs": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: event
                date: 2025-09-30
            """)},
        # The framework: endorsed by all three partners. Council and health did: only police is named.
        as_of="2025-10-01", path=AE, line=11, severity=ERROR, code="gate-breached",
        words="without sign-off 'agency' from Testshire Police (dsp:police or lsp:police)",
        not_words=("Testshire Children's Services", "Testshire Council"),
        run=endorse(AE_ID, "agency", "2025-08-01", partners=("council", "health")),
        fix_run=endorse(AE_ID, "agency", "2025-08-01", partners=("police",))),
    "agency-event.verbal-feedback.due": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-07-01", more="""
            steps:
              - step: event
                date: 2025-07-01
            """)},
        as_of="2025-07-02", path=AE, line=9, severity=WARNING, words="step 'verbal-feedback'",
        fix=((AE, "    date: 2025-07-01\n",
              "    date: 2025-07-01\n  - {step: verbal-feedback, date: 2025-07-01}\n"),)),
    "agency-event.letter-drafted.due": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: event
                date: 2025-09-30
            """)},
        # No findings letter four weeks after the event (28 October): the deadline counts from the event step.
        as_of="2025-10-29", path=AE, line=11, severity=WARNING,
        words=("step 'letter-drafted' (Findings letter drafted) was due on 28 October 2025 "
               "(4 weeks after step 'event')"),
        fix=((AE, "    date: 2025-09-30\n",
              "    date: 2025-09-30\n  - {step: letter-drafted, date: 2025-10-20}\n"),)),
    "agency-event.letter-sent.needs": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30",
                          letter_sent="2025-10-10", more="""
            steps:
              - step: event
                date: 2025-09-30
              - step: letter-drafted
                date: 2025-10-01
            """, body="""
            # Agency event

            ## Findings

            Supervision is not yet consistent.
            """)},
        # The findings letter went on 10 October; the portfolio lead agreed it on 15 October.
        as_of="2025-10-20", path=AE, line=10, severity=ERROR, code="gate-breached",
        words=("without sign-off 'letter' from portfolio-lead", "recorded as done on 10 October 2025"),
        run=(f"signoff {AE_ID} --for letter --by dsp-health --as portfolio-lead --date 2025-10-15",),
        fix=((AE, "letter_sent: 2025-10-10", "letter_sent: 2025-10-16"),)),
    "agency-event.letter-agreed.needs": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: event
                date: 2025-09-30
            signoffs:
              - for: letter
                by: dsp-health
                as: portfolio-lead
                date: 2025-10-05
            """)},
        # Agreed (written by hand: `mars signoff` refuses it) before any letter was drafted.
        as_of="2025-10-10", path=AE, line=14, severity=ERROR, words="without step 'letter-drafted'",
        fix=((AE, "    date: 2025-09-30\nsignoffs:",
              "    date: 2025-09-30\n  - {step: letter-drafted, date: 2025-10-01}\nsignoffs:"),)),
    "agency-event.follow-up.needs": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: follow-up
                date: 2025-12-01
            """)},
        # Closed (follow-up carries the status `closed`) although the letter was never sent.
        as_of="2025-12-05", path=AE, line=11, severity=ERROR, words="without step 'letter-sent'",
        fix=((AE, "date: 2025-09-30\nsteps:", "date: 2025-09-30\nletter_sent: 2025-10-20\nsteps:"),)),
    "agency-event.to-board.due": Case(
        files={
            AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30",
                       letter_sent="2025-10-10"),
            BOARD_2: record("board-meeting", BOARD_2_ID, "2025-04-01", status="held", date="2025-10-16",
                            papers="[]")},
        # The deadline counts from step 'letter-sent', which is the `letter_sent:` date (line 10).
        as_of="2025-10-17", path=AE, line=10, severity=WARNING, words="was due on 16 October 2025",
        fix=((BOARD_2, "papers: []", f"papers: [{AE_ID}]"),)),
    "agency-event.conflict-of-interest": Case(
        files={AE_POLICE: record("agency-event", AE_POLICE_ID, status="proposed", agency="police-force",
                                 date="2025-09-30", more="""
            scrutineers:
              - iso-1
              - dsp-police
            """)},
        # The police DSP scrutinising the police: line 12 is the scrutineer.
        as_of="2025-07-01", path=AE_POLICE, line=12, severity=ERROR, code="conflict-of-interest",
        words="Fay Delegate represents Testshire Police, the partner under scrutiny",
        fix=((AE_POLICE, "  - dsp-police", "  - dsp-council"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_agency_event__selection_letter_without_a_proposed_date_is_a_should_warning(workspace_with, mars):
    """The letter proposes the date: sent before `date:` is set, the gate (a should) warns."""
    case = Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", more="""
            steps:
              - step: selection-letter
                date: 2025-07-01
            """)},
        as_of="2025-07-15", path=AE, line=10, severity=WARNING, code="gate-breached",
        words=("step 'selection-letter' (Letter to the agency confirming its selection and proposing the date) is "
               "recorded as done on 1 July 2025 without `date`"),
        not_words=("sign-off",),  # the three partners did endorse the agency
        run=endorse(AE_ID, "agency", "2025-06-20"),
        fix=((AE, "agency: trust\n", "agency: trust\ndate: 2025-09-30\n"),))
    assert_breach(workspace_with, mars, "agency-event.selection-letter.needs", case)


def test_agency_event__findings_letter_sent_before_the_event_is_held_is_an_error(workspace_with, mars):
    """Agreed by the portfolio lead, but the event itself is not recorded as held."""
    case = BREACHES["agency-event.letter-sent.needs"]
    files = {AE: case.files[AE].replace("  - step: event\n    date: 2025-09-30\n", "")}
    assert "step: event" not in files[AE]
    root = planted(workspace_with, files)
    run_commands(mars, root, case.run, case.as_of)
    found = of_rule(check(mars, root, case.as_of), "agency-event.letter-sent.needs")
    assert where(found) == [(AE, 10, ERROR)]
    assert "step 'event' (Event held) first" in found[0]["message"]
