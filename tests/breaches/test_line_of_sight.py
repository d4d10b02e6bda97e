"""Practice learning line of sight events: three a year, a panel led by an ISO after the
single-agency case audits, the overview and action plan, the next available SPLIG, and the highlights
published (Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    AP_LOS,
    AP_LOS_ID,
    ERROR,
    LOS,
    LOS_ID,
    SPLIG,
    SPLIG_ID,
    WARNING,
    Case,
    assert_breach,
    endorse,
)

# Two more events of the year, for the count of three.
LOS_2_ID, LOS_3_ID = "los-2025-06-01-exploitation-bbbb", "los-2025-06-01-voice-cccc"
LOS_2 = f"records/line-of-sight/2025-26/{LOS_2_ID}.md"
LOS_3 = f"records/line-of-sight/2025-26/{LOS_3_ID}.md"

BREACHES = {
    "line-of-sight.theme-agreed.latest": Case(
        files={LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-09-30")},
        as_of="2025-10-01", path=LOS, line=9, severity=WARNING,
        words="step 'theme-agreed' (Theme agreed by the safeguarding partners) should have been done by "
              "30 September 2025",
        fix_run=endorse(LOS_ID, "theme", "2025-07-01")),
    "line-of-sight.case-audits.latest": Case(
        files={LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-09-30")},
        # The panel is held on `date:` (line 9) after the single-agency case audits.
        as_of="2025-10-01", path=LOS, line=9, severity=WARNING,
        words="step 'case-audits' (Single-agency case audits done) should have been done by 30 September 2025",
        fix=((LOS, "date: 2025-09-30\n", "date: 2025-09-30\nsteps:\n  - {step: case-audits, date: 2025-09-01}\n"),)),
    "line-of-sight.panel.due": Case(
        files={LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-07-01")},
        as_of="2025-07-02", path=LOS, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((LOS, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: panel, date: 2025-07-01}\n"),)),
    "line-of-sight.panel.needs": Case(
        files={LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-09-30", more="""
            steps:
              - step: case-audits
                date: 2025-09-01
              - step: panel
                date: 2025-09-30
            """)},
        # The framework: the panel is led by an ISO. The case audits were done first: only the lead is missing.
        as_of="2025-10-01", path=LOS, line=13, severity=ERROR, words="without `lead_iso`",
        not_words=("step 'case-audits'",),
        run=endorse(LOS_ID, "theme", "2025-07-01"),
        fix=((LOS, "date: 2025-09-30\nsteps:", "date: 2025-09-30\nlead_iso: iso-1\nsteps:"),)),
    "line-of-sight.overview.due": Case(
        files={
            LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-09-30", more="""
                steps:
                  - step: panel
                    date: 2025-09-30
                """),
            AP_LOS: record("action-plan", AP_LOS_ID, "2025-11-03", status="draft",
                           source=LOS_ID)},
        # The overview is done when an action plan names the event as its `source:`; the deadline counts from
        # step 'panel', recorded on line 11.
        as_of="2025-11-05", path=LOS, line=11, severity=WARNING,
        words=("was done on 3 November 2025, 6 days late", "by 28 October 2025 (4 weeks after step 'panel')"),
        fix=((AP_LOS, "created: 2025-11-03", "created: 2025-10-28"),)),
    "line-of-sight.to-splig.due": Case(
        files={
            LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-09-30", more="""
                steps:
                  - step: panel
                    date: 2025-09-30
                """),
            SPLIG: record("splig-meeting", SPLIG_ID, "2025-04-01", status="held", date="2025-10-14", papers="[]")},
        # The deadline counts from step 'panel', recorded on line 11.
        as_of="2025-10-15", path=LOS, line=11, severity=WARNING, words="was due on 14 October 2025",
        fix=((SPLIG, "papers: []", f"papers: [{LOS_ID}]"),)),
    "line-of-sight.highlights-published.due": Case(
        files={LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-07-01", more="""
            steps:
              - step: panel
                date: 2025-07-01
              - step: highlights-published
                date: 2025-10-08
            """)},
        as_of="2025-10-10", path=LOS, line=13, severity=WARNING,
        words=("step 'highlights-published' (Key highlights and emerging themes published on the website)",
               "was done on 8 October 2025, 7 days late", "by 1 October 2025 (3 months after step 'panel')"),
        fix=((LOS, "date: 2025-10-08", "date: 2025-10-01"),)),
    "line-of-sight.highlights-published.needs": Case(
        files={LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-07-01", more="""
            steps:
              - step: highlights-published
                date: 2025-08-01
            """)},
        as_of="2025-08-05", path=LOS, line=11, severity=ERROR, words="without step 'panel'",
        fix=((LOS, "steps:\n", "steps:\n  - {step: panel, date: 2025-07-01}\n"),)),
    "line-of-sight.three-a-year": Case(
        files={
            LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-07-01"),
            LOS_2: record("line-of-sight", LOS_2_ID, status="planned", theme="Exploitation", date="2025-11-04"),
            LOS_3: record("line-of-sight", LOS_3_ID, status="planned", theme="Voice of the child", date="2026-04-14")},
        # A count across the year points at the year's folder: there is no line to name.
        as_of="2025-10-01", path="records/line-of-sight/2025-26/", line=0, severity=WARNING, code="yearly-count",
        words="2 practice learning line of sight events dated in 2025-26; the framework asks for 3 a year",
        fix=((LOS_3, "date: 2026-04-14", "date: 2026-02-10"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_line_of_sight__panel_before_the_single_agency_case_audits_is_an_error(workspace_with, mars):
    case = Case(
        files={LOS: record("line-of-sight", LOS_ID, status="planned", theme="Neglect", date="2025-09-30",
                           lead_iso="iso-1", more="""
            steps:
              - step: panel
                date: 2025-09-30
              - step: case-audits
                date: 2025-10-03
            """)},
        as_of="2025-10-10", path=LOS, line=12, severity=ERROR,
        words="without step 'case-audits' (Single-agency case audits done) first",
        run=endorse(LOS_ID, "theme", "2025-07-01"),
        fix=((LOS, "date: 2025-10-03", "date: 2025-09-20"),))
    assert_breach(workspace_with, mars, "line-of-sight.panel.needs", case)
