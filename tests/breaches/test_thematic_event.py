"""Thematic assurance events: theme and format endorsed by the three partners, the next available
SPLIG, the action plan, and the highlights published (Framework §2)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    AP_TE,
    AP_TE_ID,
    ERROR,
    SPLIG,
    SPLIG_ID,
    TE,
    TE_ID,
    WARNING,
    Case,
    assert_breach,
    check,
    endorse,
    of_rule,
    planted,
    where,
)

BREACHES = {
    "thematic-event.theme-endorsed.latest": Case(
        files={TE: record("thematic-event", TE_ID, status="proposed", theme="Neglect", date="2025-09-30")},
        # The event (on `date:`, line 9) needs the theme endorsed: it is due by then.
        as_of="2025-10-01", path=TE, line=9, severity=WARNING,
        words="step 'theme-endorsed' (Theme endorsed by the three safeguarding partners) should have been done "
              "by 30 September 2025, 1 day ago: step 'event' (Event held) needs it",
        run=endorse(TE_ID, "format", "2025-07-01"),
        fix_run=endorse(TE_ID, "theme", "2025-07-01")),
    "thematic-event.format-endorsed.latest": Case(
        files={TE: record("thematic-event", TE_ID, status="proposed", theme="Neglect", date="2025-09-30")},
        as_of="2025-10-01", path=TE, line=9, severity=WARNING, words="step 'format-endorsed'",
        not_words=("theme-endorsed",),
        run=endorse(TE_ID, "theme", "2025-07-01"),
        fix_run=endorse(TE_ID, "format", "2025-07-01")),
    "thematic-event.event.due": Case(
        files={TE: record("thematic-event", TE_ID, status="proposed", theme="Neglect", date="2025-07-01")},
        as_of="2025-07-02", path=TE, line=9, severity=WARNING, words="was due on 1 July 2025",
        fix=((TE, "date: 2025-07-01\n", "date: 2025-07-01\nsteps:\n  - {step: event, date: 2025-07-01}\n"),)),
    "thematic-event.event.needs": Case(
        files={TE: record("thematic-event", TE_ID, status="proposed", theme="Neglect", date="2025-09-30", more="""
            steps:
              - step: event
                date: 2025-09-30
            """)},
        # Held with the theme endorsed by the three partners but not the format: only the format is named.
        as_of="2025-10-01", path=TE, line=11, severity=ERROR, words="without sign-off 'format'",
        not_words=("sign-off 'theme'",),
        run=endorse(TE_ID, "theme", "2025-07-01"),
        fix_run=endorse(TE_ID, "format", "2025-07-01")),
    "thematic-event.highlights-published.needs": Case(
        files={TE: record("thematic-event", TE_ID, status="proposed", theme="Neglect", date="2025-09-30", more="""
            steps:
              - step: highlights-published
                date: 2025-10-15
            """)},
        as_of="2025-10-20", path=TE, line=11, severity=ERROR, words="without step 'event'",
        fix=((TE, "steps:\n", "steps:\n  - {step: event, date: 2025-09-30}\n"),)),
    "thematic-event.to-splig.due": Case(
        files={
            TE: record("thematic-event", TE_ID, status="proposed", theme="Neglect", date="2025-09-30", more="""
                steps:
                  - step: event
                    date: 2025-09-30
                """),
            SPLIG: record("splig-meeting", SPLIG_ID, "2025-04-01", status="held", date="2025-10-14", papers="[]")},
        # The deadline counts from step 'event', recorded on line 11.
        as_of="2025-10-15", path=TE, line=11, severity=WARNING, words="was due on 14 October 2025",
        fix=((SPLIG, "papers: []", f"papers: [{TE_ID}]"),)),
    "thematic-event.action-plan.due": Case(
        files={
            TE: record("thematic-event", TE_ID, status="proposed", theme="Neglect", date="2025-09-30", more="""
                steps:
                  - step: event
                    date: 2025-09-30
                """),
            SPLIG: record("splig-meeting", SPLIG_ID, "2025-04-01", status="held", date="2025-10-14",
                          papers=f"[{TE_ID}]"),
            AP_TE: record("action-plan", AP_TE_ID, "2025-11-20", status="draft",
                          source=TE_ID)},
        # Step 'to-splig' is done by the SPLIG's `papers:`, so the deadline counts back to step 'event' (line 11).
        as_of="2025-11-25", path=TE, line=11, severity=WARNING,
        words=("step 'action-plan' (SPLIG's action plan, monitored until completion)",
               "was done on 20 November 2025, 9 days late", "by 11 November 2025 (4 weeks after step 'to-splig')"),
        fix=((AP_TE, "created: 2025-11-20", "created: 2025-11-11"),)),
    "thematic-event.highlights-published.due": Case(
        files={TE: record("thematic-event", TE_ID, status="proposed", theme="Neglect", date="2025-07-01", more="""
            steps:
              - step: event
                date: 2025-07-01
            """)},
        # The deadline counts from step 'event', recorded on line 11.
        as_of="2025-10-02", path=TE, line=11, severity=WARNING,
        words=("step 'highlights-published' (Key highlights and emerging themes published on the website) was due "
               "on 1 October 2025 (3 months after step 'event'), 1 day ago"),
        fix=((TE, "    date: 2025-07-01\n",
              "    date: 2025-07-01\n  - {step: highlights-published, date: 2025-10-01}\n"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_thematic_event__held_without_the_theme_endorsed_is_an_error(workspace_with, mars):
    case = Case(
        files=BREACHES["thematic-event.event.needs"].files,
        as_of="2025-10-01", path=TE, line=11, severity=ERROR, words="without sign-off 'theme'",
        not_words=("sign-off 'format'",),
        run=endorse(TE_ID, "format", "2025-07-01"),
        fix_run=endorse(TE_ID, "theme", "2025-07-01"))
    assert_breach(workspace_with, mars, "thematic-event.event.needs", case)


def test_thematic_event__held_without_either_endorsement_names_both(workspace_with, mars):
    case = BREACHES["thematic-event.event.needs"]
    root = planted(workspace_with, case.files)
    [finding] = of_rule(check(mars, root, case.as_of), "thematic-event.event.needs")
    for partner in ("Testshire Council", "Testshire ICB", "Testshire Police"):
        assert f"sign-off 'theme' from {partner}" in finding["message"]
        assert f"sign-off 'format' from {partner}" in finding["message"]


def test_thematic_event__action_plan_not_made_four_weeks_after_the_splig(workspace_with, mars):
    """No action plan names the event as its source by the due day: overdue from the next day."""
    case = BREACHES["thematic-event.action-plan.due"]
    root = planted(workspace_with, {TE: case.files[TE], SPLIG: case.files[SPLIG]})
    assert of_rule(check(mars, root, "2025-11-11"), "thematic-event.action-plan.due") == []
    late = of_rule(check(mars, root, "2025-11-12"), "thematic-event.action-plan.due")
    assert where(late) == [(TE, 11, WARNING)]
    assert "was due on 11 November 2025 (4 weeks after step 'to-splig'), 1 day ago" in late[0]["message"]


def test_thematic_event__no_action_plan_deadline_before_the_splig_receives_the_event(workspace_with, mars):
    case = BREACHES["thematic-event.action-plan.due"]
    root = planted(workspace_with, {
        TE: case.files[TE], SPLIG: case.files[SPLIG].replace(f"papers: [{TE_ID}]", "papers: []")})
    assert of_rule(check(mars, root, "2026-03-01"), "thematic-event.action-plan.due") == []
