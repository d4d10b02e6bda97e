"""Agency-specific assurance events: endorsed by the three partners, the Section 11 return before
the event, the findings letter agreed by the portfolio lead, and the next available Board (Framework §2)."""

from __future__ import annotations

import json

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
    S11,
    S11_ID,
    S11_POLICE,
    S11_POLICE_ID,
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

# The trust's 2025-26 Section 11 return: issued on 10 June 2025 (line 11), back on 25 July 2025 (line 9).
TRUST_RETURN = record("section11", S11_ID, status="draft", agency="trust", due="2025-07-31", returned="2025-07-25",
                      more="""
    steps:
      - step: issued
        date: 2025-06-10
    """)
S11_SECOND_ID = "s11-2025-06-01-trust-second-dddd"
S11_SECOND = f"records/section11/2025-26/{S11_SECOND_ID}.md"

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
    # One return, not two: the trust's Section 11 return (S11) is the return the event sends out and gets back.
    "agency-event.return-sent.same-as": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: return-sent
                date: 2025-06-01
            """), S11: TRUST_RETURN},
        # The event says the return went out on 1 June; the return itself was issued on 10 June.
        as_of="2025-09-01", path=AE, line=11, severity=WARNING, code="dates-disagree",
        words=(f"recorded here as done on 1 June 2025, before {S11_ID}", "'issued' step done (10 June 2025)"),
        hint="Record the date once", fix=((AE, "date: 2025-06-01", "date: 2025-06-10"),)),
    "agency-event.return-received.same-as": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", more="""
            steps:
              - step: return-received
                date: 2025-07-20
            """), S11: TRUST_RETURN},
        as_of="2025-09-01", path=AE, line=11, severity=WARNING, code="dates-disagree",
        words="'returned' step done (25 July 2025)", fix=((AE, "date: 2025-07-20", "date: 2025-07-25"),)),
    "agency-event.section11.link": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30",
                          section11=S11_POLICE_ID),
               S11: TRUST_RETURN, S11_POLICE: record("section11", S11_POLICE_ID, status="draft", agency="police-force")},
        # The event about the trust names the police force's return (line 10).
        as_of="2025-09-01", path=AE, line=10, severity=ERROR, code="link-wrong-agency",
        words=(f"section11: {S11_POLICE_ID} is the Section 11 joint self-assessment of Testshire Police, not of "
               "Testshire Hospitals NHS Trust"), hint="mars list section11 --agency trust",
        fix=((AE, f"section11: {S11_POLICE_ID}", f"section11: {S11_ID}"),)),
    "agency-event.section11.found": Case(
        files={AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30", section11=None),
               S11: TRUST_RETURN, S11_SECOND: record("section11", S11_SECOND_ID, status="draft", agency="trust")},
        # Two returns of the trust for 2025-26 and none named: mars does not guess.
        as_of="2025-09-01", path=AE, line=10, severity=WARNING, code="link-ambiguous",
        words=f"has 2 Section 11 joint self-assessment records for 2025-26 ({S11_ID}, {S11_SECOND_ID})",
        hint=f"Name it: `section11: ID`", fix=((AE, "section11:", f"section11: {S11_ID}"),)),
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


def _steps(mars, root, as_of: str) -> dict[str, dict]:
    result = mars("-w", root, "show", AE_ID, "--format", "json", "--as-of", as_of)
    assert result.code == 0, result.text
    return {s["step"]: s for s in json.loads(result.out)["process"]["steps"]}


def test_agency_event__return_dates_come_from_the_agencys_section11_record(workspace_with, mars):
    """Recorded once, on the return: the event's 'return sent' and 'return received' are done on its dates,
    so nothing is overdue on the event, and `show` says where each date comes from."""
    root = planted(workspace_with, {AE: record("agency-event", AE_ID, status="proposed", agency="trust",
                                               date="2025-09-30"), S11: TRUST_RETURN})
    steps = _steps(mars, root, "2025-10-01")
    assert [(steps[s]["state"], steps[s]["done"], steps[s]["date_from"]) for s in ("return-sent", "return-received")] == [
        ("done", "2025-06-10", f"{S11_ID}:issued"), ("done", "2025-07-25", f"{S11_ID}:returned")]
    findings = check(mars, root, "2025-10-01")
    assert not [f for f in findings if f["rule"].startswith("agency-event.return-")], findings
    out = mars("-w", root, "show", AE_ID, "--as-of", "2025-10-01").out
    assert f"done 10 June 2025 · from {S11_ID} (its 'issued' step)" in out, out
    # Looking back to before the return was issued, nothing was done yet: the deadline is there.
    early = _steps(mars, root, "2025-06-05")
    assert early["return-sent"]["done"] is None and early["return-sent"]["due"] == "2025-08-19"
    assert f"or when {S11_ID} records 'issued'" in mars("-w", root, "show", AE_ID, "--as-of", "2025-06-05").out


def test_agency_event__a_return_named_is_used_and_a_later_date_on_the_event_is_an_update(workspace_with, mars):
    """`section11:` names the return (here of another year); the event's own later date is an update of
    the return for the event: it counts, and nothing disagrees."""
    files = {AE: record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30",
                        section11=S11_ID, more="""
                 steps:
                   - step: return-received
                     date: 2025-09-01
                 """),
             S11: TRUST_RETURN.replace("agency: trust", "agency: trust\ncycle: 2024-25")}
    root = planted(workspace_with, files)
    steps = _steps(mars, root, "2025-09-02")
    assert (steps["return-sent"]["done"], steps["return-sent"]["date_from"]) == ("2025-06-10", f"{S11_ID}:issued")
    assert (steps["return-received"]["done"], steps["return-received"]["date_from"]) == ("2025-09-01", None)
    found = check(mars, root, "2025-09-02")
    assert not [f for f in found if f["rule"].startswith(("agency-event.return-", "agency-event.section11."))], found


def test_agency_event__another_agencys_return_lends_no_dates_and_is_an_error(workspace_with, mars):
    case = BREACHES["agency-event.section11.link"]
    root = planted(workspace_with, case.files)
    steps = _steps(mars, root, case.as_of)
    assert steps["return-sent"]["done"] is None and steps["return-sent"]["date_from"] is None
    result = mars("-w", root, "check", "--as-of", case.as_of)
    assert result.code == 1 and f"{AE}:10: error link-wrong-agency" in result.out, result.out


def test_agency_event__two_returns_found_say_so_in_show_and_lend_no_dates(workspace_with, mars):
    case = BREACHES["agency-event.section11.found"]
    root = planted(workspace_with, case.files)
    assert _steps(mars, root, case.as_of)["return-sent"]["done"] is None
    out = mars("-w", root, "show", AE_ID, "--as-of", case.as_of).out
    assert "Testshire Hospitals NHS Trust has 2 Section 11 joint self-assessment records for 2025-26" in out, out


def test_agency_event__same_as_in_processes_yaml_must_name_a_linked_step(workspace_with, mars):
    rules = """\
processes:
  agency-event:
    steps:
      return-sent:
        same_as: section11:sent
      return-received:
        same_as: lead_iso:returned
"""
    root = workspace_with({"processes.yaml": rules, S11: TRUST_RETURN})
    found = check(mars, root, "2025-09-01")
    bad = {(f["line"], f["message"].split(",")[0]) for f in found if f["code"] == "bad-process"}
    assert bad == {(5, "same_as: 'sent' is not a step of the section11 process that has a date of its own"),
                   (7, "same_as 'lead_iso:returned' should be KIND:STEP")}, found
