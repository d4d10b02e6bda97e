"""Yearly reports: published at least once a year, within six months of the year's end, after ISO
scrutiny and the three partners' sign-off, saying how effective the arrangements were (Framework §1
and §4)."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import record

from breaches.harness import (
    AR,
    AR_ID,
    ERROR,
    WARNING,
    Case,
    assert_breach,
    check,
    lsp_signoffs,
    of_rule,
    planted,
    run_commands,
    where,
)

# Last year's report (created in March 2025, so in the 2024-25 folder).
AR_2024_ID = "ar-2025-03-01-report-aaaa"
AR_2024 = f"records/annual-report/2024-25/{AR_2024_ID}.md"
SCRUTINY = f"signoff {AR_ID} --for scrutiny --by iso-1 --as iso --date 2025-09-05"

BREACHES = {
    "annual-report.scrutinised.latest": Case(
        files={AR: record("annual-report", AR_ID, "2025-04-01", status="drafting", year="2024-25")},
        # Publication is due six months after the year (30 September), counted from `year:` (line 8).
        as_of="2025-10-01", path=AR, line=8, severity=WARNING,
        words="step 'scrutinised' (Scrutinised by an ISO) should have been done by 30 September 2025",
        fix_run=(SCRUTINY,)),
    "annual-report.signed-off.latest": Case(
        files={AR: record("annual-report", AR_ID, "2025-04-01", status="drafting", year="2024-25")},
        as_of="2025-10-01", path=AR, line=8, severity=WARNING,
        words="step 'signed-off' (Signed off by the three lead safeguarding partners) should have been done by "
              "30 September 2025",
        fix_run=lsp_signoffs(AR_ID, "2025-09-10")),
    "annual-report.published.due": Case(
        files={AR: record("annual-report", AR_ID, "2025-04-01", status="drafting", year="2024-25", more="""
            steps:
              - step: published
                date: 2025-10-06
            """)},
        as_of="2025-10-10", path=AR, line=10, severity=WARNING,
        words=("done on 6 October 2025, 6 days late",
               "by 30 September 2025 (6 months after the end of the reporting year)"),
        fix=((AR, "date: 2025-10-06", "date: 2025-09-30"),)),
    "annual-report.published.needs": Case(
        files={AR: record("annual-report", AR_ID, "2025-04-01", status="drafting", year="2024-25", more="""
            steps:
              - step: published
                date: 2025-09-20
            """, body="""
            # Yearly report 2024-25

            ## How effective it was
            <!-- The impact on practice and on outcomes for children and families, with evidence. -->
            Fewer children waited for a second assessment.
            """)},
        as_of="2025-10-01", path=AR, line=10, severity=ERROR, words="without sign-off 'scrutiny' from iso",
        fix_run=(SCRUTINY, *lsp_signoffs(AR_ID, "2025-09-10"))),
    "annual-report.sent-to-panel.due": Case(
        files={AR: record("annual-report", AR_ID, "2025-04-01", status="drafting", year="2024-25", more="""
            steps:
              - step: published
                date: 2025-09-01
            """)},
        # The deadline counts from step 'published', recorded on line 10.
        as_of="2025-09-09", path=AR, line=10, severity=WARNING, words="was due on 8 September 2025",
        fix=((AR, "    date: 2025-09-01\n",
              "    date: 2025-09-01\n  - {step: sent-to-panel, date: 2025-09-05}\n"),)),
    "annual-report.published-yearly": Case(
        files={AR_2024: record("annual-report", AR_2024_ID, "2025-03-01", status="published", year="2023-24",
                               publication_date="2025-03-20")},
        # Last year's report, published in March 2025: nothing is published in 2025-26. (Moving its
        # date would leave 2024-25 with none, still reported: the 2024-25 report is not published.)
        as_of="2025-10-01", path="records/annual-report/2025-26/", line=0, severity=WARNING,
        words="0 yearly reports dated in 2025-26",
        fix_run=('new annual-report --year 2024-25 --date 2025-09-20 --title "Yearly report 2024-25"',)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_annual_report__published_without_iso_scrutiny_is_an_error(workspace_with, mars):
    case = dataclasses.replace(
        BREACHES["annual-report.published.needs"], run=lsp_signoffs(AR_ID, "2025-09-10"), fix_run=(SCRUTINY,),
        not_words=("sign-off 'sign-off'",))
    assert_breach(workspace_with, mars, "annual-report.published.needs", case)


def test_annual_report__published_without_the_three_lsp_signoffs_is_an_error(workspace_with, mars):
    council, health, police = lsp_signoffs(AR_ID, "2025-09-10")
    case = dataclasses.replace(
        BREACHES["annual-report.published.needs"], run=(SCRUTINY, council),
        words=("without sign-off 'sign-off' from Testshire ICB (lsp:health), "
               "sign-off 'sign-off' from Testshire Police (lsp:police)"),
        not_words=("sign-off 'scrutiny'",),
        fix_run=(health, police))
    assert_breach(workspace_with, mars, "annual-report.published.needs", case)


def test_annual_report__published_without_saying_how_effective_it_was_is_an_error(workspace_with, mars):
    """Signed off by everyone, but "How effective it was" holds only the template's guidance comment."""
    case = dataclasses.replace(
        BREACHES["annual-report.published.needs"],
        run=(SCRUTINY, *lsp_signoffs(AR_ID, "2025-09-10")),
        fix_run=(),
        code="gate-breached",
        words=("step 'published' (Published on the partnership website) is recorded as done on 20 September 2025 "
               "without the section '## How effective it was' written"),
        not_words=("sign-off",),
        edit=((AR, "Fewer children waited for a second assessment.\n", ""),))
    assert_breach(workspace_with, mars, "annual-report.published.needs", case)


def test_annual_report__published_with_no_how_effective_section_at_all_is_an_error(workspace_with, mars):
    case = BREACHES["annual-report.published.needs"]
    files = {AR: case.files[AR].split("\n## How effective it was")[0] + "\n"}
    assert "How effective" not in files[AR]
    root = planted(workspace_with, files)
    run_commands(mars, root, (SCRUTINY, *lsp_signoffs(AR_ID, "2025-09-10")), "2025-10-01")
    found = of_rule(check(mars, root, "2025-10-01"), "annual-report.published.needs")
    assert where(found) == [(AR, 10, ERROR)]
    assert found[0]["message"].endswith("without the section '## How effective it was' written")


def test_annual_report__not_published_six_months_after_the_year_points_at_its_year(workspace_with, mars):
    """Overdue, not yet published: the deadline counts from the end of the record's `year:` (line 8)."""
    case = Case(
        files={AR: record("annual-report", AR_ID, "2025-04-01", status="drafting", year="2024-25")},
        as_of="2025-10-01", path=AR, line=8, severity=WARNING,
        words="step 'published' (Published on the partnership website) was due on 30 September 2025",
        fix=((AR, "year: 2024-25\n", "year: 2024-25\nsteps:\n  - {step: published, date: 2025-09-30}\n"),))
    assert_breach(workspace_with, mars, "annual-report.published.due", case)


def test_annual_report__a_planned_publication_date_is_not_publication(workspace_with, mars):
    """`publication_date:` is the plan; the report is published when the step is recorded."""
    root = planted(workspace_with, {AR: record("annual-report", AR_ID, "2025-04-01", status="drafting",
                                               year="2024-25", publication_date="2025-09-20")})
    findings = check(mars, root, "2025-10-01")
    assert of_rule(findings, "annual-report.published.needs") == []  # nothing recorded as published
    assert where(of_rule(findings, "annual-report.published.due")) == [(AR, 8, WARNING)]


def test_annual_report__a_draft_without_a_publication_date_is_not_a_published_report(workspace_with, mars):
    """processes.yaml: published-yearly counts "reports whose publication date falls in the year"."""
    root = planted(workspace_with, {AR: record("annual-report", AR_ID, "2025-04-01", status="drafting",
                                               year="2025-26")})
    found = of_rule(check(mars, root, "2026-03-31"), "annual-report.published-yearly")
    assert where(found) == [("records/annual-report/2025-26/", 0, WARNING)]
