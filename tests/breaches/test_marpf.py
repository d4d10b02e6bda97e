"""Multi-agency reflective practice forums: every four weeks, the practitioners' meeting four weeks
after the core group, the OLIR copied two weeks after it, and a quarterly overview to SPLIG
(Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    MARPF,
    MARPF_2,
    MARPF_2_ID,
    MARPF_ID,
    SPLIG,
    SPLIG_ID,
    WARNING,
    Case,
    assert_breach,
    check,
    of_rule,
    planted,
    where,
)

BREACHES = {
    "marpf.practitioners.due": Case(
        files={MARPF: record("marpf", MARPF_ID, status="core-group", core_group_date="2025-06-02",
                             practitioners_date="2025-07-07")},
        as_of="2025-07-10", path=MARPF, line=9, severity=WARNING, code="step-late",
        words=("done on 7 July 2025, 7 days late", "by 30 June 2025 (4 weeks after `core_group_date`)"),
        fix=((MARPF, "practitioners_date: 2025-07-07", "practitioners_date: 2025-06-30"),)),
    "marpf.olir.due": Case(
        files={MARPF: record("marpf", MARPF_ID, status="core-group", core_group_date="2025-06-02",
                             practitioners_date="2025-06-30")},
        # The deadline counts from step 'practitioners', the `practitioners_date:` (line 9).
        as_of="2025-07-15", path=MARPF, line=9, severity=WARNING, code="step-overdue",
        words=("step 'olir' (Overview, Learning and Improvement Record copied to all agencies involved) was due on "
               "14 July 2025 (2 weeks after step 'practitioners'), 1 day ago"),
        fix=((MARPF, "practitioners_date: 2025-06-30\n",
              "practitioners_date: 2025-06-30\nsteps:\n  - {step: olir, date: 2025-07-14}\n"),)),
    "marpf.every-four-weeks": Case(
        files={
            MARPF: record("marpf", MARPF_ID, status="core-group", core_group_date="2025-05-05"),
            MARPF_2: record("marpf", MARPF_2_ID, status="core-group", core_group_date="2025-06-16")},
        as_of="2025-06-20", path=MARPF_2, line=8, severity=WARNING,
        words=("42 days after the previous multi-agency reflective practice forum (5 May 2025); "
               "it meets every 4 weeks"),
        fix=((MARPF_2, "core_group_date: 2025-06-16", "core_group_date: 2025-06-02"),)),
    "marpf.quarterly-overview": Case(
        files={
            MARPF: record("marpf", MARPF_ID, status="core-group", core_group_date="2025-07-07"),
            SPLIG: record("splig-meeting", SPLIG_ID, "2025-04-01", status="held", date="2025-05-20", reports="[]")},
        as_of="2025-07-15", path=SPLIG, line=9, severity=WARNING,
        words=("no SPLIG meeting between 1 April 2025 and 30 June 2025 received the quarterly overview of MARPF "
               "findings and actions (marpf-overview)"),
        fix=((SPLIG, "reports: []", "reports: [marpf-overview]"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_marpf__no_meeting_for_over_four_weeks_up_to_the_as_of_day(workspace_with, mars):
    case = Case(
        files={MARPF: record("marpf", MARPF_ID, status="core-group", core_group_date="2025-06-02")},
        as_of="2025-07-01", path=MARPF, line=8, severity=WARNING,
        words="no multi-agency reflective practice forum since 2 June 2025 (29 days); it meets every 4 weeks",
        fix=((MARPF, "2025-06-02", "2025-06-03"),))
    assert_breach(workspace_with, mars, "marpf.every-four-weeks", case)


def test_marpf__no_splig_at_all_in_a_completed_quarter(workspace_with, mars):
    case = BREACHES["marpf.quarterly-overview"]
    root = planted(workspace_with, {MARPF: case.files[MARPF]})
    found = of_rule(check(mars, root, "2025-07-15"), "marpf.quarterly-overview")
    assert where(found) == [("records/splig-meeting/2025-26/", 0, WARNING)]
    # The quarter still running (July to September) is not reported.
    assert "30 June 2025" in found[0]["message"]


def test_marpf__quarter_not_reported_before_it_ends(workspace_with, mars):
    case = BREACHES["marpf.quarterly-overview"]
    root = planted(workspace_with, case.files)
    assert of_rule(check(mars, root, "2025-06-30"), "marpf.quarterly-overview") == []
    assert len(of_rule(check(mars, root, "2025-07-01"), "marpf.quarterly-overview")) == 1
