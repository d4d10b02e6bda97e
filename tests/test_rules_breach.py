"""Every shipped rule, broken on purpose: `mars check` names the rule, the file, the line and the severity.

BREACHES holds one case per rule id of `mars rules` (test_every_shipped_rule_has_a_breach_test keeps
it complete). Each case plants a breach in a fresh workspace, runs
`mars check --format json --as-of DAY`, and expects a finding of that rule at an exact file and line;
then it builds the same workspace with the breach fixed and expects no finding of that rule, so every
case can fail.

Reading the record texts: every record starts with the same seven lines
(1 `---`, 2 id, 3 kind, 4 title, 5 status, 6 marking, 7 created), so its own fields start on line 8.
In mars.yaml (conftest.CONFIG, extended below only after line 50) the agencies start on lines
18 council-cs, 23 police-force, 28 trust, 32 housing, 36 hill-primary, 39 tots, and iso-1 is line 49.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CONFIG, git, write_files

import mars_cli.framework.processes
from mars_cli.rules.steps import rule_table

# conftest's mars.yaml, plus the people some rules need (added after line 50, so no line above moves).
OFFICER = "  - {id: officer-1, name: Hal Officer, email: hal@example.org, roles: [mars-officer]}\n"
assert OFFICER in CONFIG
MARS_YAML = CONFIG.replace(OFFICER, OFFICER + (
    "  - {id: head-hill, name: Ida Head, email: ida@example.org, roles: ['head:hill-primary']}\n"
    "  - {id: gov-hill, name: Jon Governor, email: jon@example.org, roles: ['governor:hill-primary']}\n"
    "  - {id: space-1, name: Kay Space, email: kay@example.org, roles: [space-lead]}\n"
    "  - {id: pl-trust, name: Lee Trust, email: lee@example.org, roles: [portfolio-lead], agency: trust}\n"
    "  - {id: iso-2, name: Mo Scrutineer, email: mo@example.org, roles: [iso]}\n"))

# The Section 11 summary is due once every duty agency's return is back: in these cases only the trust has
# the duty, so its one return completes the year (same lines as MARS_YAML).
TRUST_ONLY_DUTY = (MARS_YAML.replace("    section11: true\n    partner: council", "    section11: false\n    partner: council")
                   .replace("    section11: true\n    partner: police", "    section11: false\n    partner: police"))
assert TRUST_ONLY_DUTY.count("section11: true") == 1

ERROR, WARNING = "error", "warning"

# Record paths: records/<kind>/<reporting year of created>/<id>.md
S11 = "records/section11/2025-26/s11-2025-06-01-trust-aaaa.md"
S11_COUNCIL = "records/section11/2025-26/s11-2025-06-01-council-bbbb.md"
S11_POLICE = "records/section11/2025-26/s11-2025-06-01-police-cccc.md"
SCH = "records/schools-audit/2025-26/sch-2025-06-01-hill-aaaa.md"
EYA = "records/early-years-audit/2025-26/eya-2025-06-01-tots-aaaa.md"
CI = "records/call-in/2025-26/ci-2025-06-01-trust-aaaa.md"
AE_ID = "ae-2025-06-01-trust-aaaa"
AE = f"records/agency-event/2025-26/{AE_ID}.md"
AE_POLICE = "records/agency-event/2025-26/ae-2025-06-01-police-aaaa.md"
TE_ID = "te-2025-06-01-neglect-aaaa"
TE = f"records/thematic-event/2025-26/{TE_ID}.md"
LOS_ID = "los-2025-06-01-neglect-aaaa"
LOS = f"records/line-of-sight/2025-26/{LOS_ID}.md"
CLOS_ID = "clos-2025-06-01-case-aaaa"
CLOS = f"records/case-line-of-sight/2025-26/{CLOS_ID}.md"
MARPF = "records/marpf/2025-26/marpf-2025-06-01-first-aaaa.md"
MARPF_2 = "records/marpf/2025-26/marpf-2025-06-01-second-bbbb.md"
SPACE = "records/space-audit/2025-26/space-2025-06-01-neglect-aaaa.md"
MAA = "records/multi-agency-audit/2025-26/maa-2025-06-01-case-aaaa.md"
VOICE = "records/voice/2025-26/voice-2025-06-01-forum-aaaa.md"
PEER = "records/peer-review/2025-26/peer-2025-06-01-visit-aaaa.md"
AR_ID = "ar-2025-04-01-report-aaaa"
AR = f"records/annual-report/2025-26/{AR_ID}.md"
RR = "records/rapid-review/2025-26/rr-2025-12-19-case-aaaa.md"
AP_ID = "ap-2025-06-01-plan-aaaa"
AP = f"records/action-plan/2025-26/{AP_ID}.md"
ACT = f"records/action-plan/2025-26/{AP_ID}/act-2025-06-01-audit-aaaa.md"
ISO_A = "records/iso-activity/2025-26/iso-2025-06-01-board-aaaa.md"
ISO_B = "records/iso-activity/2025-26/iso-2025-06-01-scrutiny-bbbb.md"
BOARD = "records/board-meeting/2025-26/board-2025-04-10-aaaa.md"
BOARD_2 = "records/board-meeting/2025-26/board-2025-10-16-bbbb.md"
SPLIG = "records/splig-meeting/2025-26/splig-2025-05-20-aaaa.md"
AP_TE = "records/action-plan/2025-26/ap-2025-11-01-neglect-aaaa.md"
AP_LOS = "records/action-plan/2025-26/ap-2025-10-01-neglect-bbbb.md"


@dataclass
class Case:
    """A breach of one rule, and how to fix it.

    files    the workspace as planted (mars.yaml is MARS_YAML unless given here)
    path, line, severity   where the finding must point, and how serious it is
    as_of    the day `check` (and every command) runs as of
    run      `mars` commands run on both workspaces after writing the files (sign-offs, steps)
    edit     (path, old, new) changes made after `run` on the broken workspace only
    fix      (path, old, new) changes to the planted files that remove the breach
    fix_run  further commands run only on the fixed workspace
    words    text the finding's message holds
    """

    files: dict[str, str]
    path: str
    line: int
    severity: str
    as_of: str
    run: tuple[str, ...] = ()
    edit: tuple[tuple[str, str, str], ...] = ()
    fix: tuple[tuple[str, str, str], ...] = ()
    fix_run: tuple[str, ...] = ()
    words: str | tuple[str, ...] = ""


def endorse(rid: str, approval: str, date: str, partners=("council", "health", "police")) -> tuple[str, ...]:
    """`mars signoff` commands: each partner's DSP signs `approval` off on `date`."""
    return tuple(f"signoff {rid} --for {approval} --by dsp-{p} --as dsp:{p} --date {date}" for p in partners)


def lsp_signoffs(rid: str, date: str) -> tuple[str, ...]:
    return tuple(f"signoff {rid} --for sign-off --by lsp-{p} --as lsp:{p} --date {date}"
                 for p in ("council", "health", "police"))


def setting_signoffs(date: str) -> tuple[str, ...]:
    """The school's head and a governor record the audit's outcomes."""
    return (f"signoff sch-2025-06-01-hill-aaaa --for outcomes --by head-hill --as head:hill-primary --date {date}",
            f"signoff sch-2025-06-01-hill-aaaa --for outcomes --by gov-hill --as governor:hill-primary --date {date}")


BREACHES: dict[str, Case] = {
    # ------------------------------------------------------------------ section11
    "section11.returned.due": Case(
        files={S11: """
            ---
            id: s11-2025-06-01-trust-aaaa
            kind: section11
            title: Section 11 return
            status: draft
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            due: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=S11, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((S11, "due: 2025-07-01\n", "due: 2025-07-01\nreturned: 2025-07-01\n"),)),
    "section11.summary-to-boards": Case(
        files={
            "mars.yaml": TRUST_ONLY_DUTY,
            S11: """
                ---
                id: s11-2025-06-01-trust-aaaa
                kind: section11
                title: Section 11 return
                status: draft
                marking: OFFICIAL
                created: 2025-06-01
                agency: trust
                due: 2025-07-01
                returned: 2025-06-30
                ---
                """,
            BOARD_2: """
                ---
                id: board-2025-10-16-bbbb
                kind: board-meeting
                title: Board
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-16
                reports: []
                ---
                """},
        # The year's only return is back (30 June 2025); the next Board after it (16 October) did not receive
        # the summary: the finding points at that Board's `reports:` (line 9).
        as_of="2025-10-17", path=BOARD_2, line=9, severity=WARNING,
        words=("the summary of Section 11 outcomes and composite of agency action plans was due at the Children's "
               "MARS Board meeting on 16 October 2025, the next available after the last Section 11 joint "
               "self-assessment of 2025-26 (30 June 2025)"),
        fix=((BOARD_2, "reports: []", "reports: [section11-summary]"),)),
    "section11.every-duty-agency": Case(
        files={
            S11: """
                ---
                id: s11-2025-06-01-trust-aaaa
                kind: section11
                title: Section 11 return
                status: draft
                marking: OFFICIAL
                created: 2025-06-01
                agency: trust
                ---
                """,
            S11_COUNCIL: """
                ---
                id: s11-2025-06-01-council-bbbb
                kind: section11
                title: Section 11 return
                status: draft
                marking: OFFICIAL
                created: 2025-06-01
                agency: council-cs
                ---
                """,
            S11_POLICE: """
                ---
                id: s11-2025-06-01-police-cccc
                kind: section11
                title: Section 11 return
                status: draft
                marking: OFFICIAL
                created: 2025-06-01
                agency: police-force
                cycle: 2024-25
                ---
                """},
        as_of="2025-10-01", path="mars.yaml", line=23, severity=WARNING,
        words="Testshire Police has no Section 11 joint self-assessment for 2025-26",
        fix=((S11_POLICE, "cycle: 2024-25", "cycle: 2025-26"),)),
    "section11.progress-to-boards": Case(
        files={
            S11: """
                ---
                id: s11-2025-06-01-trust-aaaa
                kind: section11
                title: Section 11 return
                status: draft
                marking: OFFICIAL
                created: 2025-06-01
                agency: trust
                ---
                """,
            BOARD: """
                ---
                id: board-2025-04-10-aaaa
                kind: board-meeting
                title: Board
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-04-10
                reports: [section11-summary]
                ---
                """,
            BOARD_2: """
                ---
                id: board-2025-10-16-bbbb
                kind: board-meeting
                title: Board
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-16
                reports: []
                ---
                """},
        as_of="2025-11-01", path=BOARD, line=9, severity=WARNING,
        words="was due at the Children's MARS Board meeting on 16 October 2025",
        fix=((BOARD_2, "reports: []", "reports: [section11-progress]"),)),

    # ------------------------------------------------------------------ schools and early years audits
    "schools-audit.returned.due": Case(
        files={SCH: """
            ---
            id: sch-2025-06-01-hill-aaaa
            kind: schools-audit
            title: Schools audit
            status: issued
            marking: OFFICIAL
            created: 2025-06-01
            agency: hill-primary
            kcsie_edition: "2025"
            due: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=SCH, line=10, severity=WARNING, words="was due on 1 July 2025",
        fix=((SCH, "due: 2025-07-01\n", "due: 2025-07-01\nreturned: 2025-06-30\n"),)),
    "schools-audit.recorded.due": Case(
        files={SCH: """
            ---
            id: sch-2025-06-01-hill-aaaa
            kind: schools-audit
            title: Schools audit
            status: returned
            marking: OFFICIAL
            created: 2025-06-01
            agency: hill-primary
            kcsie_edition: "2025"
            due: 2025-07-01
            returned: 2025-06-30
            ---
            """},
        as_of="2025-07-02", path=SCH, line=10, severity=WARNING,
        words="(Outcomes recorded by governors and the senior leadership team) was due on 1 July 2025",
        fix_run=setting_signoffs("2025-06-30")),
    "schools-audit.reviewed.needs": Case(
        files={SCH: """
            ---
            id: sch-2025-06-01-hill-aaaa
            kind: schools-audit
            title: Schools audit
            status: returned
            marking: OFFICIAL
            created: 2025-06-01
            agency: hill-primary
            kcsie_edition: "2025"
            due: 2025-07-01
            returned: 2025-06-30
            steps:
              - step: reviewed
                date: 2025-07-10
            ---
            """},
        as_of="2025-07-15", path=SCH, line=13, severity=WARNING, words="without sign-off 'outcomes'",
        fix_run=setting_signoffs("2025-06-30")),
    "schools-audit.composite-to-board": Case(
        files={
            SCH: """
                ---
                id: sch-2025-06-01-hill-aaaa
                kind: schools-audit
                title: Schools audit
                status: returned
                marking: OFFICIAL
                created: 2025-06-01
                agency: hill-primary
                kcsie_edition: "2025"
                due: 2025-07-01
                returned: 2025-06-30
                ---
                """,
            BOARD_2: """
                ---
                id: board-2025-10-16-bbbb
                kind: board-meeting
                title: Board
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-16
                reports: [section11-summary]
                ---
                """},
        as_of="2025-10-17", path=BOARD_2, line=9, severity=WARNING,
        words=("the composite of the schools, colleges and alternative provision audits was due at the Children's "
               "MARS Board meeting on 16 October 2025"),
        fix=((BOARD_2, "reports: [section11-summary]", "reports: [section11-summary, schools-composite]"),)),
    "schools-audit.every-setting": Case(
        files={SCH: """
            ---
            id: sch-2025-06-01-hill-aaaa
            kind: schools-audit
            title: Schools audit
            status: draft
            marking: OFFICIAL
            created: 2025-06-01
            agency: hill-primary
            kcsie_edition: "2025"
            cycle: 2024-25
            ---
            """},
        as_of="2025-10-01", path="mars.yaml", line=36, severity=WARNING, words="Hill Primary School has no",
        fix=((SCH, "cycle: 2024-25", "cycle: 2025-26"),)),
    "early-years-audit.returned.due": Case(
        files={EYA: """
            ---
            id: eya-2025-06-01-tots-aaaa
            kind: early-years-audit
            title: Early years audit
            status: issued
            marking: OFFICIAL
            created: 2025-06-01
            agency: tots
            due: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=EYA, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((EYA, "due: 2025-07-01\n", "due: 2025-07-01\nreturned: 2025-06-30\n"),)),
    "early-years-audit.composite-to-board": Case(
        files={
            EYA: """
                ---
                id: eya-2025-06-01-tots-aaaa
                kind: early-years-audit
                title: Early years audit
                status: returned
                marking: OFFICIAL
                created: 2025-06-01
                agency: tots
                due: 2025-07-01
                returned: 2025-06-30
                ---
                """,
            BOARD_2: """
                ---
                id: board-2025-10-16-bbbb
                kind: board-meeting
                title: Board
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-16
                ---
                """},
        # The Board has no `reports:` at all: the finding points at its `date:` (line 8).
        as_of="2025-10-17", path=BOARD_2, line=8, severity=WARNING,
        words="the composite of the early years audits was due at the Children's MARS Board meeting on 16 October 2025",
        fix=((BOARD_2, "date: 2025-10-16\n", "date: 2025-10-16\nreports: [early-years-composite]\n"),)),
    "early-years-audit.every-provider": Case(
        files={EYA: """
            ---
            id: eya-2025-06-01-tots-aaaa
            kind: early-years-audit
            title: Early years audit
            status: draft
            marking: OFFICIAL
            created: 2025-06-01
            agency: tots
            cycle: 2024-25
            ---
            """},
        as_of="2025-10-01", path="mars.yaml", line=39, severity=WARNING, words="Tiny Tots Nursery has no",
        fix=((EYA, "cycle: 2024-25", "cycle: 2025-26"),)),

    # ------------------------------------------------------------------ action plan
    "action-plan.monitoring.needs": Case(
        files={
            AP: """
                ---
                id: ap-2025-06-01-plan-aaaa
                kind: action-plan
                title: Action plan
                status: draft
                marking: OFFICIAL
                created: 2025-06-01
                source: ci-2025-06-01-trust-aaaa
                steps:
                  - step: monitoring
                    date: 2025-09-01
                ---

                # Action plan

                ## Purpose
                Make supervision consistent.
                """,
            CI: """
                ---
                id: ci-2025-06-01-trust-aaaa
                kind: call-in
                title: Call-in
                status: proposed
                marking: OFFICIAL
                created: 2025-06-01
                agency: trust
                ---
                """},
        # Progress reported to SPLIG on a plan nobody agreed: a "should" gate, so a warning at the step (line 10).
        as_of="2025-09-02", path=AP, line=10, severity=WARNING, words="without sign-off 'plan' from splig-chair or portfolio-lead",
        fix_run=(f"signoff {AP_ID} --for plan --by dsp-police --as splig-chair --date 2025-06-10",)),

    "action-plan.complete.needs": Case(
        files={
            AP: """
                ---
                id: ap-2025-06-01-plan-aaaa
                kind: action-plan
                title: Action plan
                status: draft
                marking: OFFICIAL
                created: 2025-06-01
                source: ci-2025-06-01-trust-aaaa
                ---

                # Action plan
                """,
            ACT: """
                ---
                id: act-2025-06-01-audit-aaaa
                kind: action
                title: Audit supervision records
                status: complete
                marking: OFFICIAL
                created: 2025-06-01
                owner: trust
                due: 2025-09-30
                completed: 2025-09-20
                ---
                """},
        # Its only action closed on 20 September, but SPLIG never heard of its progress: a "should"
        # gate, reported where the plan begins (line 2).
        as_of="2025-10-01", path=AP, line=2, severity=WARNING, words="step 'monitoring'",
        fix_run=(f"step {AP_ID} monitoring --done --date 2025-09-10",)),

    # ------------------------------------------------------------------ call-in
    "call-in.meeting.due": Case(
        files={CI: """
            ---
            id: ci-2025-06-01-trust-aaaa
            kind: call-in
            title: Call-in
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=CI, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((CI, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: meeting, date: 2025-07-01}\n"),)),

    # ------------------------------------------------------------------ agency-specific assurance event
    "agency-event.selection-letter.needs": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            steps:
              - step: selection-letter
                date: 2025-07-01
            ---
            """},
        as_of="2025-07-15", path=AE, line=11, severity=WARNING, words="without sign-off 'agency'",
        fix_run=endorse(AE_ID, "agency", "2025-06-20")),
    "agency-event.return-sent.due": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            steps:
              - step: return-sent
                date: 2025-08-26
            ---
            """},
        as_of="2025-09-01", path=AE, line=11, severity=WARNING,
        words="7 days late: it should have been done by 19 August 2025 (6 weeks before `date`)",
        fix=((AE, "date: 2025-08-26", "date: 2025-08-19"),)),
    "agency-event.return-received.due": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            steps:
              - step: return-sent
                date: 2025-08-19
              - step: return-received
                date: 2025-09-16
            ---
            """},
        as_of="2025-09-20", path=AE, line=13, severity=WARNING,
        words="7 days late: it should have been done by 9 September 2025 (3 weeks before `date`)",
        fix=((AE, "date: 2025-09-16", "date: 2025-09-09"),)),
    "agency-event.event.due": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=AE, line=9, severity=WARNING, words="step 'event' (Event held) was due on 1 July 2025",
        fix=((AE, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: event, date: 2025-07-01}\n"),)),
    "agency-event.event.needs": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            steps:
              - step: event
                date: 2025-09-30
            ---
            """},
        as_of="2025-10-01", path=AE, line=11, severity=ERROR,
        words="without sign-off 'agency' from Testshire Police (dsp:police or lsp:police)",
        run=endorse(AE_ID, "agency", "2025-08-01", partners=("council", "health")),
        fix_run=endorse(AE_ID, "agency", "2025-08-01", partners=("police",))),
    "agency-event.verbal-feedback.due": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-07-01
            steps:
              - step: event
                date: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=AE, line=9, severity=WARNING, words="step 'verbal-feedback'",
        fix=((AE, "    date: 2025-07-01\n", "    date: 2025-07-01\n  - {step: verbal-feedback, date: 2025-07-01}\n"),)),
    "agency-event.letter-drafted.due": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            steps:
              - step: event
                date: 2025-09-30
            ---
            """},
        # No findings letter four weeks after the event (28 October): the deadline counts from the event step.
        as_of="2025-10-29", path=AE, line=11, severity=WARNING,
        words="step 'letter-drafted' (Findings letter drafted) was due on 28 October 2025 (4 weeks after step 'event')",
        fix=((AE, "    date: 2025-09-30\n", "    date: 2025-09-30\n  - {step: letter-drafted, date: 2025-10-20}\n"),)),
    "agency-event.letter-sent.needs": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            letter_sent: 2025-10-10
            steps:
              - step: event
                date: 2025-09-30
              - step: letter-drafted
                date: 2025-10-01
            ---

            # Agency event

            ## Findings

            Supervision is not yet consistent.
            """},
        as_of="2025-10-20", path=AE, line=10, severity=ERROR, words="without sign-off 'letter' from portfolio-lead",
        run=(f"signoff {AE_ID} --for letter --by dsp-health --as portfolio-lead --date 2025-10-15",),
        fix=((AE, "letter_sent: 2025-10-10", "letter_sent: 2025-10-16"),)),
    "agency-event.letter-agreed.needs": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            steps:
              - step: event
                date: 2025-09-30
            signoffs:
              - for: letter
                by: dsp-health
                as: portfolio-lead
                date: 2025-10-05
            ---
            """},
        # Agreed (written by hand: `mars signoff` refuses it) before any letter was drafted.
        as_of="2025-10-10", path=AE, line=14, severity=ERROR, words="without step 'letter-drafted'",
        fix=((AE, "    date: 2025-09-30\nsignoffs:",
              "    date: 2025-09-30\n  - {step: letter-drafted, date: 2025-10-01}\nsignoffs:"),)),
    "agency-event.follow-up.needs": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            steps:
              - step: follow-up
                date: 2025-12-01
            ---
            """},
        # Closed (follow-up carries the status `closed`) although the letter was never sent.
        as_of="2025-12-05", path=AE, line=11, severity=ERROR, words="without step 'letter-sent'",
        fix=((AE, "date: 2025-09-30\nsteps:", "date: 2025-09-30\nletter_sent: 2025-10-20\nsteps:"),)),
    "agency-event.to-board.due": Case(
        files={
            AE: """
                ---
                id: ae-2025-06-01-trust-aaaa
                kind: agency-event
                title: Agency event
                status: proposed
                marking: OFFICIAL
                created: 2025-06-01
                agency: trust
                date: 2025-09-30
                letter_sent: 2025-10-10
                ---
                """,
            BOARD_2: """
                ---
                id: board-2025-10-16-bbbb
                kind: board-meeting
                title: Board
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-16
                papers: []
                ---
                """},
        # The deadline counts from step 'letter-sent', which is the `letter_sent:` date (line 10).
        as_of="2025-10-17", path=AE, line=10, severity=WARNING, words="was due on 16 October 2025",
        fix=((BOARD_2, "papers: []", f"papers: [{AE_ID}]"),)),
    "agency-event.conflict-of-interest": Case(
        files={AE_POLICE: """
            ---
            id: ae-2025-06-01-police-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: police-force
            date: 2025-09-30
            scrutineers:
              - iso-1
              - dsp-police
            ---
            """},
        as_of="2025-07-01", path=AE_POLICE, line=12, severity=ERROR,
        words="Fay Delegate represents Testshire Police, the partner under scrutiny",
        fix=((AE_POLICE, "  - dsp-police", "  - dsp-council"),)),

    # ------------------------------------------------------------------ thematic assurance event
    "thematic-event.event.due": Case(
        files={TE: """
            ---
            id: te-2025-06-01-neglect-aaaa
            kind: thematic-event
            title: Thematic event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=TE, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((TE, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: event, date: 2025-07-01}\n"),)),
    "thematic-event.event.needs": Case(
        files={TE: """
            ---
            id: te-2025-06-01-neglect-aaaa
            kind: thematic-event
            title: Thematic event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-09-30
            steps:
              - step: event
                date: 2025-09-30
            ---
            """},
        as_of="2025-10-01", path=TE, line=11, severity=ERROR, words="without sign-off 'format'",
        run=endorse(TE_ID, "theme", "2025-07-01"),
        fix_run=endorse(TE_ID, "format", "2025-07-01")),
    "thematic-event.highlights-published.needs": Case(
        files={TE: """
            ---
            id: te-2025-06-01-neglect-aaaa
            kind: thematic-event
            title: Thematic event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-09-30
            steps:
              - step: highlights-published
                date: 2025-10-15
            ---
            """},
        as_of="2025-10-20", path=TE, line=11, severity=ERROR, words="without step 'event'",
        fix=((TE, "steps:\n", "steps:\n  - {step: event, date: 2025-09-30}\n"),)),
    "thematic-event.to-splig.due": Case(
        files={
            TE: """
                ---
                id: te-2025-06-01-neglect-aaaa
                kind: thematic-event
                title: Thematic event
                status: proposed
                marking: OFFICIAL
                created: 2025-06-01
                theme: Neglect
                date: 2025-09-30
                steps:
                  - step: event
                    date: 2025-09-30
                ---
                """,
            SPLIG: """
                ---
                id: splig-2025-05-20-aaaa
                kind: splig-meeting
                title: SPLIG
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-14
                papers: []
                ---
                """},
        # The deadline counts from step 'event', recorded on line 11.
        as_of="2025-10-15", path=TE, line=11, severity=WARNING, words="was due on 14 October 2025",
        fix=((SPLIG, "papers: []", f"papers: [{TE_ID}]"),)),
    "thematic-event.action-plan.due": Case(
        files={
            TE: """
                ---
                id: te-2025-06-01-neglect-aaaa
                kind: thematic-event
                title: Thematic event
                status: proposed
                marking: OFFICIAL
                created: 2025-06-01
                theme: Neglect
                date: 2025-09-30
                steps:
                  - step: event
                    date: 2025-09-30
                ---
                """,
            SPLIG: """
                ---
                id: splig-2025-05-20-aaaa
                kind: splig-meeting
                title: SPLIG
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-14
                papers: [te-2025-06-01-neglect-aaaa]
                ---
                """,
            AP_TE: """
                ---
                id: ap-2025-11-01-neglect-aaaa
                kind: action-plan
                title: Action plan
                status: draft
                marking: OFFICIAL
                created: 2025-11-20
                source: te-2025-06-01-neglect-aaaa
                ---
                """},
        # Step 'to-splig' is done by the SPLIG's `papers:`, so the deadline counts back to step 'event' (line 11).
        as_of="2025-11-25", path=TE, line=11, severity=WARNING,
        words=("step 'action-plan' (SPLIG's action plan, monitored until completion)",
               "was done on 20 November 2025, 9 days late", "by 11 November 2025 (4 weeks after step 'to-splig')"),
        fix=((AP_TE, "created: 2025-11-20", "created: 2025-11-11"),)),
    "thematic-event.highlights-published.due": Case(
        files={TE: """
            ---
            id: te-2025-06-01-neglect-aaaa
            kind: thematic-event
            title: Thematic event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-07-01
            steps:
              - step: event
                date: 2025-07-01
            ---
            """},
        # The deadline counts from step 'event', recorded on line 11.
        as_of="2025-10-02", path=TE, line=11, severity=WARNING,
        words=("step 'highlights-published' (Key highlights and emerging themes published on the website) was due "
               "on 1 October 2025 (3 months after step 'event'), 1 day ago"),
        fix=((TE, "    date: 2025-07-01\n",
              "    date: 2025-07-01\n  - {step: highlights-published, date: 2025-10-01}\n"),)),

    # ------------------------------------------------------------------ practice learning line of sight
    "line-of-sight.panel.due": Case(
        files={LOS: """
            ---
            id: los-2025-06-01-neglect-aaaa
            kind: line-of-sight
            title: Line of sight
            status: planned
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=LOS, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((LOS, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: panel, date: 2025-07-01}\n"),)),
    "line-of-sight.panel.needs": Case(
        files={LOS: """
            ---
            id: los-2025-06-01-neglect-aaaa
            kind: line-of-sight
            title: Line of sight
            status: planned
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-09-30
            steps:
              - step: case-audits
                date: 2025-09-01
              - step: panel
                date: 2025-09-30
            ---
            """},
        as_of="2025-10-01", path=LOS, line=13, severity=ERROR, words="without `lead_iso`",
        run=endorse(LOS_ID, "theme", "2025-07-01"),
        fix=((LOS, "date: 2025-09-30\nsteps:", "date: 2025-09-30\nlead_iso: iso-1\nsteps:"),)),
    "line-of-sight.overview.due": Case(
        files={
            LOS: """
                ---
                id: los-2025-06-01-neglect-aaaa
                kind: line-of-sight
                title: Line of sight
                status: planned
                marking: OFFICIAL
                created: 2025-06-01
                theme: Neglect
                date: 2025-09-30
                steps:
                  - step: panel
                    date: 2025-09-30
                ---
                """,
            AP_LOS: """
                ---
                id: ap-2025-10-01-neglect-bbbb
                kind: action-plan
                title: Action plan
                status: draft
                marking: OFFICIAL
                created: 2025-11-03
                source: los-2025-06-01-neglect-aaaa
                ---
                """},
        # The overview is done when an action plan names the event as its `source:`; the deadline counts from
        # step 'panel', recorded on line 11.
        as_of="2025-11-05", path=LOS, line=11, severity=WARNING,
        words=("was done on 3 November 2025, 6 days late", "by 28 October 2025 (4 weeks after step 'panel')"),
        fix=((AP_LOS, "created: 2025-11-03", "created: 2025-10-28"),)),
    "line-of-sight.to-splig.due": Case(
        files={
            LOS: """
                ---
                id: los-2025-06-01-neglect-aaaa
                kind: line-of-sight
                title: Line of sight
                status: planned
                marking: OFFICIAL
                created: 2025-06-01
                theme: Neglect
                date: 2025-09-30
                steps:
                  - step: panel
                    date: 2025-09-30
                ---
                """,
            SPLIG: """
                ---
                id: splig-2025-05-20-aaaa
                kind: splig-meeting
                title: SPLIG
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-14
                papers: []
                ---
                """},
        # The deadline counts from step 'panel', recorded on line 11.
        as_of="2025-10-15", path=LOS, line=11, severity=WARNING, words="was due on 14 October 2025",
        fix=((SPLIG, "papers: []", f"papers: [{LOS_ID}]"),)),
    "line-of-sight.highlights-published.due": Case(
        files={LOS: """
            ---
            id: los-2025-06-01-neglect-aaaa
            kind: line-of-sight
            title: Line of sight
            status: planned
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-07-01
            steps:
              - step: panel
                date: 2025-07-01
              - step: highlights-published
                date: 2025-10-08
            ---
            """},
        as_of="2025-10-10", path=LOS, line=13, severity=WARNING,
        words=("step 'highlights-published' (Key highlights and emerging themes published on the website)",
               "was done on 8 October 2025, 7 days late", "by 1 October 2025 (3 months after step 'panel')"),
        fix=((LOS, "date: 2025-10-08", "date: 2025-10-01"),)),
    "line-of-sight.highlights-published.needs": Case(
        files={LOS: """
            ---
            id: los-2025-06-01-neglect-aaaa
            kind: line-of-sight
            title: Line of sight
            status: planned
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-07-01
            steps:
              - step: highlights-published
                date: 2025-08-01
            ---
            """},
        as_of="2025-08-05", path=LOS, line=11, severity=ERROR, words="without step 'panel'",
        fix=((LOS, "steps:\n", "steps:\n  - {step: panel, date: 2025-07-01}\n"),)),
    "line-of-sight.three-a-year": Case(
        files={
            LOS: """
                ---
                id: los-2025-06-01-neglect-aaaa
                kind: line-of-sight
                title: Line of sight
                status: planned
                marking: OFFICIAL
                created: 2025-06-01
                theme: Neglect
                date: 2025-07-01
                ---
                """,
            "records/line-of-sight/2025-26/los-2025-06-01-exploitation-bbbb.md": """
                ---
                id: los-2025-06-01-exploitation-bbbb
                kind: line-of-sight
                title: Line of sight
                status: planned
                marking: OFFICIAL
                created: 2025-06-01
                theme: Exploitation
                date: 2025-11-04
                ---
                """,
            "records/line-of-sight/2025-26/los-2025-06-01-voice-cccc.md": """
                ---
                id: los-2025-06-01-voice-cccc
                kind: line-of-sight
                title: Line of sight
                status: planned
                marking: OFFICIAL
                created: 2025-06-01
                theme: Voice of the child
                date: 2026-04-14
                ---
                """},
        # A count across the year points at the year's folder: there is no line to name.
        as_of="2025-10-01", path="records/line-of-sight/2025-26/", line=0, severity=WARNING,
        words="2 practice learning line of sight events dated in 2025-26; the framework asks for 3 a year",
        fix=(("records/line-of-sight/2025-26/los-2025-06-01-voice-cccc.md", "date: 2026-04-14", "date: 2026-02-10"),)),

    # ------------------------------------------------------------------ case-specific line of sight
    "case-line-of-sight.partners-notified.due": Case(
        files={CLOS: """
            ---
            id: clos-2025-06-01-case-aaaa
            kind: case-line-of-sight
            title: Case line of sight
            status: requested
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-07-10
            ---
            """},
        # Not yet done: the deadline counts from `date:` (line 8).
        as_of="2025-07-10", path=CLOS, line=8, severity=WARNING,
        words=("step 'partners-notified' (The three safeguarding partners notified that an event is being held) "
               "was due on 9 July 2025 (1 day before `date`), 1 day ago"),
        fix=((CLOS, "date: 2025-07-10\n",
              "date: 2025-07-10\nsteps:\n  - {step: partners-notified, date: 2025-07-09}\n"),)),
    "case-line-of-sight.partners-notified.needs": Case(
        files={CLOS: """
            ---
            id: clos-2025-06-01-case-aaaa
            kind: case-line-of-sight
            title: Case line of sight
            status: requested
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-09-30
            steps:
              - step: partners-notified
                date: 2025-08-01
            ---
            """},
        as_of="2025-08-15", path=CLOS, line=10, severity=ERROR, words="without sign-off 'request'",
        fix_run=endorse(CLOS_ID, "request", "2025-07-20")),
    "case-line-of-sight.case-audits.due": Case(
        files={CLOS: """
            ---
            id: clos-2025-06-01-case-aaaa
            kind: case-line-of-sight
            title: Case line of sight
            status: requested
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-07-10
            steps:
              - step: case-audits
                date: 2025-07-10
            ---
            """},
        as_of="2025-07-11", path=CLOS, line=10, severity=WARNING,
        words=("done on 10 July 2025, 1 day late", "by 9 July 2025 (1 day before `date`)"),
        fix=((CLOS, "    date: 2025-07-10", "    date: 2025-07-09"),)),
    "case-line-of-sight.meeting.due": Case(
        files={CLOS: """
            ---
            id: clos-2025-06-01-case-aaaa
            kind: case-line-of-sight
            title: Case line of sight
            status: requested
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-07-10
            ---
            """},
        as_of="2025-07-11", path=CLOS, line=8, severity=WARNING, words="step 'meeting'",
        fix=((CLOS, "date: 2025-07-10\n", "date: 2025-07-10\nsteps:\n  - {step: meeting, date: 2025-07-10}\n"),)),
    "case-line-of-sight.meeting.needs": Case(
        files={CLOS: """
            ---
            id: clos-2025-06-01-case-aaaa
            kind: case-line-of-sight
            title: Case line of sight
            status: requested
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-09-30
            steps:
              - step: meeting
                date: 2025-09-30
            ---
            """},
        as_of="2025-10-01", path=CLOS, line=10, severity=ERROR, words="without sign-off 'request'",
        fix_run=endorse(CLOS_ID, "request", "2025-07-20")),
    "case-line-of-sight.to-splig.due": Case(
        files={
            CLOS: """
                ---
                id: clos-2025-06-01-case-aaaa
                kind: case-line-of-sight
                title: Case line of sight
                status: requested
                marking: OFFICIAL
                created: 2025-06-01
                date: 2025-09-30
                steps:
                  - step: meeting
                    date: 2025-09-30
                ---
                """,
            SPLIG: """
                ---
                id: splig-2025-05-20-aaaa
                kind: splig-meeting
                title: SPLIG
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-14
                papers: []
                ---
                """},
        # The deadline counts from step 'meeting', recorded on line 10.
        as_of="2025-10-15", path=CLOS, line=10, severity=WARNING, words="was due on 14 October 2025",
        fix=((SPLIG, "papers: []", f"papers: [{CLOS_ID}]"),)),

    # ------------------------------------------------------------------ MARPF
    "marpf.practitioners.due": Case(
        files={MARPF: """
            ---
            id: marpf-2025-06-01-first-aaaa
            kind: marpf
            title: MARPF
            status: core-group
            marking: OFFICIAL
            created: 2025-06-01
            core_group_date: 2025-06-02
            practitioners_date: 2025-07-07
            ---
            """},
        as_of="2025-07-10", path=MARPF, line=9, severity=WARNING,
        words=("done on 7 July 2025, 7 days late", "by 30 June 2025 (4 weeks after `core_group_date`)"),
        fix=((MARPF, "practitioners_date: 2025-07-07", "practitioners_date: 2025-06-30"),)),
    "marpf.olir.due": Case(
        files={MARPF: """
            ---
            id: marpf-2025-06-01-first-aaaa
            kind: marpf
            title: MARPF
            status: core-group
            marking: OFFICIAL
            created: 2025-06-01
            core_group_date: 2025-06-02
            practitioners_date: 2025-06-30
            ---
            """},
        # The deadline counts from step 'practitioners', the `practitioners_date:` (line 9).
        as_of="2025-07-15", path=MARPF, line=9, severity=WARNING,
        words=("step 'olir' (Overview, Learning and Improvement Record copied to all agencies involved) was due on "
               "14 July 2025 (2 weeks after step 'practitioners'), 1 day ago"),
        fix=((MARPF, "practitioners_date: 2025-06-30\n",
              "practitioners_date: 2025-06-30\nsteps:\n  - {step: olir, date: 2025-07-14}\n"),)),
    "marpf.every-four-weeks": Case(
        files={
            MARPF: """
                ---
                id: marpf-2025-06-01-first-aaaa
                kind: marpf
                title: MARPF
                status: core-group
                marking: OFFICIAL
                created: 2025-06-01
                core_group_date: 2025-05-05
                ---
                """,
            MARPF_2: """
                ---
                id: marpf-2025-06-01-second-bbbb
                kind: marpf
                title: MARPF
                status: core-group
                marking: OFFICIAL
                created: 2025-06-01
                core_group_date: 2025-06-16
                ---
                """},
        as_of="2025-06-20", path=MARPF_2, line=8, severity=WARNING,
        words="42 days after the previous multi-agency reflective practice forum (5 May 2025); it meets every 4 weeks",
        fix=((MARPF_2, "core_group_date: 2025-06-16", "core_group_date: 2025-06-02"),)),
    "marpf.quarterly-overview": Case(
        files={
            MARPF: """
                ---
                id: marpf-2025-06-01-first-aaaa
                kind: marpf
                title: MARPF
                status: core-group
                marking: OFFICIAL
                created: 2025-06-01
                core_group_date: 2025-07-07
                ---
                """,
            SPLIG: """
                ---
                id: splig-2025-05-20-aaaa
                kind: splig-meeting
                title: SPLIG
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-05-20
                reports: []
                ---
                """},
        as_of="2025-07-15", path=SPLIG, line=9, severity=WARNING,
        words=("no SPLIG meeting between 1 April 2025 and 30 June 2025 received the quarterly overview of MARPF "
               "findings and actions (marpf-overview)"),
        fix=((SPLIG, "reports: []", "reports: [marpf-overview]"),)),

    # ------------------------------------------------------------------ SPACE, multi-agency audit, voice
    "space-audit.allocated.needs": Case(
        files={SPACE: """
            ---
            id: space-2025-06-01-neglect-aaaa
            kind: space-audit
            title: SPACE audit
            status: requested
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-09-30
            steps:
              - step: requested
                date: 2025-07-01
              - step: allocated
                date: 2025-07-05
            ---
            """},
        as_of="2025-07-10", path=SPACE, line=13, severity=ERROR, words="without `lead`",
        fix=((SPACE, "date: 2025-09-30\n", "date: 2025-09-30\nlead: space-1\n"),)),
    "space-audit.findings.due": Case(
        files={SPACE: """
            ---
            id: space-2025-06-01-neglect-aaaa
            kind: space-audit
            title: SPACE audit
            status: requested
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=SPACE, line=9, severity=WARNING, words="step 'findings'",
        fix=((SPACE, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: findings, date: 2025-07-01}\n"),)),
    "multi-agency-audit.reported.due": Case(
        files={MAA: """
            ---
            id: maa-2025-06-01-case-aaaa
            kind: multi-agency-audit
            title: Multi-agency audit
            status: planned
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=MAA, line=8, severity=WARNING, words="step 'reported'",
        fix=((MAA, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: reported, date: 2025-07-01}\n"),)),
    "voice.held.due": Case(
        files={VOICE: """
            ---
            id: voice-2025-06-01-forum-aaaa
            kind: voice
            title: Voice
            status: planned
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=VOICE, line=8, severity=WARNING, words="step 'held'",
        fix=((VOICE, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: held, date: 2025-07-01}\n"),)),

    # ------------------------------------------------------------------ peer review
    "peer-review.terms-agreed.needs": Case(
        files={PEER: """
            ---
            id: peer-2025-06-01-visit-aaaa
            kind: peer-review
            title: Peer review
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-09-30
            terms_agreed: 2025-07-01
            ---
            """},
        as_of="2025-07-10", path=PEER, line=9, severity=ERROR, words="without step 'scoped'",
        fix=((PEER, "terms_agreed: 2025-07-01\n",
              "terms_agreed: 2025-07-01\nsteps:\n  - {step: scoped, date: 2025-06-20}\n"),)),
    "peer-review.held.due": Case(
        files={PEER: """
            ---
            id: peer-2025-06-01-visit-aaaa
            kind: peer-review
            title: Peer review
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-07-01
            ---
            """},
        as_of="2025-07-02", path=PEER, line=8, severity=WARNING, words="step 'held'",
        fix=((PEER, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: held, date: 2025-07-01}\n"),)),
    "peer-review.held.needs": Case(
        files={PEER: """
            ---
            id: peer-2025-06-01-visit-aaaa
            kind: peer-review
            title: Peer review
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            date: 2025-09-30
            steps:
              - step: scoped
                date: 2025-06-20
              - step: held
                date: 2025-09-30
            ---
            """},
        as_of="2025-10-01", path=PEER, line=12, severity=ERROR, words="without step 'terms-agreed'",
        fix=((PEER, "date: 2025-09-30\nsteps:", "date: 2025-09-30\nterms_agreed: 2025-07-01\nsteps:"),)),

    # ------------------------------------------------------------------ yearly report
    "annual-report.published.due": Case(
        files={AR: """
            ---
            id: ar-2025-04-01-report-aaaa
            kind: annual-report
            title: Yearly report
            status: drafting
            marking: OFFICIAL
            created: 2025-04-01
            year: 2024-25
            steps:
              - step: published
                date: 2025-10-06
            ---
            """},
        as_of="2025-10-10", path=AR, line=10, severity=WARNING,
        words=("done on 6 October 2025, 6 days late", "by 30 September 2025 (6 months after the end of the reporting year)"),
        fix=((AR, "date: 2025-10-06", "date: 2025-09-30"),)),
    "annual-report.published.needs": Case(
        files={AR: """
            ---
            id: ar-2025-04-01-report-aaaa
            kind: annual-report
            title: Yearly report
            status: drafting
            marking: OFFICIAL
            created: 2025-04-01
            year: 2024-25
            steps:
              - step: published
                date: 2025-09-20
            ---

            # Yearly report 2024-25

            ## How effective it was
            <!-- The impact on practice and on outcomes for children and families, with evidence. -->
            Fewer children waited for a second assessment.
            """},
        as_of="2025-10-01", path=AR, line=10, severity=ERROR, words="without sign-off 'scrutiny' from iso",
        fix_run=(f"signoff {AR_ID} --for scrutiny --by iso-1 --as iso --date 2025-09-05",
                 *lsp_signoffs(AR_ID, "2025-09-10"))),
    "annual-report.sent-to-panel.due": Case(
        files={AR: """
            ---
            id: ar-2025-04-01-report-aaaa
            kind: annual-report
            title: Yearly report
            status: drafting
            marking: OFFICIAL
            created: 2025-04-01
            year: 2024-25
            steps:
              - step: published
                date: 2025-09-01
            ---
            """},
        # The deadline counts from step 'published', recorded on line 10.
        as_of="2025-09-09", path=AR, line=10, severity=WARNING, words="was due on 8 September 2025",
        fix=((AR, "    date: 2025-09-01\n", "    date: 2025-09-01\n  - {step: sent-to-panel, date: 2025-09-05}\n"),)),
    "annual-report.published-yearly": Case(
        files={"records/annual-report/2024-25/ar-2025-03-01-report-aaaa.md": """
            ---
            id: ar-2025-03-01-report-aaaa
            kind: annual-report
            title: Yearly report
            status: published
            marking: OFFICIAL
            created: 2025-03-01
            year: 2023-24
            publication_date: 2025-03-20
            ---
            """},
        as_of="2025-10-01", path="records/annual-report/2025-26/", line=0, severity=WARNING,
        words="0 yearly reports dated in 2025-26",
        fix=(("records/annual-report/2024-25/ar-2025-03-01-report-aaaa.md", "publication_date: 2025-03-20",
              "publication_date: 2025-09-20"),)),

    # ------------------------------------------------------------------ rapid review
    "rapid-review.notified.due": Case(
        files={RR: """
            ---
            id: rr-2025-12-19-case-aaaa
            kind: rapid-review
            title: Rapid review
            status: notified
            marking: OFFICIAL
            created: 2025-12-19
            aware_date: 2025-12-19
            notification_date: 2026-01-02
            ---
            """},
        # 5 working days after Friday 19 December 2025, skipping Christmas Day and Boxing Day.
        as_of="2026-01-05", path=RR, line=9, severity=WARNING,
        words=("done on 2 January 2026, 3 days late", "by 30 December 2025 (5 working days after `aware_date`)"),
        fix=((RR, "notification_date: 2026-01-02", "notification_date: 2025-12-30"),)),
    "rapid-review.decided.due": Case(
        files={RR: """
            ---
            id: rr-2025-12-19-case-aaaa
            kind: rapid-review
            title: Rapid review
            status: notified
            marking: OFFICIAL
            created: 2025-12-19
            notification_date: 2025-12-19
            ---
            """},
        # 15 working days after 19 December 2025, skipping 25 and 26 December and 1 January.
        as_of="2026-01-15", path=RR, line=8, severity=WARNING,
        words="was due on 14 January 2026 (15 working days after `notification_date`), 1 day ago",
        fix=((RR, "notification_date: 2025-12-19\n",
              "notification_date: 2025-12-19\nsteps:\n  - {step: decided, date: 2026-01-14}\n"),)),

    # ------------------------------------------------------------------ ISO allowance
    "iso-activity.allowance": Case(
        files={
            ISO_A: """
                ---
                id: iso-2025-06-01-board-aaaa
                kind: iso-activity
                title: ISO activity
                status: done
                marking: OFFICIAL
                created: 2025-06-01
                iso: iso-1
                date: 2025-06-01
                days: 10
                ---
                """,
            ISO_B: """
                ---
                id: iso-2025-06-01-scrutiny-bbbb
                kind: iso-activity
                title: ISO activity
                status: done
                marking: OFFICIAL
                created: 2025-06-01
                iso: iso-1
                date: 2025-09-01
                days: 6
                ---
                """},
        as_of="2025-10-01", path="mars.yaml", line=49, severity=WARNING,
        words="Gus Scrutineer has logged 16 framework days in 2025-26, over their allowance of 15",
        fix=((ISO_B, "days: 6", "days: 5"),)),

    # ------------------------------------------------------------------ rules every process shares
    "signoff.role": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            signoffs:
              - for: agency
                by: dsp-council
                as: dsp:police
                date: 2025-08-01
            ---
            """},
        as_of="2025-08-10", path=AE, line=11, severity=ERROR,
        words="the sign-off of 'agency' by dsp-council: Bob Delegate does not hold the role dsp:police in mars.yaml",
        fix=((AE, "by: dsp-council", "by: dsp-police"),)),
    "signoff.independent": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            signoffs:
              - for: letter
                by: pl-trust
                as: portfolio-lead
                date: 2025-10-05
            ---
            """},
        as_of="2025-10-10", path=AE, line=11, severity=ERROR,
        words="Lee Trust works for Testshire Hospitals NHS Trust, the agency under scrutiny",
        fix=((AE, "by: pl-trust", "by: dsp-health"),)),
    "signoff.stale": Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            steps: [{step: letter-drafted, date: 2025-10-01}]
            ---

            # Agency event

            ## Findings

            Supervision is not yet consistent.
            """},
        # `mars signoff` adds `signoffs:` after line 10: the list on line 11, its first entry on line 12.
        as_of="2025-10-10", path=AE, line=12, severity=WARNING,
        words="the sign-off of 'letter' by dsp-health (as portfolio-lead) is stale: what it covers ('## Findings') has changed since it was given",
        run=(f"signoff {AE_ID} --for letter --by dsp-health --as portfolio-lead --date 2025-10-05",),
        edit=((AE, "Supervision is not yet consistent.", "Supervision is consistent."),)),
    "progress.not-after-today": Case(
        files={CI: """
            ---
            id: ci-2025-06-01-trust-aaaa
            kind: call-in
            title: Call-in
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-07-01
            steps:
              - step: meeting
                date: 2999-07-01
            ---
            """},
        # A typing slip for 2025: the finding points at the entry's date (line 12).
        as_of="2025-07-10", path=CI, line=12, severity=ERROR,
        words="the step 'meeting' is recorded as done on 1 July 2999, which is after today",
        fix=((CI, "date: 2999-07-01", "date: 2025-07-01"),)),
    "steps.recorded": Case(
        files={CI: """
            ---
            id: ci-2025-06-01-trust-aaaa
            kind: call-in
            title: Call-in
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            date: 2025-09-30
            steps:
              - step: meetnig
                date: 2025-07-01
            ---
            """},
        as_of="2025-07-10", path=CI, line=11, severity=ERROR, words="'meetnig' is not a step of an agency call-in",
        fix=((CI, "step: meetnig", "step: scheduled"),)),
    "meeting.next-available": Case(
        files={
            AE: """
                ---
                id: ae-2025-06-01-trust-aaaa
                kind: agency-event
                title: Agency event
                status: proposed
                marking: OFFICIAL
                created: 2025-06-01
                agency: trust
                date: 2025-09-30
                letter_sent: 2025-10-10
                ---
                """,
            BOARD_2: """
                ---
                id: board-2025-10-16-bbbb
                kind: board-meeting
                title: Board
                status: held
                marking: OFFICIAL
                created: 2025-04-01
                date: 2025-10-02
                ---
                """},
        # The only Board is before the letter; the step waits on `letter_sent:` (line 10).
        as_of="2025-10-20", path=AE, line=10, severity=WARNING,
        words="no Children's MARS Board meeting is scheduled after 10 October 2025",
        fix=((BOARD_2, "date: 2025-10-02", "date: 2025-10-30"),)),
    "status.from-steps": Case(
        files={CI: """
            ---
            id: ci-2025-06-01-trust-aaaa
            kind: call-in
            title: Call-in
            status: held
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            ---
            """},
        as_of="2025-07-01", path=CI, line=5, severity=WARNING, words="status says 'held', but its steps say 'proposed'",
        fix=((CI, "status: held", "status: proposed"),)),
    # ------------------------------------------------------------------ actions (one file each, in the plan's folder)
    "action.overdue": Case(
        files={ACT: """
            ---
            id: act-2025-06-01-audit-aaaa
            kind: action
            title: Audit supervision records
            status: in-progress
            marking: OFFICIAL
            created: 2025-06-01
            owner: trust
            due: 2025-09-30
            completed:
            ---
            """},
        # Due on 30 September: overdue from 1 October (the end of the due day is still on time).
        as_of="2025-10-01", path=ACT, line=9, severity=WARNING, words="was due on 30 September 2025, 1 day ago",
        fix=((ACT, "due: 2025-09-30", "due: 2025-10-01"),)),
    "action.completion": Case(
        files={ACT: """
            ---
            id: act-2025-06-01-audit-aaaa
            kind: action
            title: Audit supervision records
            status: complete
            marking: OFFICIAL
            created: 2025-06-01
            owner: trust
            due: 2025-09-30
            completed:
            ---
            """},
        as_of="2025-10-01", path=ACT, line=5, severity=WARNING, words="is complete but has no completion date",
        fix=((ACT, "completed:", "completed: 2025-09-20"),)),
    "action.extensions": Case(
        files={ACT: """
            ---
            id: act-2025-06-01-audit-aaaa
            kind: action
            title: Audit supervision records
            status: in-progress
            marking: OFFICIAL
            created: 2025-06-01
            owner: trust
            due: 2025-12-31
            completed:
            extensions:
              - from: 2025-09-30
                to: 2025-11-30
                reason: Staff vacancies
                agreed_by: dsp-police
            ---
            """},
        # The due date was changed by hand after the extension: the two disagree.
        as_of="2025-10-01", path=ACT, line=9, severity=WARNING,
        words="is due on 31 December 2025, but its last extension moved it to 30 November 2025",
        fix=((ACT, "to: 2025-11-30", "to: 2025-12-31"),)),
}


# ----------------------------------------------------------------------------- running a case

def make_workspace(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    git(root, "init", "--quiet")
    write_files(root, {"mars.yaml": MARS_YAML, **files})
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "test workspace")
    return root


def replace(root: Path, changes) -> None:
    for rel, old, new in changes:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should be in {rel} once:\n{text}"
        path.write_text(text.replace(old, new), encoding="utf-8")


def run_commands(mars, root: Path, commands, as_of: str) -> None:
    for command in commands:
        result = mars("-w", root, *shlex.split(command), "--as-of", as_of)
        assert result.code == 0, f"`mars {command}` failed:\n{result.text}"


def check(mars, root: Path, as_of: str) -> list[dict]:
    result = mars("-w", root, "check", "--format", "json", "--as-of", as_of)
    assert "Traceback" not in result.text
    assert result.code in (0, 1), result.text
    doc = json.loads(result.out)
    assert doc["schema_version"] == 1 and doc["kind"] == "check"
    return doc["findings"]


def of_rule(findings: list[dict], rule_id: str) -> list[dict]:
    """The findings a rule names: `rule` is the rule's id (`source` says where it comes from)."""
    return [f for f in findings if f["rule"] == rule_id]


def broken_findings(tmp_path: Path, mars, case: Case, as_of: str | None = None) -> list[dict]:
    root = make_workspace(tmp_path / "broken", case.files)
    run_commands(mars, root, case.run, case.as_of)
    replace(root, case.edit)
    return check(mars, root, as_of or case.as_of)


def fixed_findings(tmp_path: Path, mars, case: Case) -> list[dict]:
    root = make_workspace(tmp_path / "fixed", case.files)
    replace(root, case.fix)
    run_commands(mars, root, case.run + case.fix_run, case.as_of)
    return check(mars, root, case.as_of)


def where(findings: list[dict]) -> list[tuple]:
    return [(f["path"], f["line"], f["severity"]) for f in findings]


def assert_breach(tmp_path: Path, mars, rule_id: str, case: Case | None = None) -> dict:
    """The breach is reported where expected, and the fixed workspace does not break the rule.
    Returns the finding."""
    case = case or BREACHES[rule_id]
    found = of_rule(broken_findings(tmp_path, mars, case), rule_id)
    at = [f for f in found if f["path"] == case.path and f["line"] == case.line]
    assert at, f"no {rule_id} finding at {case.path}:{case.line}; found: {found}"
    finding = at[0]
    assert finding["severity"] == case.severity, finding
    for words in (case.words,) if isinstance(case.words, str) else case.words:
        assert words in finding["message"], finding
    # Plain English: no word doubled or garbled ("should have been done done by", "was due done by").
    assert "done done" not in finding["message"] and "due done" not in finding["message"], finding["message"]
    assert of_rule(fixed_findings(tmp_path, mars, case), rule_id) == []
    return finding


# ----------------------------------------------------------------------------- the table

@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(tmp_path, mars, rule_id):
    assert_breach(tmp_path, mars, rule_id)


def test_every_shipped_rule_has_a_breach_test():
    shipped = {row.id for row in rule_table(mars_cli.framework.processes.default())}
    assert shipped == set(BREACHES), (
        f"rules without a breach test: {sorted(shipped - set(BREACHES))}; "
        f"breach tests for rules that are not shipped: {sorted(set(BREACHES) - shipped)}")


def test_every_shipped_rule_has_the_severity_mars_rules_lists():
    """The table's expected severities agree with `mars rules` (so a case cannot quietly expect another)."""
    severities = {row.id: row.severity for row in rule_table(mars_cli.framework.processes.default())}
    assert {rid: case.severity for rid, case in BREACHES.items()} == severities


# ----------------------------------------------------------------------------- the framework's bold rules

def test_agency_event__held_without_all_three_partners_endorsements_is_an_error(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "agency-event.event.needs")
    assert finding["code"] == "gate-breached"
    assert "Testshire Children's Services" not in finding["message"]
    assert "Testshire Council" not in finding["message"]  # council and health did endorse it


def test_agency_event__findings_letter_sent_before_the_portfolio_lead_agrees_is_an_error(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "agency-event.letter-sent.needs")
    assert finding["code"] == "gate-breached"
    assert "recorded as done on 10 October 2025" in finding["message"]


def test_agency_event__section11_return_sent_later_than_six_weeks_before_is_a_should_warning(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "agency-event.return-sent.due")
    assert finding["code"] == "step-late"
    assert "should have been done" in finding["message"]


def test_agency_event__section11_return_received_later_than_three_weeks_before_is_a_should_warning(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "agency-event.return-received.due")
    assert finding["code"] == "step-late"
    assert "should have been done" in finding["message"]


def test_agency_event__dsp_of_the_partner_under_scrutiny_as_scrutineer_is_a_conflict_of_interest(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "agency-event.conflict-of-interest")
    assert finding["code"] == "conflict-of-interest"


def test_agency_event__selection_letter_without_a_proposed_date_is_a_should_warning(tmp_path, mars):
    """The letter proposes the date: sent before `date:` is set, the gate (a should) warns."""
    case = Case(
        files={AE: """
            ---
            id: ae-2025-06-01-trust-aaaa
            kind: agency-event
            title: Agency event
            status: proposed
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            steps:
              - step: selection-letter
                date: 2025-07-01
            ---
            """},
        as_of="2025-07-15", path=AE, line=10, severity=WARNING,
        words=("step 'selection-letter' (Letter to the agency confirming its selection and proposing the date) is "
               "recorded as done on 1 July 2025 without `date`"),
        run=endorse(AE_ID, "agency", "2025-06-20"),
        fix=((AE, "agency: trust\n", "agency: trust\ndate: 2025-09-30\n"),))
    finding = assert_breach(tmp_path, mars, "agency-event.selection-letter.needs", case)
    assert finding["code"] == "gate-breached"
    assert "sign-off" not in finding["message"]  # the three partners did endorse the agency


def test_agency_event__no_next_board_after_the_letter_is_sent(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "meeting.next-available")
    assert finding["code"] == "no-next-meeting"
    assert "mars new board-meeting" in finding["hint"]


def test_thematic_event__held_without_the_format_endorsed_is_an_error(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "thematic-event.event.needs")
    assert "sign-off 'theme'" not in finding["message"]


def test_thematic_event__held_without_the_theme_endorsed_is_an_error(tmp_path, mars):
    case = Case(
        files=BREACHES["thematic-event.event.needs"].files,
        as_of="2025-10-01", path=TE, line=11, severity=ERROR, words="without sign-off 'theme'",
        run=endorse(TE_ID, "format", "2025-07-01"),
        fix_run=endorse(TE_ID, "theme", "2025-07-01"))
    finding = assert_breach(tmp_path, mars, "thematic-event.event.needs", case)
    assert "sign-off 'format'" not in finding["message"]


def test_thematic_event__held_without_either_endorsement_names_both(tmp_path, mars):
    case = BREACHES["thematic-event.event.needs"]
    root = make_workspace(tmp_path / "ws", case.files)
    [finding] = of_rule(check(mars, root, case.as_of), "thematic-event.event.needs")
    for partner in ("Testshire Council", "Testshire ICB", "Testshire Police"):
        assert f"sign-off 'theme' from {partner}" in finding["message"]
        assert f"sign-off 'format' from {partner}" in finding["message"]


def test_thematic_event__action_plan_not_made_four_weeks_after_the_splig(tmp_path, mars):
    """No action plan names the event as its source by the due day: overdue from the next day."""
    case = BREACHES["thematic-event.action-plan.due"]
    root = make_workspace(tmp_path / "ws", {TE: case.files[TE], SPLIG: case.files[SPLIG]})
    assert of_rule(check(mars, root, "2025-11-11"), "thematic-event.action-plan.due") == []
    late = of_rule(check(mars, root, "2025-11-12"), "thematic-event.action-plan.due")
    assert where(late) == [(TE, 11, WARNING)]
    assert "was due on 11 November 2025 (4 weeks after step 'to-splig'), 1 day ago" in late[0]["message"]


def test_thematic_event__no_action_plan_deadline_before_the_splig_receives_the_event(tmp_path, mars):
    case = BREACHES["thematic-event.action-plan.due"]
    root = make_workspace(tmp_path / "ws", {
        TE: case.files[TE], SPLIG: case.files[SPLIG].replace(f"papers: [{TE_ID}]", "papers: []")})
    assert of_rule(check(mars, root, "2026-03-01"), "thematic-event.action-plan.due") == []


def test_line_of_sight__panel_without_an_iso_lead_is_an_error(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "line-of-sight.panel.needs")
    assert "step 'case-audits'" not in finding["message"]


def test_line_of_sight__panel_before_the_single_agency_case_audits_is_an_error(tmp_path, mars):
    case = Case(
        files={LOS: """
            ---
            id: los-2025-06-01-neglect-aaaa
            kind: line-of-sight
            title: Line of sight
            status: planned
            marking: OFFICIAL
            created: 2025-06-01
            theme: Neglect
            date: 2025-09-30
            lead_iso: iso-1
            steps:
              - step: panel
                date: 2025-09-30
              - step: case-audits
                date: 2025-10-03
            ---
            """},
        as_of="2025-10-10", path=LOS, line=12, severity=ERROR,
        words="without step 'case-audits' (Single-agency case audits done) first",
        run=endorse(LOS_ID, "theme", "2025-07-01"),
        fix=((LOS, "date: 2025-10-03", "date: 2025-09-20"),))
    assert_breach(tmp_path, mars, "line-of-sight.panel.needs", case)


def test_line_of_sight__three_a_year(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "line-of-sight.three-a-year")
    assert finding["code"] == "yearly-count"


def test_marpf__practitioners_meeting_more_than_four_weeks_after_the_core_group(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "marpf.practitioners.due")
    assert finding["code"] == "step-late"


def test_marpf__olir_not_copied_two_weeks_after_the_practitioners_meeting(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "marpf.olir.due")
    assert finding["code"] == "step-overdue"


def test_marpf__gap_over_four_weeks_between_meetings(tmp_path, mars):
    assert_breach(tmp_path, mars, "marpf.every-four-weeks")


def test_marpf__no_meeting_for_over_four_weeks_up_to_the_as_of_day(tmp_path, mars):
    case = Case(
        files={MARPF: """
            ---
            id: marpf-2025-06-01-first-aaaa
            kind: marpf
            title: MARPF
            status: core-group
            marking: OFFICIAL
            created: 2025-06-01
            core_group_date: 2025-06-02
            ---
            """},
        as_of="2025-07-01", path=MARPF, line=8, severity=WARNING,
        words="no multi-agency reflective practice forum since 2 June 2025 (29 days); it meets every 4 weeks")
    assert_breach(tmp_path, mars, "marpf.every-four-weeks",
                  dataclasses.replace(case, fix=((MARPF, "2025-06-02", "2025-06-03"),)))


def test_marpf__no_quarterly_overview_at_a_splig_in_a_completed_quarter(tmp_path, mars):
    assert_breach(tmp_path, mars, "marpf.quarterly-overview")


def test_marpf__no_splig_at_all_in_a_completed_quarter(tmp_path, mars):
    case = BREACHES["marpf.quarterly-overview"]
    root = make_workspace(tmp_path / "ws", {MARPF: case.files[MARPF]})
    found = of_rule(check(mars, root, "2025-07-15"), "marpf.quarterly-overview")
    assert where(found) == [("records/splig-meeting/2025-26/", 0, WARNING)]
    # The quarter still running (July to September) is not reported.
    assert "30 June 2025" in found[0]["message"]


def test_marpf__quarter_not_reported_before_it_ends(tmp_path, mars):
    case = BREACHES["marpf.quarterly-overview"]
    root = make_workspace(tmp_path / "ws", case.files)
    assert of_rule(check(mars, root, "2025-06-30"), "marpf.quarterly-overview") == []
    assert len(of_rule(check(mars, root, "2025-07-01"), "marpf.quarterly-overview")) == 1


def test_section11__progress_not_at_the_board_six_months_after_the_summary(tmp_path, mars):
    assert_breach(tmp_path, mars, "section11.progress-to-boards")


def test_section11__progress_with_no_board_scheduled_six_months_after_the_summary(tmp_path, mars):
    case = BREACHES["section11.progress-to-boards"]
    root = make_workspace(tmp_path / "ws", {S11: case.files[S11], BOARD: case.files[BOARD]})
    found = of_rule(check(mars, root, "2025-11-01"), "section11.progress-to-boards")
    assert where(found) == [(BOARD, 9, WARNING)]
    assert "no Children's MARS Board meeting is scheduled from 10 October 2025" in found[0]["message"]


def test_section11__summary_not_at_the_next_board_once_every_return_is_back(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "section11.summary-to-boards")
    assert finding["code"] == "yearly-report-when-complete"


def test_section11__summary_not_asked_for_while_a_return_of_the_year_is_still_out(tmp_path, mars):
    case = BREACHES["section11.summary-to-boards"]
    council = """
        ---
        id: s11-2025-06-01-council-bbbb
        kind: section11
        title: Section 11 return
        status: draft
        marking: OFFICIAL
        created: 2025-06-01
        agency: council-cs
        due: 2025-09-01
        ---
        """
    root = make_workspace(tmp_path / "out", {**case.files, S11_COUNCIL: council})
    assert of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards") == []
    # Once it is back (1 September), the same Board is the next available one.
    root = make_workspace(tmp_path / "back", {
        **case.files, S11_COUNCIL: council.replace("due: 2025-09-01", "due: 2025-09-01\n        returned: 2025-09-01")})
    found = of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards")
    assert where(found) == [(BOARD_2, 9, WARNING)]
    assert "the last Section 11 joint self-assessment of 2025-26 (1 September 2025)" in found[0]["message"]


def test_section11__summary_not_due_before_the_next_board_meets(tmp_path, mars):
    case = BREACHES["section11.summary-to-boards"]
    root = make_workspace(tmp_path / "ws", case.files)
    assert of_rule(check(mars, root, "2025-10-16"), "section11.summary-to-boards") == []


def test_section11__summary_with_no_board_after_the_last_return_points_at_the_newest_return(tmp_path, mars):
    """A Board before the last return (even one that received the summary) is not the next available one."""
    case = BREACHES["section11.summary-to-boards"]
    files = {
        "mars.yaml": MARS_YAML.replace("    section11: true\n    partner: police", "    section11: false\n    partner: police"),
        S11: case.files[S11],
        S11_COUNCIL: """
            ---
            id: s11-2025-06-01-council-bbbb
            kind: section11
            title: Section 11 return
            status: draft
            marking: OFFICIAL
            created: 2025-06-01
            agency: council-cs
            due: 2025-08-01
            returned: 2025-07-20
            ---
            """,
        BOARD: """
            ---
            id: board-2025-04-10-aaaa
            kind: board-meeting
            title: Board
            status: held
            marking: OFFICIAL
            created: 2025-04-01
            date: 2025-07-10
            reports: [section11-summary]
            ---
            """}
    root = make_workspace(tmp_path / "ws", files)
    found = of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards")
    assert where(found) == [(S11_COUNCIL, 9, WARNING)]  # its `due:`, the main date of the newest return
    assert found[0]["message"].startswith("every Section 11 joint self-assessment of 2025-26 is back (")
    assert found[0]["message"].endswith(
        "the last on 20 July 2025), but no Children's MARS Board meeting is scheduled to receive the summary of "
        "Section 11 outcomes and composite of agency action plans")
    assert "mars new board-meeting" in found[0]["hint"]


def test_section11__summary_with_no_board_names_the_step_as_written(tmp_path, mars):
    case = BREACHES["section11.summary-to-boards"]
    root = make_workspace(tmp_path / "ws", {"mars.yaml": TRUST_ONLY_DUTY, S11: case.files[S11]})
    [finding] = of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards")
    assert "(completed return back with the MARS team, the last on 30 June 2025)" in finding["message"]


def test_section11__summary_with_no_board_points_at_the_created_line_of_a_return_without_due(tmp_path, mars):
    """A return with no `due:` is dated by its `created:` (line 7): that is its main date line."""
    root = make_workspace(tmp_path / "ws", {"mars.yaml": TRUST_ONLY_DUTY, S11: """
        ---
        id: s11-2025-06-01-trust-aaaa
        kind: section11
        title: Section 11 return
        status: draft
        marking: OFFICIAL
        created: 2025-06-01
        agency: trust
        returned: 2025-06-30
        ---
        """})
    found = of_rule(check(mars, root, "2025-10-17"), "section11.summary-to-boards")
    assert where(found) == [(S11, 7, WARNING)]


def test_schools_audit__composite_not_at_the_next_board_once_every_audit_is_back(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "schools-audit.composite-to-board")
    assert "section11" not in finding["message"]  # the Section 11 summary it did receive is another report


def test_early_years_audit__composite_not_at_a_board_without_reports_points_at_its_date(tmp_path, mars):
    assert_breach(tmp_path, mars, "early-years-audit.composite-to-board")


def test_early_years_audit__composite_not_asked_for_while_an_audit_is_still_out(tmp_path, mars):
    case = BREACHES["early-years-audit.composite-to-board"]
    files = {**case.files,
             EYA: case.files[EYA].replace("due: 2025-07-01\n                returned: 2025-06-30", "due: 2025-07-01")}
    assert "returned:" not in files[EYA]
    root = make_workspace(tmp_path / "ws", files)
    findings = check(mars, root, "2025-10-17")
    assert of_rule(findings, "early-years-audit.composite-to-board") == []
    assert where(of_rule(findings, "early-years-audit.returned.due")) == [(EYA, 9, WARNING)]  # it is still out


def test_section11__summary_missed_at_the_first_board_of_the_next_year_is_still_reported(tmp_path, mars):
    """The year's last return is back in February 2026; the next Board (14 May 2026) is in 2026-27."""
    root = make_workspace(tmp_path / "ws", {
        "mars.yaml": TRUST_ONLY_DUTY,
        S11: """
            ---
            id: s11-2025-06-01-trust-aaaa
            kind: section11
            title: Section 11 return
            status: draft
            marking: OFFICIAL
            created: 2025-06-01
            agency: trust
            due: 2026-03-01
            returned: 2026-02-20
            ---
            """,
        "records/board-meeting/2026-27/board-2026-05-14-cccc.md": """
            ---
            id: board-2026-05-14-cccc
            kind: board-meeting
            title: Board
            status: held
            marking: OFFICIAL
            created: 2026-04-01
            date: 2026-05-14
            reports: []
            ---
            """})
    found = of_rule(check(mars, root, "2026-05-15"), "section11.summary-to-boards")
    assert where(found) == [("records/board-meeting/2026-27/board-2026-05-14-cccc.md", 9, WARNING)]


def test_section11__every_duty_agency_has_a_return_in_the_cycle(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "section11.every-duty-agency")
    assert finding["code"] == "yearly-every-agency"


def test_section11__agency_without_the_duty_is_not_asked_for_a_return(tmp_path, mars):
    case = BREACHES["section11.every-duty-agency"]
    root = make_workspace(tmp_path / "ws", {S11: case.files[S11]})
    found = of_rule(check(mars, root, case.as_of), "section11.every-duty-agency")
    assert sorted(f["line"] for f in found) == [18, 23]  # council-cs and police-force; not housing (line 32)


def test_iso_allowance__over_fifteen_days_per_iso(tmp_path, mars):
    assert_breach(tmp_path, mars, "iso-activity.allowance")


def test_iso_allowance__is_per_iso_not_for_the_pool(tmp_path, mars):
    case = BREACHES["iso-activity.allowance"]
    files = {ISO_A: case.files[ISO_A], ISO_B: case.files[ISO_B].replace("iso: iso-1", "iso: iso-2")}
    root = make_workspace(tmp_path / "ws", files)
    assert of_rule(check(mars, root, case.as_of), "iso-activity.allowance") == []  # 10 days and 6 days


def test_iso_allowance__work_outside_the_framework_does_not_count(tmp_path, mars):
    case = BREACHES["iso-activity.allowance"]
    files = {ISO_A: case.files[ISO_A],
             ISO_B: case.files[ISO_B].replace("days: 6\n", "days: 6\nwithin_framework: false\n")}
    root = make_workspace(tmp_path / "ws", files)
    assert of_rule(check(mars, root, case.as_of), "iso-activity.allowance") == []


def test_annual_report__published_without_iso_scrutiny_is_an_error(tmp_path, mars):
    case = dataclasses.replace(
        BREACHES["annual-report.published.needs"], run=lsp_signoffs(AR_ID, "2025-09-10"),
        fix_run=(f"signoff {AR_ID} --for scrutiny --by iso-1 --as iso --date 2025-09-05",))
    finding = assert_breach(tmp_path, mars, "annual-report.published.needs", case)
    assert "sign-off 'sign-off'" not in finding["message"]


def test_annual_report__published_without_the_three_lsp_signoffs_is_an_error(tmp_path, mars):
    council, health, police = lsp_signoffs(AR_ID, "2025-09-10")
    case = dataclasses.replace(
        BREACHES["annual-report.published.needs"],
        run=(f"signoff {AR_ID} --for scrutiny --by iso-1 --as iso --date 2025-09-05", council),
        words=("without sign-off 'sign-off' from Testshire ICB (lsp:health), "
               "sign-off 'sign-off' from Testshire Police (lsp:police)"),
        fix_run=(health, police))
    finding = assert_breach(tmp_path, mars, "annual-report.published.needs", case)
    assert "sign-off 'scrutiny'" not in finding["message"]


def test_annual_report__published_without_saying_how_effective_it_was_is_an_error(tmp_path, mars):
    """Signed off by everyone, but "How effective it was" holds only the template's guidance comment."""
    case = dataclasses.replace(
        BREACHES["annual-report.published.needs"],
        run=(f"signoff {AR_ID} --for scrutiny --by iso-1 --as iso --date 2025-09-05",
             *lsp_signoffs(AR_ID, "2025-09-10")),
        fix_run=(),
        words=("step 'published' (Published on the partnership website) is recorded as done on 20 September 2025 "
               "without the section '## How effective it was' written"),
        edit=((AR, "Fewer children waited for a second assessment.\n", ""),))
    finding = assert_breach(tmp_path, mars, "annual-report.published.needs", case)
    assert finding["code"] == "gate-breached"
    assert "sign-off" not in finding["message"]


def test_annual_report__published_with_no_how_effective_section_at_all_is_an_error(tmp_path, mars):
    case = BREACHES["annual-report.published.needs"]
    files = {AR: case.files[AR].split("\n            ## How effective it was")[0] + "\n"}
    assert "How effective" not in files[AR]
    root = make_workspace(tmp_path / "ws", files)
    run_commands(mars, root, (f"signoff {AR_ID} --for scrutiny --by iso-1 --as iso --date 2025-09-05",
                              *lsp_signoffs(AR_ID, "2025-09-10")), "2025-10-01")
    found = of_rule(check(mars, root, "2025-10-01"), "annual-report.published.needs")
    assert where(found) == [(AR, 10, ERROR)]
    assert found[0]["message"].endswith("without the section '## How effective it was' written")


def test_annual_report__not_published_six_months_after_the_year_points_at_its_year(tmp_path, mars):
    """Overdue, not yet published: the deadline counts from the end of the record's `year:` (line 8)."""
    case = Case(
        files={AR: """
            ---
            id: ar-2025-04-01-report-aaaa
            kind: annual-report
            title: Yearly report
            status: drafting
            marking: OFFICIAL
            created: 2025-04-01
            year: 2024-25
            ---
            """},
        as_of="2025-10-01", path=AR, line=8, severity=WARNING,
        words="step 'published' (Published on the partnership website) was due on 30 September 2025",
        fix=((AR, "year: 2024-25\n", "year: 2024-25\nsteps:\n  - {step: published, date: 2025-09-30}\n"),))
    assert_breach(tmp_path, mars, "annual-report.published.due", case)


def test_annual_report__a_planned_publication_date_is_not_publication(tmp_path, mars):
    """`publication_date:` is the plan; the report is published when the step is recorded."""
    root = make_workspace(tmp_path / "ws", {AR: """
        ---
        id: ar-2025-04-01-report-aaaa
        kind: annual-report
        title: Yearly report
        status: drafting
        marking: OFFICIAL
        created: 2025-04-01
        year: 2024-25
        publication_date: 2025-09-20
        ---
        """})
    findings = check(mars, root, "2025-10-01")
    assert of_rule(findings, "annual-report.published.needs") == []  # nothing recorded as published
    assert where(of_rule(findings, "annual-report.published.due")) == [(AR, 8, WARNING)]


def test_annual_report__a_draft_without_a_publication_date_is_not_a_published_report(tmp_path, mars):
    """processes.yaml: published-yearly counts "reports whose publication date falls in the year"."""
    root = make_workspace(tmp_path / "ws", {AR: """
        ---
        id: ar-2025-04-01-report-aaaa
        kind: annual-report
        title: Yearly report
        status: drafting
        marking: OFFICIAL
        created: 2025-04-01
        year: 2025-26
        ---
        """})
    found = of_rule(check(mars, root, "2026-03-31"), "annual-report.published-yearly")
    assert where(found) == [("records/annual-report/2025-26/", 0, WARNING)]


def test_rapid_review__decided_fifteen_working_days_after_notification_over_christmas(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "rapid-review.decided.due")
    assert finding["code"] == "step-overdue"
    case = BREACHES["rapid-review.decided.due"]
    root = make_workspace(tmp_path / "ws", case.files)
    # Not late on the day it is due, whatever the bank holidays.
    assert of_rule(check(mars, root, "2026-01-14"), "rapid-review.decided.due") == []


def test_rapid_review__notified_five_working_days_after_becoming_aware_over_christmas(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "rapid-review.notified.due")
    assert finding["code"] == "step-late"


def test_signoff__stale_after_the_covered_section_changes_and_another_approval_stays_fresh(tmp_path, mars):
    # The agency endorsements are entries 1 to 3 (lines 12, 17, 22): the letter's is entry 4, line 27.
    case = dataclasses.replace(
        BREACHES["signoff.stale"], line=27, words="the sign-off of 'letter' by dsp-health (as portfolio-lead) is stale",
        run=(*endorse(AE_ID, "agency", "2025-08-01"),
             f"signoff {AE_ID} --for letter --by dsp-health --as portfolio-lead --date 2025-10-05"))
    assert_breach(tmp_path, mars, "signoff.stale", case)
    (tmp_path / "again").mkdir()
    stale = of_rule(broken_findings(tmp_path / "again", mars, case), "signoff.stale")
    assert where(stale) == [(AE, 27, WARNING)], stale  # the partners' endorsements of the agency stay fresh


def test_signoff__by_someone_who_does_not_hold_the_role_is_an_error(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "signoff.role")
    assert finding["code"] == "signoff-wrong-role"


def test_signoff__independent_approval_from_the_agency_under_scrutiny_is_an_error(tmp_path, mars):
    finding = assert_breach(tmp_path, mars, "signoff.independent")
    assert finding["code"] == "signoff-conflict"


# ----------------------------------------------------------------------------- deadlines

def test_due_on_a_date_is_late_from_the_next_day(tmp_path, mars):
    case = BREACHES["call-in.meeting.due"]  # due on 2025-07-01
    root = make_workspace(tmp_path / "ws", case.files)
    assert of_rule(check(mars, root, "2025-07-01"), "call-in.meeting.due") == []
    late = of_rule(check(mars, root, "2025-07-02"), "call-in.meeting.due")
    assert [(f["path"], f["line"], f["code"]) for f in late] == [(CI, 9, "step-overdue")]
    assert "was due on 1 July 2025 (on `date`), 1 day ago" in late[0]["message"]


def test_agency_event__findings_letter_sent_before_the_event_is_held_is_an_error(tmp_path, mars):
    """Agreed by the portfolio lead, but the event itself is not recorded as held."""
    case = BREACHES["agency-event.letter-sent.needs"]
    files = {AE: case.files[AE].replace("              - step: event\n                date: 2025-09-30\n", "")}
    assert "step: event" not in files[AE]
    root = make_workspace(tmp_path / "ws", files)
    run_commands(mars, root, case.run, case.as_of)
    found = of_rule(check(mars, root, case.as_of), "agency-event.letter-sent.needs")
    assert where(found) == [(AE, 10, ERROR)]
    assert "step 'event' (Event held) first" in found[0]["message"]
