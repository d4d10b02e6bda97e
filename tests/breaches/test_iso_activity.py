"""Independent scrutiny: each ISO's framework days within the allowance (Framework §4)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import (
    ISO_A,
    ISO_A_ID,
    ISO_B,
    ISO_B_ID,
    WARNING,
    Case,
    assert_breach,
    check,
    of_rule,
    planted,
)

BREACHES = {
    "iso-activity.allowance": Case(
        files={
            ISO_A: record("iso-activity", ISO_A_ID, status="done", iso="iso-1", date="2025-06-01", days="10"),
            ISO_B: record("iso-activity", ISO_B_ID, status="done", iso="iso-1", date="2025-09-01", days="6")},
        # 10 and 6 days by the same ISO: the finding points at the ISO in mars.yaml (iso-1, line 49).
        as_of="2025-10-01", path="mars.yaml", line=49, severity=WARNING,
        words="Gus Scrutineer has logged 16 framework days in 2025-26, over their allowance of 15",
        fix=((ISO_B, "days: 6", "days: 5"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_iso_allowance__is_per_iso_not_for_the_pool(workspace_with, mars):
    case = BREACHES["iso-activity.allowance"]
    files = {ISO_A: case.files[ISO_A], ISO_B: case.files[ISO_B].replace("iso: iso-1", "iso: iso-2")}
    root = planted(workspace_with, files)
    assert of_rule(check(mars, root, case.as_of), "iso-activity.allowance") == []  # 10 days and 6 days


def test_iso_allowance__work_outside_the_framework_does_not_count(workspace_with, mars):
    case = BREACHES["iso-activity.allowance"]
    files = {ISO_A: case.files[ISO_A],
             ISO_B: case.files[ISO_B].replace("days: 6\n", "days: 6\nwithin_framework: false\n")}
    root = planted(workspace_with, files)
    assert of_rule(check(mars, root, case.as_of), "iso-activity.allowance") == []


def test_iso_allowance__days_logged_on_another_record_count(workspace_with, mars):
    """Days an ISO logs on another kind of record (`iso_days:` on a Section 11 return) count too, dated
    by the entry, else by the record's own date; those logged outside the framework do not."""
    case = BREACHES["iso-activity.allowance"]
    logged = record("section11", "s11-2025-06-01-trust-dddd", status="returned", agency="trust", more="""
        iso_days:
          - iso: iso-1
            days: 6
            date: 2025-07-01
          - iso: iso-1
            days: 9
            outside_framework: true
        """)
    files = {ISO_A: case.files[ISO_A], "records/section11/2025-26/s11-2025-06-01-trust-dddd.md": logged}
    root = planted(workspace_with, files)
    found = of_rule(check(mars, root, case.as_of), "iso-activity.allowance")
    assert len(found) == 1 and "logged 16 framework days in 2025-26" in found[0]["message"], found
